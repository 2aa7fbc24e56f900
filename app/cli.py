"""Flask commands: migrations, accounts and demo content, all through the same services as the site."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app import db, migrate
from app.services import accounts
from app.services.errors import InvalidInput

# AppGroup runs every command inside an app context, however the command is invoked.
db_cli = AppGroup("db", help="Database migrations (Alembic).")
users_cli = AppGroup("users", help="Manage member accounts.")
demo_cli = AppGroup("demo", help="Demo content.")
reputation_cli = AppGroup("reputation", help="The reputation ledger.")
search_cli = AppGroup("search", help="The search index.")
import_cli = AppGroup("import", help="Bring in content from other sites.")
notifications_cli = AppGroup("notifications", help="Notification mail: the outbox and the daily digest.")
support_cli = AppGroup("support", help="Unanswered routing: invite helpers, escalate to support, send webhooks.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration by comparing the models with the database (review it before use)."""
    from alembic import command

    command.revision(migrate.alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=True)


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--display-name", prompt=True)
@click.password_option()
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create an administrator account."""
    try:
        user = accounts.register(db.session(), email=email, display_name=display_name, password=password,
                                 role="admin", allow_reserved_name=True)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"Administrator {user.display_name} <{user.email}> created.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no boards yet.")
def demo_load(if_empty: bool) -> None:
    """Load the demo boards, members and threads (running it again adds nothing twice)."""
    from app.demo import loader

    session = db.session()
    if if_empty and not loader.database_is_empty(session):
        click.echo("The database has content already; demo content not loaded.")
        return
    result = loader.load(session, progress=lambda done, total: None)
    click.echo(f"Demo content: {result.boards} boards, {result.members} members, "
               f"{result.threads} threads added ({result.skipped} already there).")


@demo_cli.command("accounts")
def demo_accounts() -> None:
    """Print the demo sign-in details."""
    from app.demo import loader

    click.echo(loader.accounts_text())


@reputation_cli.command("verify")
@click.option("--fix", "repair", is_flag=True, help="Set each differing member's reputation to their ledger sum.")
def reputation_verify(repair: bool) -> None:
    """Report members whose stored reputation differs from the sum of their ledger rows."""
    from app.services import reputation

    session = db.session()
    mismatches = reputation.fix(session) if repair else reputation.verify(session)
    for m in mismatches:
        click.echo(f"{m.display_name} (#{m.user_id}): stored {m.stored}, ledger {m.ledger}"
                   + (" -> fixed" if repair else ""))
    if not mismatches:
        click.echo("Every member's reputation equals the sum of their ledger rows.")
    elif not repair:
        raise SystemExit(1)


@search_cli.command("rebuild")
@click.option("--if-empty", is_flag=True, help="Only when the index holds nothing yet.")
def search_rebuild(if_empty: bool) -> None:
    """Write the whole index from the database into a new index and swap it in (searches keep working)."""
    from sqlalchemy import func, select

    from app.models import Thread
    from app.search import indexer, registry

    session, backend = db.session(), registry.backend()
    if if_empty and not backend.is_empty():
        click.echo("The search index has content already; not rebuilt.")
        return
    total = session.scalar(select(func.count(Thread.id)))
    with click.progressbar(length=total, label="Indexing threads", show_pos=True) as bar:
        count = indexer.rebuild(session, backend, progress=bar.update)
    click.echo(f"Search index rebuilt ({backend.name}): {count} threads.")


@search_cli.command("verify")
@click.option("--fix", "repair", is_flag=True, help="Queue every differing thread and index it now.")
def search_verify(repair: bool) -> None:
    """Report threads whose index entry differs from the database."""
    from app.search import indexer, registry

    session, backend = db.session(), registry.backend()
    differences = indexer.reconcile(session, backend) if repair else indexer.verify(session, backend)
    for difference in differences:
        click.echo(f"thread #{difference.thread_id}: {difference.problem}")
    if repair and differences:
        indexer.drain(session, backend)
        differences = indexer.verify(session, backend)
        click.echo(f"Fixed; {len(differences)} difference(s) left.")
    if not differences:
        click.echo("The search index agrees with the database.")
    elif not repair:
        raise SystemExit(1)


@search_cli.command("worker")
@click.option("--poll", default=0.5, show_default=True, help="Seconds between looks at the queue.")
def search_worker(poll: float) -> None:
    """Drain the index queue continuously, as its own process (for larger sites; then run the web
    processes with SEARCH_INDEXER=off)."""
    import time

    from app.search import indexer, registry

    session, backend = db.session(), registry.backend()
    click.echo(f"Indexing from the queue into the {backend.name} index; Ctrl-C stops.")
    try:
        while True:
            if indexer.drain(session, backend) == 0:
                time.sleep(poll)
    except KeyboardInterrupt:
        click.echo("Stopped.")


@search_cli.command("status")
def search_status() -> None:
    """How many threads wait for the indexer, and since when."""
    from app.services import search_queue

    session = db.session()
    oldest = search_queue.oldest(session)
    click.echo(f"{search_queue.size(session)} thread(s) waiting" + (f", the oldest since {oldest:%Y-%m-%d %H:%M:%S} UTC"
                                                                   if oldest else "") + ".")


@import_cli.command("stackexchange")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--board", "board_slug", help="The board's slug (created when missing; default: from the site).")
@click.option("--site-url", help="The site the dump comes from, for the attribution links, "
                                 "e.g. https://raspberrypi.meta.stackexchange.com.")
@click.option("--batch-size", default=500, show_default=True, help="Rows per transaction.")
def import_stackexchange(directory: str, board_slug: str | None, site_url: str | None, batch_size: int) -> None:
    """Import a Stack Exchange data dump from DIRECTORY (running it again adds nothing twice)."""
    import sys

    from app.importers import stackexchange
    from app.search import indexer, registry
    from app.services import search_queue

    session = db.session()
    try:
        total = stackexchange.total_bytes(directory)
    except OSError:
        total = None  # import_dump names the missing files
    try:
        with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
            result = stackexchange.import_dump(session, directory, board_slug=board_slug, site_url=site_url,
                                               batch_size=max(1, batch_size), progress=bar.update)
    except stackexchange.ImportProblem as exc:
        click.echo(f"Nothing imported: {exc}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"Board {result.board_slug}: {result.users} members, {result.questions} questions, "
               f"{result.answers} answers, {result.comments} comments, {result.accepted} solutions, "
               f"{result.kudos} kudos added.")
    for what, count in sorted(result.skipped.items()):
        click.echo(f"Skipped {count} {what}.")
    written = indexer.drain(session, registry.backend())
    # A running site's own indexer may have taken some of the queue first: both write the same index.
    waiting = search_queue.size(session)
    click.echo(f"Search index: {written} threads written here; {waiting} still queued.")


@click.command("backup")
@click.argument("path", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(path: str) -> None:
    """Copy the database (SQLite) and the search index into PATH, a new folder, while the site runs."""
    from app.services import backup

    config = current_app.config
    index_dir = config["SEARCH_INDEX_DIR"] if config["SEARCH_BACKEND"] == "whoosh" else None
    try:
        made = backup.create(config["DATABASE_URL"], index_dir, path)
    except backup.BackupFailed as exc:
        click.echo(f"No backup made: {exc.message}", err=True)
        raise SystemExit(1) from exc
    manifest = made.manifest
    if made.pg_dump:
        click.echo("The database is PostgreSQL: back it up with pg_dump (see README, Backups and restore):")
        click.echo(f"  {made.pg_dump}")
    else:
        click.echo(f"Database: {backup.DATABASE_FILE} (integrity ok, migration {manifest['alembic_revision']}, "
                   + ", ".join(f"{n} {table}" for table, n in manifest["counts"].items()) + ").")
    index = manifest["search_index"]
    if index:
        click.echo(f"Search index: {index['documents']} thread{'s' if index['documents'] != 1 else ''}.")
    else:
        click.echo("Search index: none to copy.")
    click.echo(f"Backup written to {made.path}.")


@notifications_cli.command("send")
@click.option("--loop/--once", default=False, help="Keep running (a worker process) or send what is due and stop.")
@click.option("--poll", default=10.0, show_default=True, help="Seconds between looks at the outbox (--loop).")
def notifications_send(loop: bool, poll: float) -> None:
    """Build the daily digests that are due and send the queued notification mail (SMTP when
    MAIL_SMTP_HOST is set, else .eml files in MAIL_OUTBOX_DIR); a failed message is retried later."""
    import time

    from app.services import mail, mail_outbox

    config = current_app.config
    if not config.get("SITE_URL"):
        click.echo("SITE_URL is not set: links in the mail point to http://localhost.", err=True)
    outbox = mail_outbox.Outbox(site_url=config.get("SITE_URL") or "http://localhost",
                                secret_key=config["SECRET_KEY"],
                                send=mail.sender(mail.MailSettings.from_config(config)))
    session = db.session()
    try:
        while True:
            digests = mail_outbox.build_digests(session)
            result = mail_outbox.deliver_due(session, outbox)
            if digests or result.sent or result.failed or not loop:
                click.echo(f"{digests} digest(s) built, {result.sent} mail(s) sent, {result.failed} failed "
                           f"(retried later); {mail_outbox.pending_count(session)} waiting.")
            session.rollback()
            if not loop:
                break
            time.sleep(poll)
    except KeyboardInterrupt:
        click.echo("Stopped.")


@support_cli.command("tick")
@click.option("--now", "now_text", metavar="ISO", help="Act as if it were this moment (ISO 8601; UTC unless it "
                                                        "names an offset). For trying the rules out.")
@click.option("--loop", "every", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Keep running, a tick every SECONDS (for `make run`; in production use cron).")
def support_tick(now_text: str | None, every: float | None) -> None:
    """Invite helpers to questions waiting past their board's invite time, escalate those waiting past
    its escalation time, then send the escalation webhooks that are due. Meant for cron (every few
    minutes): running it again, or twice at once, does nothing twice."""
    import time
    from datetime import datetime, timezone

    if now_text and every:
        raise click.UsageError("--now is for one tick: leave out --loop.")
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as exc:
            raise click.BadParameter("give a moment like 2026-11-24T15:00:00+00:00", param_hint="--now") from exc
        now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    else:
        now = None
    config = current_app.config
    if not config.get("SITE_URL"):
        click.echo("SITE_URL is not set: links in escalations point to http://localhost.", err=True)
    try:
        while True:
            webhooks_blocked = _tick_once(now or datetime.now(timezone.utc), quiet=bool(every))
            if not every:
                if webhooks_blocked:
                    raise SystemExit(1)
                return
            time.sleep(every)
    except KeyboardInterrupt:
        click.echo("Stopped.")


def _tick_once(now, *, quiet: bool) -> bool:
    """One tick, reported; True when webhooks wait because no secret is set."""
    from app.services import routing, webhooks

    config, session = current_app.config, db.session()
    site = routing.Site(url=config.get("SITE_URL") or "http://localhost", max_invites=config["ROUTING_MAX_INVITES"],
                        locale=config["BABEL_DEFAULT_LOCALE"])
    report = routing.tick(session, site, now=now)
    for thread_id, title, names in report.invited:
        click.echo(f"Thread #{thread_id} “{title}”: invited {', '.join(names) or 'nobody (no helper found)'}; "
                   "staff told.")
    for thread_id, title, destinations in report.escalated:
        click.echo(f"Thread #{thread_id} “{title}”: escalated to {', '.join(destinations) or 'staff only'}.")
    if not quiet or report.invited or report.escalated:
        click.echo(f"{len(report.invited)} thread(s) with invitations, {len(report.escalated)} escalated.")
    secret = config.get("ESCALATION_WEBHOOK_SECRET")
    if not secret:
        waiting = webhooks.pending_count(session)
        session.rollback()
        if waiting and (not quiet or report.escalated):
            click.echo(f"ESCALATION_WEBHOOK_SECRET is not set: {waiting} webhook(s) wait unsent.", err=True)
        return bool(waiting)
    result = webhooks.deliver_due(session, secret, now=now)
    if not quiet or result.sent or result.failed:
        click.echo(f"{result.sent} webhook(s) sent, {result.failed} failed (retried later); "
                   f"{webhooks.pending_count(session)} waiting.")
    session.rollback()
    return False


def init_app(app: Flask) -> None:
    for group in (db_cli, users_cli, demo_cli, reputation_cli, search_cli, import_cli, notifications_cli,
                  support_cli):
        app.cli.add_command(group)
    app.cli.add_command(backup_command)
