"""Several writers at once: nothing lost, counters right, no 'database is locked' errors."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from app import db
from app.models import Post, Revision, Tag, Thread, User
from app.services import posting


def test_simultaneous_answers_all_count(app, session, thread, make_user):
    writers = [make_user() for _ in range(6)]
    per_writer = 8

    def work(user_id: int) -> int:
        with app.app_context():
            own = db.session()
            user = own.get(User, user_id)
            for i in range(per_writer):
                posting.answer(own, user, thread_id=thread.id, body=f"Answer {i} from {user_id}: try this.")
            return per_writer

    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        written = sum(pool.map(work, [w.id for w in writers]))

    session.expire_all()
    answers = session.scalar(select(func.count()).select_from(Post).where(Post.kind == "answer"))
    assert answers == written == len(writers) * per_writer
    assert session.get(Thread, thread.id).answer_count == written


def test_the_same_new_tag_from_two_questions_at_once_exists_once(app, session, board, make_user):
    authors = [make_user() for _ in range(4)]

    def ask(user_id: int) -> int:
        with app.app_context():
            own = db.session()
            return posting.ask(own, own.get(User, user_id), board_id=board.id, title="Brand new tag question",
                               body="Does this new tag get created twice?", tags="brand-new").id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(ask, [a.id for a in authors]))
    assert len(set(ids)) == 4
    assert session.scalar(select(func.count()).select_from(Tag)) == 1


def test_concurrent_edits_never_share_a_revision_number(app, session, thread, member):
    question_id = session.scalar(select(Post.id).where(Post.thread_id == thread.id))

    def edit(i: int) -> None:
        with app.app_context():
            own = db.session()
            posting.edit(own, own.get(User, member.id), post_id=question_id,
                         body=f"Version {i} of the question text.")

    session.commit()  # end this session's read snapshot, to see the other sessions' writes
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(edit, range(8)))
    numbers = session.scalars(select(Revision.number).where(Revision.post_id == question_id)).all()
    assert sorted(numbers) == list(range(1, 10))
