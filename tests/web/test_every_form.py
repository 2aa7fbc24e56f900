"""Every form of the site sent with naughty strings: never a 5xx, and nothing typed is lost.

The forms are found, not listed. Every GET route of the URL map is opened by each persona (a
visitor, the asker, a helper, a moderator, an administrator) with the ids of a small world that
makes every form appear: a thread with an accepted, official answer, a second answer, a hidden one
in the review queue, a comment, a locked thread, an archived board, a member to suspend and a
suspended one, and links from a password-reset and an e-mail-change mail. Each <form method=post>
found is one case. `test_every_post_route_has_a_form_here` makes sure that every POST route of the
URL map is the target of a found form, so a new form cannot escape; the POST routes that no page
has a form for are in NOT_FORMS, with the reason.

Each form is then sent with a sample of the Big List of Naughty Strings (right-to-left text,
zero-width and combining characters, emoji, SQL and script fragments, numbers, NUL and other
control characters, very long input), in two ways:

* as a person types it: the string in every field a person types into (text, e-mail, search and
  password inputs, text areas), every other field as the page had it. Never a 5xx; when the answer
  shows the form again (with an error, or a preview) every typed field but a password shows what
  was typed — exactly, or as the app documents cleaning it (`clean_line` for one line,
  `clean_body` for text); when the answer is an error page, its "Nothing you typed is lost" box
  holds the typed text. A redirect or a 201 is a success, or (the staff tools on the thread page) a
  flashed message on the page the moderator came from, as app/web/moderation_threads.py says.
* as a hostile client sends it: the string in every other field (hidden fields, select choices,
  checkboxes, button values, the sign-up honeypot). Never a 5xx.

And each form once with bytes that are not UTF-8 in every field. The database is emptied and the
world made again before each form, so what one form changes (a merge, a suspension, a role) does
not hide another.

Left out on purpose: forms that are a button alone (sign out, accept, lock, archive, unsuspend…):
they carry nothing but the CSRF token, so there is nothing to type or to fuzz (test_security.py
and test_authorization.py send every POST route without a token and as every persona).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import product
from urllib.parse import quote_plus, urlsplit

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.models import Board, Post, User
from app.services import (account_recovery, api_tokens, board_admin, mail_outbox, official, posting, review,
                          solutions, thread_moderation)
from app.services.text import clean_body, clean_line
from app.web.forms import HONEYPOT_FIELD
from tests.databases import empty_all_tables
from tests.web.html_tools import Form, FormField, forms, parse
from tests.web.payloads import NAUGHTY_STRINGS

PERSONAS = ("visitor", "asker", "helper", "moderator", "admin")

# POST routes that no page holds a form for, and why they are safe to leave to other tests.
NOT_FORMS = {
    "threads.preview": "the live preview, fetched by site.js with the page's token header; naughty strings "
                       "and XSS payloads are sent to it in tests/web/test_security.py",
}
# GET routes with an argument no world id fills: they serve files, not pages with forms.
NOT_PAGES = {"static": "files from app/static", "seo.sitemap_threads": "sitemap XML",
             "deflection.open_suggestion": "a redirect noting a suggestion opened", "deflection.token": "JSON"}
# Pages that show other forms with a query string.
PAGE_QUERIES = {
    "moderation.queue": ["", "?tab=edits", "?tab=hidden"],
    "account.reset_password": ["?token={reset_token}"],
    "account.confirm_email": ["?token={email_token}"],
    "notifications.unsubscribe": ["?token={unsubscribe_token}"],
}
# Ordinary text for the typed fields while the other fields are fuzzed, so the request gets past
# the required-field checks to where those other fields are read.
ORDINARY = {"email": "someone.new@example.com", "password": "Lantern-Orbit-Pebble-42"}
ORDINARY_TEXT = "An ordinary sentence, long enough for any of these fields."


def _naughty_sample() -> list[str]:
    """A few strings of each kind from the Big List, and the kinds it lacks (NUL, huge numbers, very long)."""
    kinds = [
        lambda s: "\u202e" in s or any("\u0590" <= ch <= "\u08ff" for ch in s),  # right-to-left
        lambda s: any(ch in s for ch in "\u200b\u200c\u200d\u2060\ufeff"),  # zero-width
        lambda s: any(ord(ch) >= 0x1F300 for ch in s),  # emoji
        lambda s: any(unicodedata.category(ch) == "Mn" for ch in s) and len(s) > 30,  # combining (Zalgo)
        lambda s: any(word in s.upper() for word in ("DROP TABLE", "' OR ", "1;", "SELECT ")),  # SQL
        lambda s: "<script" in s.lower() or "javascript:" in s.lower(),  # script
        lambda s: s.strip().lstrip("-+").replace(".", "", 1).isdigit() or s.lower() in ("nan", "infinity"),  # numbers
        lambda s: s.lower() in ("undefined", "null", "none", "true", "false", "nil"),  # reserved words
        lambda s: any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in s),  # control characters
        lambda s: "%s" in s or "{0}" in s or "../" in s,  # format strings, paths
    ]
    sample: list[str] = []
    for kind in kinds:
        sample += [s for s in NAUGHTY_STRINGS if kind(s) and s not in sample][:3]
    return sample + ["", " ", "\x00", "Text with a NUL\x00 in the middle", "\r\n\r\n", "-1", "9" * 30,
                     "x" * 50_000, "\U0001F600" * 5_000]


NAUGHTY_SAMPLE = _naughty_sample()


# --- the world every form shows up in -------------------------------------------------------------


@dataclass
class World:
    """The people and ids behind every form, by name: a form found once is found again after a reset."""

    people: dict[str, User]
    ids: dict[str, dict[str, int]]  # URL argument ("post_id") -> name -> id
    words: dict[str, str]  # the other URL arguments (a board's slug, a tag) and the mailed tokens

    def name_of(self, argument: str, value: int | str) -> str:
        return next((name for name, id_ in self.ids.get(argument, {}).items() if id_ == value), str(value))

    def value_of(self, argument: str, name: str) -> int | str:
        return self.ids[argument][name] if argument in self.ids else name

    def candidates(self, argument: str) -> list[str]:
        if argument in self.ids:
            return list(self.ids[argument])
        return [self.words[argument]] if argument in self.words else []


def _question_id(session, thread_id: int) -> int:
    return session.scalar(select(Post.id).where(Post.thread_id == thread_id, Post.kind == "question"))


def _make_world(app, session, make_user) -> World:
    people = {"asker": make_user(name="Asker Anna"), "helper": make_user(name="Helpful Hans"),
              "moderator": make_user("moderator", name="Mod Maja"), "admin": make_user("admin", name="Admin Ada"),
              "target": make_user(name="Target Tom"), "suspended": make_user(name="Suspended Sid", suspended=True),
              "resetting": make_user(name="Reset Rita"), "moving": make_user(name="Moving Max")}
    boards = [Board(slug=slug, name=slug.title(), description="", position=i)
              for i, slug in enumerate(("printers", "laptops", "scanners"))]
    session.add_all(boards)
    session.commit()
    moderator, target = people["moderator"], people["target"]
    thread = posting.ask(session, people["asker"], board_id=boards[0].id, tags="wireless",
                         title="Printer shows offline after the update", body="It worked yesterday; now it is offline.")
    accepted = posting.answer(session, people["helper"], thread_id=thread.id, body="Restart the printer and the router.")
    other = posting.answer(session, target, thread_id=thread.id, body="Reinstall the driver from the maker's site.")
    hidden = posting.answer(session, target, thread_id=thread.id, body="Buy a new printer, seriously.")
    comment = posting.comment(session, people["asker"], post_id=accepted.id, body="That did it, thank you!")
    solutions.accept(session, people["asker"], answer_id=accepted.id)
    official.mark(session, moderator, answer_id=accepted.id)
    review.hide(session, moderator, post_id=hidden.id, reason="off_topic")
    locked = posting.ask(session, target, board_id=boards[1].id,
                         title="Battery stops charging at sixty percent", body="Since the BIOS update it stops at 60%.")
    thread_moderation.lock(session, moderator, thread_id=locked.id)
    api_tokens.create(session, people["helper"], name="My script")  # so the revoke form shows
    board_admin.archive(session, people["admin"], board_id=boards[2].id)

    def token(salt: str, person: str, **extra) -> str:
        user = people[person]
        data = {"u": user.id, "s": account_recovery.account_stamp(user), **extra}
        return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt).dumps(data)

    return World(
        people=people,
        ids={"post_id": {"question": _question_id(session, thread.id), "accepted": accepted.id, "other": other.id,
                         "hidden": hidden.id, "comment": comment.id},
             "thread_id": {"thread": thread.id, "locked": locked.id},
             "user_id": {name: user.id for name, user in people.items()},
             "board_id": {b.slug: b.id for b in boards}},
        words={"slug": "printers", "name": "wireless",
               "reset_token": token(account_recovery.RESET_SALT, "resetting"),
               "email_token": token(account_recovery.EMAIL_SALT, "moving", e="max.new@example.com"),
               "unsubscribe_token": mail_outbox.unsubscribe_token(app.config["SECRET_KEY"], people["resetting"].id)},
    )


# --- finding the forms ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A form: the page (as names, not ids) a persona finds it on, and where it posts."""

    persona: str
    page_endpoint: str
    page_args: tuple[tuple[str, str], ...]
    page_query: str
    endpoint: str
    action_args: tuple[tuple[str, str], ...]
    field_names: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.endpoint} {dict(self.action_args)} (as {self.persona}, on {self.page_endpoint})"


def _clients(app, new_client, world: World) -> dict:
    clients = {"visitor": new_client()}
    for persona in PERSONAS[1:]:
        clients[persona] = new_client()
        clients[persona].sign_in(world.people[persona])
    return clients


def _page_url(app, world: World, endpoint: str, args: dict[str, str], query: str) -> str:
    values = {name: world.value_of(name, value) for name, value in args.items()}
    return app.url_map.bind("localhost").build(endpoint, values) + query.format(**world.words)


def _pages(app, world: World):
    """Every HTML page of the URL map, as (endpoint, argument names, query); one rule per endpoint,
    the one with the fewest arguments (/t/<id> rather than /t/<id>-<slug>, which redirects to it)."""
    rules: dict[str, object] = {}
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES:
            if rule.endpoint not in rules or len(rule.arguments) < len(rules[rule.endpoint].arguments):
                rules[rule.endpoint] = rule
    for endpoint, rule in sorted(rules.items()):
        names = sorted(rule.arguments)
        missing = [name for name in names if not world.candidates(name)]
        assert not missing, f"{rule.rule}: give the world a {missing} (or list the route in NOT_PAGES)"
        for combination in product(*(world.candidates(name) for name in names)):
            for query in PAGE_QUERIES.get(endpoint, [""]):
                yield endpoint, tuple(zip(names, combination)), query


def _open(client, url: str):
    """A page after its redirects (/t/1 leads to /t/1-its-title), and the address it ended at."""
    response = client.get(url, follow_redirects=True)
    request = response.request
    return response, request.path + (f"?{request.query_string.decode()}" if request.query_string else "")


def _action(app, world: World, page_url: str, form: Form) -> tuple[str, str, dict]:
    """Where a form posts: its address (path and query), endpoint and arguments by name."""
    parts = urlsplit(form.action or page_url)
    address = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        endpoint, args = app.url_map.bind("localhost").match(parts.path, method="POST")
    except HTTPException:
        endpoint, args = f"(no POST route: {parts.path})", {}
    return address, endpoint, {name: world.name_of(name, value) for name, value in args.items()}


def _find_forms(app, world: World, clients: dict) -> dict[tuple, Case]:
    """Every POST form any persona sees, once per target and set of fields."""
    cases: dict[tuple, Case] = {}
    for persona, (endpoint, args, query) in product(PERSONAS, list(_pages(app, world))):
        response, url = _open(clients[persona], _page_url(app, world, endpoint, dict(args), query))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms(response.get_data(as_text=True)):
            if form.method != "post":
                continue
            _, target, action_args = _action(app, world, url, form)
            names = tuple(sorted({f.name for f in form.fields}))
            # One board's edit form stands for all: their fields differ only by the board's id.
            cases.setdefault((target, re.sub(r"[0-9]+", "N", str(names))), Case(persona, endpoint, args, query, target,
                                                   tuple(sorted(action_args.items())), names))
    return cases


@pytest.fixture
def world(app, session, make_user) -> World:
    return _make_world(app, session, make_user)


def test_every_post_route_has_a_form_here(app, new_client, world):
    cases = _find_forms(app, world, _clients(app, new_client, world))

    targets = {case.endpoint for case in cases.values()}
    # The JSON API takes JSON, not forms: schemathesis sends it hostile input (tests/api).
    post_routes = {rule.endpoint for rule in app.url_map.iter_rules()
                   if "POST" in rule.methods and not rule.endpoint.startswith("api.")}
    assert sorted(targets - post_routes) == []  # a form that posts to no route
    assert sorted(post_routes - targets - NOT_FORMS.keys()) == []
    assert not NOT_FORMS.keys() & targets  # listed as formless, but a form was found


# --- sending them --------------------------------------------------------------------------------


def _fill(form: Form, text: str, *, hostile: bool) -> tuple[dict[str, list[str]], list[FormField]]:
    """The fields to send, and those that got `text`: the typed ones (as a person sends it: the
    others as the page had them, unticked boxes and named buttons not sent), or every other one."""
    data: dict[str, list[str]] = {}
    fuzzed: list[FormField] = []
    for f in form.fields:
        typed = f.typed and f.name != HONEYPOT_FIELD
        if f.name == "csrf_token":
            value = f.value
        elif typed:
            value = text if not hostile else ORDINARY.get(f.type, ORDINARY_TEXT)
        elif hostile:
            value = text
        elif f.checked and f.tag != "button":
            value = f.value
        else:
            continue
        if value is text:
            fuzzed.append(f)
        data.setdefault(f.name, []).append(value)
    return data, fuzzed


def _accepted_forms_of(text: str, f: FormField) -> set[str]:
    """What a re-rendered field may show for `text`: exactly it, or the app's documented cleaning."""
    return {text, clean_body(text) if f.tag == "textarea" else clean_line(text)}


def _check_kept(problems: list[str], where: str, html: str, again: Form | None, fuzzed: list[FormField],
                text: str) -> None:
    kept = [f for f in fuzzed if f.type != "password"]
    if again is not None:
        shown = {f.name: f.value for f in again.fields}
        for f in kept:
            if shown.get(f.name) not in _accepted_forms_of(text, f):
                problems.append(f"{where}: field {f.name} shows {shown.get(f.name)!r:.60}, typed {text!r:.60}")
    elif text.strip():  # an error page: its box of typed text (blank text is not shown there)
        boxes = [value for values in parse(html).textareas.values() for value in values]
        if kept and text not in boxes:
            problems.append(f"{where}: the error page lost the typed text {text!r:.60}")


def _send_all(app, new_client, session, make_user, database_url, case: Case) -> list[str]:
    """Send one form with every naughty string, typed and hostile; the problems found."""
    empty_all_tables(database_url)
    world = _make_world(app, session, make_user)
    client = _clients(app, new_client, world)[case.persona]
    response, url = _open(client, _page_url(app, world, case.page_endpoint, dict(case.page_args), case.page_query))
    html = response.get_data(as_text=True)
    found = [form for form in forms(html) if form.method == "post"
             and _action(app, world, url, form)[1:] == (case.endpoint, dict(case.action_args))
             and tuple(sorted({f.name for f in form.fields})) == case.field_names]
    if not found:
        return [f"{case}: not on its page after a reset"]
    form = found[0]
    address = _action(app, world, url, form)[0]
    problems: list[str] = []
    for text, hostile in product(NAUGHTY_SAMPLE, (False, True)):
        data, fuzzed = _fill(form, text, hostile=hostile)
        if not fuzzed:
            continue
        where = f"{case} {'hostile' if hostile else 'typed'} {text!r:.40}"
        try:
            response = client.post(address, data=data)
        except Exception as exc:  # noqa: BLE001 - TESTING lets a view's exception through: a 500 in production
            problems.append(f"{where}: {exc!r:.200}")
            continue
        if response.status_code >= 500:
            problems.append(f"{where}: {response.status_code}")
        # 201: a success that shows what it made (a new API token is shown once, not redirected to).
        elif not hostile and response.status_code not in (201, 301, 302, 303):
            body = response.get_data(as_text=True)
            again = next((f for f in forms(body) if urlsplit(f.action or address).path == urlsplit(address).path
                          and f.method == "post"), None)
            _check_kept(problems, where, body, again, fuzzed, text)
    # Bytes that are not UTF-8 in every field at once.
    token = next((f.value for f in form.fields if f.name == "csrf_token"), None) or client.fetch_csrf_token()
    raw = "&".join([f"csrf_token={quote_plus(token)}"] + [f"{quote_plus(f.name)}=%ff%fe%fd+bad+bytes"
                                                           for f in form.fields if f.name != "csrf_token"])
    response = client.post(address, data=raw, content_type="application/x-www-form-urlencoded", with_csrf=False)
    if response.status_code >= 500:
        problems.append(f"{case} invalid UTF-8: {response.status_code}")
    return problems


def test_every_form_takes_naughty_strings_without_an_error_or_losing_them(
        app, new_client, session, make_user, database_url, world):
    cases = _find_forms(app, world, _clients(app, new_client, world))
    assert len(NAUGHTY_SAMPLE) >= 30
    problems: list[str] = []
    sent = 0
    for case in cases.values():
        if not any(f for f in case.field_names if f != "csrf_token"):
            continue  # a button alone (sign out, lock): nothing to type or to fuzz
        problems += _send_all(app, new_client, session, make_user, database_url, case)
        sent += 1
    assert sent >= 20
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:60])
