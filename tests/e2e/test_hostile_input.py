"""Every XSS payload of tests/data (134) in every field members fill in, opened in Chromium.

The payloads are written into the live server's database through the services (fast): each one
as a question title, question body, tags (refused, but for harmless words) and display name of
its own thread and author, and on five bundle threads as an answer, a comment and an edit (title,
text and reason) each. Then a few pages that show many payloads each are opened: the board with
every title, the bundle threads (every answer's author is a payload name), their edit histories,
profiles, the members list, search results (the payloads as queries, and every payload thread's
snippet), and the forms that send payloads back after refusing them (ask, edit and its preview,
sign-up, sign-in), whose fields must show exactly what was sent.

The pages are opened with the Content-Security-Policy switched off (`bypass_csp`): the policy
would stop most inline scripts anyway, but escaping and sanitising must be enough on their own.
On every page: no dialog opened and no alert/confirm/prompt called (an init script records each
call and logs a console marker), no JavaScript error, no `on*` attribute anywhere, no script but
the site's own files and its JSON-LD (which must still parse), no `javascript:`/`data:` address
in any link, source or form target, no frame, object, embed, base or meta refresh, only the
sanitiser's tags inside member-written HTML, and the address is still the one opened. The
detectors are shown to work on a page that does carry each of these.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import Error as PlaywrightError, Page
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.models import Post, Thread, User
from app.search import indexer, registry
from app.search.backend import QUERY_MAX
from app.services import accounts, passwords, posting
from app.services.errors import InvalidInput
from app.services.rendering import ALLOWED_TAGS
from app.services.text import clean_line
from tests.e2e.conftest import PASSWORD, BrowserProblems, LiveServer, sign_in
from tests.web.payloads import XSS_PAYLOADS

BUNDLES = 5  # thread pages holding the payloads as answers, comments and revisions
_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

# Runs in every frame before the page's own scripts: a payload that gets to call alert() & co.
# leaves a mark, a console message and (through the real function) a dialog.
_RECORD_CALLS = """
window.__xssCalls = [];
for (const name of ["alert", "confirm", "prompt"]) {
  const real = window[name];
  window[name] = function (...args) {
    window.__xssCalls.push(name + "(" + args.join(",") + ")");
    console.error("XSS-MARKER " + name + " called on " + location.href);
    return real.apply(this, args);
  };
}
"""

# Everything on the page that could run script or leave the site, as a list of problems.
_FIND_PROBLEMS = """
([allowedUserTags, expectedPath]) => {
  const problems = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "background",
                                 "lowsrc", "dynsrc", "poster", "cite", "codebase", "srcset", "ping", "manifest"]);
  const forbidden = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base", "math",
                             "style", "template", "portal"]);
  const describe = (el) => "<" + el.localName + (el.id ? "#" + el.id : "") + ">";
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`event handler ${name}= on ${describe(el)}`);
      if (name === "srcdoc") problems.push(`srcdoc= on ${describe(el)}`);
      if (urlAttributes.has(name) && attr.value.trim()) {
        // srcset holds "address width" pairs; every other attribute one address, read as the browser does.
        const addresses = name === "srcset" ? attr.value.split(",").map(p => p.trim().split(/\\s+/)[0]) : [attr.value];
        for (const address of addresses) {
          let scheme = null;
          try { scheme = new URL(address, document.baseURI).protocol; } catch (e) { /* not followable */ }
          if (scheme && !["http:", "https:", "mailto:"].includes(scheme)) {
            problems.push(`${name}=${JSON.stringify(attr.value.slice(0, 80))} on ${describe(el)}`);
          }
        }
      }
    }
    if (forbidden.has(tag)) problems.push(`${describe(el)} element`);
    if (tag === "meta" && el.hasAttribute("http-equiv")) problems.push(`<meta http-equiv=${el.getAttribute("http-equiv")}>`);
    const bell = el.classList.contains("bell-icon") && el.parentElement.matches("header .nav-bell");
    if (tag === "svg" && !el.classList.contains("chart-svg") && !bell) {
      problems.push("<svg> that is not the site's chart or bell");
    }
    if (tag === "script") {
      if (el.type === "application/ld+json") {
        try { JSON.parse(el.textContent); } catch (e) { problems.push("JSON-LD block does not parse: " + e); }
      } else if (!(el.src && new URL(el.src).origin === location.origin
                   && new URL(el.src).pathname.startsWith("/static/") && !el.textContent.trim())) {
        problems.push(`script not from /static/: ${JSON.stringify(el.outerHTML.slice(0, 120))}`);
      }
    }
  }
  for (const box of document.querySelectorAll(".post-body, .comment-body")) {
    for (const el of box.querySelectorAll("*")) {
      if (!allowedUserTags.includes(el.localName)) problems.push(`<${el.localName}> inside member-written HTML`);
    }
  }
  if (location.pathname + location.search !== expectedPath) problems.push("the page moved to " + location.href);
  if (window.__xssCalls.length) problems.push("called: " + window.__xssCalls.join(" "));
  return problems;
}
"""

# What a bundle thread page shows: its answers and comments, and the title in the heading and in
# the JSON-LD (the same text in both, or a payload broke out of one of them).
_THREAD_FACTS = """() => {
  let ldName = null;
  try {
    ldName = JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent).mainEntity.name;
  } catch (e) { /* reported by _FIND_PROBLEMS */ }
  return {answers: document.querySelectorAll("article.post-answer").length,
          comments: document.querySelectorAll(".comment-body").length,
          h1: document.querySelector("h1")?.textContent.trim() ?? null, ld_name: ldName};
}"""

# Lets a task run (timers, toggle events, image errors, autofocus) before the page is judged.
_SETTLE = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"

# A form built and sent from a page of the site, as a browser sends it (the page's CSRF token).
_SEND_FORM = """
([action, fields]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const token = document.querySelector('meta[name="csrf-token"]')?.content
    || document.querySelector('input[name="csrf_token"]')?.value;
  for (const [name, value] of Object.entries({csrf_token: token, ...fields})) {
    const box = document.createElement("textarea");
    box.name = name;
    box.value = value;
    form.appendChild(box);
  }
  document.body.appendChild(form);
  setTimeout(() => form.submit(), 0);  // after this script has answered
}
"""


@dataclass
class Inspector:
    """Opens pages in one browser context and collects what is wrong on them."""

    page: Page
    problems: list[str] = field(default_factory=list)
    opened: int = 0

    @classmethod
    def start(cls, new_page, live: LiveServer) -> Inspector:
        page = new_page(bypass_csp=True)
        page.add_init_script(_RECORD_CALLS)
        # Nothing leaves the machine: another host's image (or script, were one let through) gets a
        # tiny PNG, which a script cannot run as (that would be a page error, and caught). A pattern,
        # not a function: the browser then asks Python only about those requests.
        elsewhere = re.compile(rf"^(?!{re.escape(live.url)}/)[a-z]+://")
        page.context.route(elsewhere, lambda route: route.fulfill(content_type="image/png", body=_PNG))
        return cls(page)

    def judge(self, where: str, url: str) -> None:
        """Look at the page now showing, which the server sent for `url` (after its redirects)."""
        self.opened += 1
        parts = urlsplit(url)
        try:
            self.page.evaluate(_SETTLE)
            found = self.page.evaluate(_FIND_PROBLEMS, [sorted(ALLOWED_TAGS),
                                                        parts.path + (f"?{parts.query}" if parts.query else "")])
        except PlaywrightError as exc:  # a payload that navigates (meta refresh, script) pulls the page away
            found = [f"the page could not be checked: {exc.message.splitlines()[0]}"]
        self.problems.extend(f"{where}: {problem}" for problem in found)

    def open(self, path: str, where: str | None = None) -> None:
        response = self.page.goto(path)
        if response is None or response.status != 200:
            self.problems.append(f"{where or path}: status {response and response.status}")
        self.judge(where or path, response.url if response else path)

    def send(self, action: str, fields: dict[str, str], where: str, status: int = 400) -> None:
        """Post a form from the current page, as a browser does, and judge the page that comes back."""
        try:
            with self.page.expect_navigation() as navigation:
                self.page.evaluate(_SEND_FORM, [action, fields])
            response = navigation.value
        except PlaywrightError as exc:  # the page it was sent from went elsewhere by itself
            self.problems.append(f"{where}: the form could not be sent: {exc.message.splitlines()[0]}")
            return
        if response is None or response.status != status:
            self.problems.append(f"{where}: status {response and response.status}, expected {status}")
        self.judge(where, response.url if response else action)

    def read(self, script: str) -> object:
        """What a script finds on the page now showing; None when the page went away meanwhile."""
        try:
            return self.page.evaluate(script)
        except PlaywrightError:
            return None

    def check(self, holds: bool, problem: str) -> None:
        """A fact about the page; collected with the rest, so one run reports every problem."""
        if not holds:
            self.problems.append(problem)

    def field_values(self) -> dict[str, str]:
        return self.read("""() => Object.fromEntries(
            [...document.querySelectorAll("main input[name], main textarea[name]")].map(f => [f.name, f.value]))""") or {}


# --- the payloads in the database ----------------------------------------------------------------


@dataclass
class Seeded:
    titles: list[str]  # of the one-payload threads, as shown (cleaned)
    authors: list[User]  # one per payload, named by it
    bundles: list[tuple[Thread, Post]]  # bundle thread and its question
    bundle_members: list[User]  # one per bundle, named by all its payloads
    poster: User


def _chunks(items: list, n: int) -> list[list]:
    size = -(-len(items) // n)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _one_line(payloads: list[str]) -> str:
    """Payloads side by side in one single-line field (a browser drops line breaks from those)."""
    return " ".join(p.replace("\n", " ") for p in payloads)


def _queries(payloads: list[str], limit: int = QUERY_MAX) -> list[str]:
    """The payloads as few search queries as the search box takes (a longer query is cut)."""
    queries = [""]
    for payload in (_one_line([p])[:limit] for p in payloads):
        if len(queries[-1]) + 1 + len(payload) > limit:
            queries.append("")
        queries[-1] = f"{queries[-1]} {payload}".strip()
    return queries


def _seed(live: LiveServer, monkeypatch) -> Seeded:
    # Sign-up's hashing is scrypt (a quarter second each); these accounts never sign in.
    monkeypatch.setattr(passwords, "hash_password", lambda p: generate_password_hash(p, method="pbkdf2:sha256:1"))
    poster = live.add_member("Hostile Hanna")
    board_id = live.board("printers").id

    def work(session) -> Seeded:
        hanna = session.get(User, poster.id)
        hanna.reputation = 100  # past the new-member link allowance: the bundles hold many links
        authors, titles = [], []
        for i, payload in enumerate(XSS_PAYLOADS):
            try:  # through sign-up's rules; a name they refuse is stored anyway, as an import might:
                author = accounts.register(session, email=f"payload{i}@example.com", display_name=payload,
                                           password="Lantern-Orbit-Pebble-42")
            except InvalidInput:  # what is shown must be safe whatever got into the database
                author = User(email=f"payload{i}@example.com", display_name=f"{payload} {i}",
                              password_hash=hanna.password_hash)
                session.add(author)
                session.commit()
            authors.append(author)
            title = f"Case {i:03d} {payload}"[:posting.TITLE_MAX]
            body = f"{payload}\n\nCase {i:03d}: the question itself."
            try:  # as tags too: refused but for a few harmless words (then shown on the board page)
                posting.ask(session, author, board_id=board_id, title=title, body=body, tags=payload)
            except InvalidInput as refused:
                assert set(refused.errors) == {"tags"}, (payload, refused.errors)
                posting.ask(session, author, board_id=board_id, title=title, body=body, tags="")
            titles.append(clean_line(title))

        bundles, bundle_members = [], []
        for b, chunk in enumerate(_chunks(list(enumerate(XSS_PAYLOADS)), BUNDLES)):
            joined = "\n\n".join(p for _, p in chunk)
            thread = posting.ask(session, hanna, board_id=board_id, title=f"Bundle {b}: many payloads",
                                 body=f"Bundle {b}, the first version.")
            question = session.scalars(select(Post).where(Post.thread_id == thread.id, Post.kind == "question")).one()
            for i, payload in chunk:
                posting.answer(session, authors[i], thread_id=thread.id, body=f"{payload}\n\nAnswer {i:03d}.")
                posting.comment(session, authors[i], post_id=question.id, body=payload)
                posting.edit(session, hanna, post_id=question.id, body=f"{payload}\n\nRevision {i:03d}.",
                             title=f"Edit {i:03d} {payload}"[:posting.TITLE_MAX], reason=payload)
            posting.edit(session, hanna, post_id=question.id, body=joined,
                         title=f"Bundle {b}: {chunk[0][1]}"[:posting.TITLE_MAX], reason="all payloads at once")
            # A profile shows one name: all of the bundle's payloads in one (far past the rules) make
            # a few profile pages enough.
            named = User(email=f"bundle{b}@example.com", display_name=_one_line([p for _, p in chunk]),
                         password_hash=hanna.password_hash, reputation=100)
            session.add(named)
            session.commit()
            posting.answer(session, named, thread_id=thread.id, body=joined)
            bundles.append((thread, question))
            bundle_members.append(named)
        return Seeded(titles, authors, bundles, bundle_members, hanna)

    seeded = live._in_app(work)
    live._in_app(lambda s: indexer.drain(s, registry.backend(live.app)))
    return seeded


def _kept(inspector: Inspector, where: str, typed: dict[str, str]) -> None:
    shown = inspector.field_values()
    for name, value in typed.items():
        if shown.get(name) != value:
            inspector.problems.append(f"{where}: field {name} shows {shown.get(name)!r:.80}, typed {value!r:.80}")


# --- the test --------------------------------------------------------------------------------------


def test_no_payload_in_any_field_runs_or_breaks_out_in_chromium(
        new_page, live_server: LiveServer, browser_problems: BrowserProblems, monkeypatch):
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS) >= 100
    live_server.app.config["THREADS_PER_PAGE"] = 500  # every payload title on one board page
    seeded = _seed(live_server, monkeypatch)
    live_server.add_member("Admin Ada", role="admin")
    chunks = _chunks(XSS_PAYLOADS, BUNDLES)

    visitor = Inspector.start(new_page, live_server)
    visitor.open("/")
    visitor.open("/b/printers")
    links = set(visitor.read("() => [...document.querySelectorAll('main a')].map(a => a.textContent.trim())") or [])
    missing = [t for t in seeded.titles if t not in links]
    visitor.check(missing == [], f"board: {len(missing)} payload titles not shown as text, like {missing[:3]}")

    for (thread, question), chunk in zip(seeded.bundles, chunks):
        visitor.open(f"/t/{thread.id}", f"bundle thread {thread.id}")
        shown = visitor.read(_THREAD_FACTS) or {}
        visitor.check(shown.get("answers") == len(chunk) + 1, f"thread {thread.id}: answers lost")
        visitor.check(shown.get("comments") == len(chunk), f"thread {thread.id}: comments lost")
        visitor.check(shown.get("h1") is not None and shown.get("ld_name") == shown.get("h1"),
                      f"thread {thread.id}: the JSON-LD name is not the title shown")
        visitor.open(f"/p/{question.id}/history", f"history of bundle {thread.id}")
        visitor.check(visitor.read("() => document.querySelectorAll('.revision').length") == len(chunk) + 2,
                      f"history {question.id}: revisions lost")
    for member in seeded.bundle_members:
        visitor.open(f"/u/{member.id}", f"profile of bundle member {member.id}")
        visitor.check((visitor.read("() => document.querySelector('h1').textContent.trim()") or "")
                      .startswith(member.display_name), f"profile {member.id}: the name is not shown as text")
    for i, query in enumerate(_queries(XSS_PAYLOADS)):
        visitor.open("/search?" + urlencode({"q": query}), f"search {i} for {query!r:.60}")
    for number in range(1, 2 + len(XSS_PAYLOADS) // 10):  # every payload thread, with its snippet
        visitor.open(f"/search?q=case&page={number}", f"search results page {number}")

    # Refused forms send every payload back: in input values, in text areas and in error messages.
    visitor.open("/register")
    for b, chunk in enumerate(chunks):
        line = _one_line(chunk)
        visitor.send("/register", {"email": line, "display_name": line, "password": "x"}, f"sign-up {b}")
        _kept(visitor, f"sign-up {b}", {"email": line, "display_name": line, "password": ""})
        visitor.send("/login", {"email": line, "password": "x"}, f"sign-in {b}")
        _kept(visitor, f"sign-in {b}", {"email": line, "password": ""})

    member = Inspector.start(new_page, live_server)
    member.page.goto("/")
    sign_in(member.page, seeded.poster.email, PASSWORD)
    board_id = str(live_server.board("printers").id)
    for (thread, question), chunk in zip(seeded.bundles, chunks):
        joined, line = "\n\n".join(chunk), _one_line(chunk)
        member.open(f"/p/{question.id}/edit", f"edit form of bundle {thread.id}")
        _kept(member, f"edit form {thread.id}", {"body": joined})
        edit = {"title": line, "body": joined, "tags": line, "reason": line, "preview": "1"}
        member.send(f"/p/{question.id}/edit", edit, f"edit preview {thread.id}", status=200)
        _kept(member, f"edit preview {thread.id}", {k: v for k, v in edit.items() if k != "preview"})
        ask = {"board": board_id, "title": line, "body": joined, "tags": line, "checked_similar": "1"}
        member.send("/ask", ask, f"ask {thread.id}")
        _kept(member, f"ask {thread.id}", {k: v for k, v in ask.items() if k != "board"})

    admin = Inspector.start(new_page, live_server)
    admin.page.goto("/")
    sign_in(admin.page, "admin.ada@example.com", PASSWORD)
    for number in range(1, 2 + len(seeded.authors) // 50):
        admin.open(f"/admin/users?page={number}", f"members list page {number}")

    problems = visitor.problems + member.problems + admin.problems
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:40])
    assert browser_problems.dialogs == []
    assert visitor.opened + member.opened + admin.opened > 80


# --- the detectors see what they look for ----------------------------------------------------------

_PROBE_PAGE = """<!doctype html><html><head><title>probe</title>
<base href="/">
<meta http-equiv="refresh" content="3600">
<script>window.__inline = true; history.replaceState(null, "", "/probe-moved")</script>
<script type="application/ld+json">{"name": "</script>
</head><body>
<div class="post-body"><p>fine</p><img src="https://a.example/x.png" onload="alert('probe')"><form action="/logout"></form></div>
<a href="jav&#x09;ascript:alert(1)">link</a>
<iframe srcdoc="<p>x</p>"></iframe><object data="data:text/html,x"></object><embed src="https://a.example/x.swf">
<button formaction="javascript:alert(1)">send</button>
<svg><circle r="1"/></svg>
</body></html>"""


def test_the_detectors_catch_a_page_that_does_run_a_payload(new_page, live_server: LiveServer,
                                                            browser_problems: BrowserProblems):
    """The checks above mean something: a page carrying each kind of problem is caught on every count."""
    inspector = Inspector.start(new_page, live_server)
    inspector.page.route(f"{live_server.url}/probe", lambda route: route.fulfill(content_type="text/html",
                                                                                 body=_PROBE_PAGE))
    inspector.open("/probe")

    found = "\n".join(inspector.problems)
    for expected in ["event handler onload= on <img>", 'href="jav\\tascript:alert(1)" on <a>',
                     "formaction=", "<iframe> element", "srcdoc= on <iframe>", "<object> element",
                     "<embed> element", "<base> element", "<meta http-equiv=refresh>",
                     "script not from /static/", "JSON-LD block does not parse", "<svg> that is not",
                     "<form> inside member-written HTML", "called: alert(probe)", "the page moved to"]:
        assert expected in found, (expected, found.splitlines())
    assert inspector.page.evaluate("window.__inline") is True  # the policy is off: the payload did run
    # The dialog and the console marker reached the fixture that fails every browser test.
    dialogs = browser_problems.take_dialogs()
    assert len(dialogs) == 1 and dialogs[0].startswith("alert dialog") and dialogs[0].endswith(": 'probe'"), dialogs
    assert any("XSS-MARKER alert" in p for p in browser_problems.take_all())
