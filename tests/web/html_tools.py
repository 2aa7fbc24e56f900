"""Reading pages in web tests: form values, field errors, links and unsafe markup, via html.parser."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

SITE_HEADER = '<header class="site-header">'

# Tags that run code, load content or post data; none may come from what a member typed.
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "form", "input", "base",
                  "frame", "frameset", "applet", "meta", "link", "math", "video", "audio", "template"}
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")
# Where member text is shown as HTML (post bodies, comments, previews).
_USER_HTML_CLASSES = {"post-body", "comment-body"}


@dataclass
class Tag:
    name: str
    attrs: list[tuple[str, str | None]]
    in_user_html: bool

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)


@dataclass
class Page:
    """Everything the tests look for in one HTML page."""

    tags: list[Tag] = field(default_factory=list)
    inputs: dict[str, list[str]] = field(default_factory=dict)
    textareas: dict[str, list[str]] = field(default_factory=dict)  # by id (WTForms: id = name)
    selected: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        """The value a form field shows (textarea by id, else first input of that name), as a browser reads it."""
        if name in self.textareas:
            return self.textareas[name][0]
        if name in self.inputs:
            return self.inputs[name][0]
        return None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._error_list: str | None = None
        self._error_item: list[str] | None = None
        self._div_depth = 0
        self._user_html_depth: int | None = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self._start(tag, attrs)
        if tag == "div":
            self._div_depth += 1
            classes = set((dict(attrs).get("class") or "").split())
            if self._user_html_depth is None and classes & _USER_HTML_CLASSES:
                self._user_html_depth = self._div_depth

    def handle_startendtag(self, tag, attrs):  # noqa: ANN001
        self._start(tag, attrs)

    def _start(self, tag: str, attrs: list) -> None:
        self.page.tags.append(Tag(tag, attrs, self._user_html_depth is not None))
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.page.inputs.setdefault(name, []).append(a.get("value") or "y")
            else:
                self.page.inputs.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea = (a.get("id") or name or "", [])
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            self._option = (a.get("value") or "", "selected" in a)
            if self._option[1]:
                self.page.selected.setdefault(self._select, []).append(self._option[0])
        elif tag == "ul" and "errors" in (a.get("class") or "").split():
            self._error_list = (a.get("id") or "").removesuffix("-error")
        elif tag == "li" and self._error_list is not None:
            self._error_item = []

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # HTML drops one newline right after <textarea> (WTForms writes "\r\n" there).
            text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
            self.page.textareas.setdefault(name, []).append(text)
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "li" and self._error_item is not None:
            self.page.errors.setdefault(self._error_list, []).append("".join(self._error_item).strip())
            self._error_item = None
        elif tag == "ul":
            self._error_list = None
        elif tag == "div":
            if self._user_html_depth == self._div_depth:
                self._user_html_depth = None
            self._div_depth -= 1

    def handle_data(self, data):  # noqa: ANN001
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._error_item is not None:
            self._error_item.append(data)
        self.page.text.append(data)


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in an href/src: control characters and spaces removed."""
    cleaned = _CONTROL_AND_SPACE.sub("", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


def _is_site_markup(tag: Tag) -> bool:
    """Whether a dangerous-looking tag is one the site's own templates write."""
    if tag.in_user_html:
        return False
    if tag.name == "script":
        if tag.attrs == [("type", "application/ld+json")]:  # JSON-LD for search engines: data, never run
            return True
        return (tag.get("src") or "").startswith("/static/") and len(tag.attrs) == 2
    if tag.name == "meta":
        return (tag.get("name") in ("viewport", "description", "csrf-token", "robots")
                or tag.get("charset") == "utf-8"
                or (tag.get("property") or "").startswith("og:") or (tag.get("name") or "").startswith("twitter:"))
    if tag.name == "link":
        href = tag.get("href") or ""
        on_site = (href.startswith("/") and not href.startswith("//")) or href.startswith("http://localhost/")
        atom_feed = tag.get("rel") == "alternate" and tag.get("type") == "application/atom+xml"  # app/web/feeds.py
        return (tag.get("rel") in ("stylesheet", "canonical", "icon") or atom_feed) and on_site
    if tag.name == "svg":  # the site's own charts (profile), drawn from numbers, never from member text
        classes = (tag.get("class") or "").split()
        return ("chart-svg" in classes and tag.get("role") == "img") or (
            "bell-icon" in classes and tag.get("aria-hidden") == "true")  # the header's bell, a fixed drawing
    if tag.name == "form":
        action = tag.get("action") or ""
        return tag.get("method") in ("post", "get") and (
            action == "" or (action.startswith("/") and not action.startswith("//")))
    if tag.name == "input":
        return (tag.get("type"), tag.get("name")) in {("hidden", "csrf_token"), ("hidden", "base_revision"),
                                                      ("hidden", "next"), ("hidden", "checked_similar"),
                                                      ("hidden", "ask_session"), ("checkbox", "post_id")} or (
            tag.get("type") in ("text", "email", "password", "checkbox", "search") and tag.get("name") in
            {"email", "password", "display_name", "remember", "title", "tags", "reason", "member", "target",
             "q", "tag", "solved", "official", "website",  # website: the sign-up honeypot
             "product", "os_version", "os"})
    return False


def unsafe_markup(html: str) -> list[str]:
    """Every piece of markup in a page that could run code or post data and is not the site's own."""
    problems = []
    for tag in parse(html).tags:
        if tag.name in DANGEROUS_TAGS and not _is_site_markup(tag):
            problems.append(f"<{tag.name} {tag.attrs}>")
        for name, value in tag.attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag.name}>")
            if name == "style":
                problems.append(f"style= on <{tag.name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data", "background",
                        "lowsrc", "dynsrc", "poster") and value:
                scheme = url_scheme(value)
                if scheme not in (None, "http", "https"):
                    problems.append(f"{name}={value!r} on <{tag.name}>")
    return problems


def user_links_and_images(html: str) -> tuple[list[Tag], list[Tag]]:
    """The <a href> and <img> tags inside member-written HTML."""
    tags = [t for t in parse(html).tags if t.in_user_html]
    return [t for t in tags if t.name == "a" and t.get("href")], [t for t in tags if t.name == "img"]


def location_is_on_site(location: str) -> bool:
    """A redirect target that a browser resolves to this site (relative, or http://localhost)."""
    if any(ord(ch) < 33 for ch in location) or "\\" in location:
        return False
    parts = urlsplit(location)
    if parts.scheme:
        return parts.scheme in ("http", "https") and parts.netloc == "localhost"
    return location.startswith("/") and not location.startswith("//") and not parts.netloc


def path_of(location: str) -> str:
    """The path and query of a redirect target, without scheme and host."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- forms, as a browser would send them -------------------------------------------------------


@dataclass
class FormField:
    """One named control of a form: input (with its type), textarea, select or button."""

    tag: str
    type: str
    name: str
    value: str
    options: list[str] = field(default_factory=list)  # a select's option values
    checked: bool = True  # False: an unticked checkbox or radio button, which a browser does not send
    editable: bool = True  # False: hidden or read-only (a password manager's username hint)

    @property
    def typed(self) -> bool:
        """Whether a person types into it (the fields whose text must never be lost)."""
        return self.editable and (self.tag == "textarea" or (self.tag == "input" and self.type in _TYPED_INPUTS))


_TYPED_INPUTS = {"text", "email", "search", "password", "url", "tel", "number"}


@dataclass
class Form:
    action: str
    method: str
    fields: list[FormField] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._text: list[str] | None = None  # of the open textarea
        self._select: FormField | None = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        if self._form is None or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            ticked = "checked" in a or kind not in ("checkbox", "radio")
            self._form.fields.append(FormField(tag, kind, a["name"], a.get("value", "on" if kind == "checkbox" else ""),
                                               checked=ticked, editable=not {"hidden", "readonly"} & a.keys()))
        elif tag == "textarea":
            self._form.fields.append(FormField(tag, "textarea", a["name"], ""))
            self._text = []
        elif tag == "select":
            self._select = FormField(tag, "select", a["name"], "")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a or len(self._select.options) == 1:
                self._select.value = a.get("value", "")
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.fields.append(FormField(tag, "submit", a["name"], a.get("value", "")))

    def handle_data(self, data):  # noqa: ANN001
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "textarea" and self._text is not None:
            text = "".join(self._text)
            # HTML drops one newline right after <textarea> (WTForms writes "\r\n" there).
            self._form.fields[-1].value = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self._text = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def forms(html: str) -> list[Form]:
    """The forms of a page with their named fields and the values they would send as they are."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms
