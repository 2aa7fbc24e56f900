"""Models as the JSON the API answers: one function per shape, matching the schemas in openapi.py."""
from __future__ import annotations

from datetime import datetime

from flask import request, url_for

from app.models import Board, Post, Thread, User
from app.services.listings import BoardSummary
from app.services.pagination import Page
from app.services.thread_view import ThreadView
from app.web.template_helpers import rank, thread_url, user_url


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def user(member: User) -> dict:
    member_rank = rank(member)
    return {"id": member.id, "display_name": member.display_name, "reputation": member.reputation or 0,
            "rank": {"name": member_rank.name, "level": member_rank.level},
            "is_staff": member.role in ("moderator", "admin"), "html_url": user_url(member, _external=True)}


def board(item: Board, summary: BoardSummary | None = None) -> dict:
    data = {"slug": item.slug, "name": item.name, "description": item.description or "",
            "is_archived": item.is_archived, "product_label": item.product_label,
            "url": url_for("api.board", slug=item.slug, _external=True),
            "html_url": url_for("boards.board", slug=item.slug, _external=True)}
    if summary is not None:
        data.update(thread_count=summary.thread_count, solved_count=summary.solved_count,
                    last_activity_at=when(summary.last_activity_at))
    return data


def thread_summary(thread: Thread) -> dict:
    return {"id": thread.id, "title": thread.title, "board": thread.board.slug, "author": user(thread.author),
            "status": thread.status, "is_locked": thread.is_locked,
            "has_official_answer": thread.official_answer_id is not None,
            "tags": [tag.name for tag in thread.tags], "answer_count": thread.answer_count,
            "kudos_count": thread.kudos_count, "me_too_count": thread.me_too_count,
            "view_count": thread.view_count, "created_at": when(thread.created_at),
            "last_activity_at": when(thread.last_activity_at),
            "product": thread.product, "os_version": thread.os_version,
            "url": url_for("api.thread", thread_id=thread.id, _external=True),
            "html_url": thread_url(thread, _external=True)}


def post(item: Post, thread: Thread, comments: list[Post] | None = None) -> dict:
    """A question, answer or comment; questions and answers carry their comments and marks."""
    data = {"id": item.id, "kind": item.kind, "thread_id": item.thread_id, "parent_id": item.parent_id,
            "author": user(item.author), "body": item.body_source, "body_html": item.body_html,
            "created_at": when(item.created_at), "edited_at": when(item.edited_at),
            "kudos_count": item.kudos_count, "posted_as_staff": item.posted_as_staff,
            # Only the author and staff are ever shown a hidden post (thread_view decides).
            "is_hidden": item.is_hidden,
            "html_url": url_for("threads.post_link", post_id=item.id, _external=True)}
    if item.kind != "comment":
        data.update(is_accepted=item.id == thread.accepted_answer_id,
                    is_official=item.id == thread.official_answer_id,
                    comments=[post(c, thread) for c in comments or []])
    return data


def page_links(page: Page) -> dict:
    """`next` and `prev` as full addresses of the same request with another page (or null)."""
    def link(number: int) -> str:
        args = request.args.to_dict()
        args["page"] = number
        return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)

    return {"page": page.number, "per_page": page.per_page, "total": page.total, "pages": page.pages,
            "next": link(page.number + 1) if page.has_next else None,
            "prev": link(page.number - 1) if page.has_prev else None}


def thread_detail(view: ThreadView) -> dict:
    thread = view.thread

    def full(item: Post | None) -> dict | None:
        return post(item, thread, view.comments_for(item)) if item is not None else None

    return {**thread_summary(thread), "question": full(view.question),
            "accepted_answer": full(view.accepted), "official_answer": full(view.official),
            "official_by": user(thread.official_by) if thread.official_by is not None else None,
            "answers": {"items": [full(a) for a in view.answers.items], **page_links(view.answers)}}
