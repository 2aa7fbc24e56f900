"""Running service calls at once, each in its own thread, app context and database session, as
requests in other workers would."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from app import db


def run_at_once(app, work, arguments):
    """Run work(own_session, argument) for each argument in its own thread, all released together;
    the results in the arguments' order."""
    arguments = list(arguments)
    start = threading.Barrier(len(arguments))

    def one(argument):
        with app.app_context():
            own = db.session()
            start.wait(timeout=30)
            return work(own, argument)

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(one, arguments))
