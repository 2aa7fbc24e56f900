"""schema.org data for search engines: a thread page as a QAPage with its question and answers.

Built from what the page shows, minus every hidden post: staff and authors see hidden posts on the
page, but what search engines read must be what any visitor may read.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from markupsafe import Markup

from app.models import Post, User
from app.services.thread_view import ThreadView


def plain_text(html: str) -> str:
    """The text of sanitised post HTML: tags dropped, entities decoded, white space collapsed."""
    return Markup(html or "").striptags()


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def qa_page(view: ThreadView, *, post_url: Callable[[Post], str],
            user_url: Callable[[User], str]) -> dict | None:
    """The QAPage of a thread page, or None when its question is hidden (nothing to tell then).

    `post_url` and `user_url` give absolute addresses. The accepted answer is acceptedAnswer; the
    other visible answers on the page (the official one too, if it is not the accepted one) are
    suggestedAnswer. answerCount is the thread's count of visible answers, on all pages.
    """
    thread, question = view.thread, view.question
    if thread.is_hidden or question.is_hidden:
        return None

    def person(user: User) -> dict:
        return {"@type": "Person", "name": user.display_name, "url": user_url(user)}

    def answer(post: Post) -> dict:
        return {"@type": "Answer", "text": plain_text(post.body_html), "upvoteCount": post.kudos_count,
                "url": post_url(post), "dateCreated": _iso(post.created_at), "author": person(post.author)}

    entity = {
        "@type": "Question", "name": thread.title, "text": plain_text(question.body_html),
        "answerCount": thread.answer_count, "upvoteCount": question.kudos_count,
        "dateCreated": _iso(question.created_at), "author": person(question.author),
    }
    accepted = view.accepted if view.accepted is not None and not view.accepted.is_hidden else None
    if accepted is not None:
        entity["acceptedAnswer"] = answer(accepted)
    suggested = [p for p in (view.official, *view.answers.items)
                 if p is not None and p is not view.accepted and not p.is_hidden]
    if suggested:
        entity["suggestedAnswer"] = [answer(p) for p in suggested]
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}
