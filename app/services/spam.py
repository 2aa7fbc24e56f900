"""Spam rules: who counts as a new member, how many links they may post, and the signals that send
a live post to the top of the review queue (review_queue.py adds them to the risk score)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Post, User
from app.services import policies
from app.services.errors import InvalidInput

# Links and images both count: an image from another host is how spam gets seen without a click.
_LINK = re.compile(r"<(?:a|img)\s", re.IGNORECASE)
# The same text again counts only for texts of some length: "Thanks, that worked!" is honestly
# written twice; a paragraph is not.
REPEAT_MIN_LENGTH = 40
# Bots post the moment the account exists; a person reads, then types.
FAST_POST_SECONDS = 30


@dataclass(frozen=True)
class SpamRules:
    """New members: reputation below `new_member_reputation` may post `max_links` links per post;
    stricter rate limits also apply while the account is younger than `new_member_days`."""

    new_member_reputation: int = 10
    new_member_days: int = 3
    max_links: int = 2

    @classmethod
    def from_config(cls, config: Mapping) -> "SpamRules":
        return cls(new_member_reputation=config.get("NEW_MEMBER_REPUTATION", cls.new_member_reputation),
                   new_member_days=config.get("NEW_MEMBER_DAYS", cls.new_member_days),
                   max_links=config.get("NEW_MEMBER_MAX_LINKS", cls.max_links))


DEFAULT_SPAM_RULES = SpamRules()


def link_count(html: str) -> int:
    """Links and images in a post's sanitised HTML (bare addresses are links once linkified)."""
    return len(_LINK.findall(html))


def links_limited(user: User, rules: SpamRules) -> bool:
    """Whether the member's posts are held to `max_links`: until they earn some reputation.
    Only reputation lifts it: an account's age costs a spammer nothing but waiting."""
    return not policies.is_staff(user) and (user.reputation or 0) < rules.new_member_reputation


def is_new_member(user: User, rules: SpamRules, now: datetime) -> bool:
    """New for the rate limits: little reputation, or an account younger than `new_member_days`."""
    if policies.is_staff(user):
        return False
    return links_limited(user, rules) or now - user.created_at < timedelta(days=rules.new_member_days)


def link_problem(author: User, html: str, rules: SpamRules, *, before: str | None = None) -> str | None:
    """Why a new member's text has too many links, or None. An edit is refused only when it adds
    links, so a post written before the rule (or before a reputation loss) can still be corrected."""
    links = link_count(html)
    if links <= rules.max_links or not links_limited(author, rules):
        return None
    if before is not None and links <= link_count(before):
        return None
    return (f"New members can include at most {rules.max_links} links or images per post (this has {links}); "
            f"the limit goes away once you have {rules.new_member_reputation} reputation. "
            "Please remove some links — your text is kept below.")


def check_links(author: User, html: str, rules: SpamRules, *, before: str | None = None) -> None:
    problem = link_problem(author, html, rules, before=before)
    if problem:
        raise InvalidInput.field("body", problem)


def repeat_counts(session: Session, posts: list[Post]) -> dict[int, int]:
    """For each post id: how many other posts carry exactly the same text, written by the same
    member at any time or by anyone among `posts` (the queue: a ring of accounts posting one text
    is all unreviewed). One query, over the authors' own posts (indexed by author)."""
    candidates = [post for post in posts if len(post.body_source) >= REPEAT_MIN_LENGTH]
    if not candidates:
        return {}
    by_author = {(author_id, body): count for author_id, body, count in session.execute(
        select(Post.author_id, Post.body_source, func.count(Post.id))
        .where(Post.author_id.in_({post.author_id for post in candidates}),
               Post.body_source.in_({post.body_source for post in candidates}))
        .group_by(Post.author_id, Post.body_source)
    )}
    among = Counter(post.body_source for post in candidates)
    counts = {post.id: max(by_author.get((post.author_id, post.body_source), 1), among[post.body_source]) - 1
              for post in candidates}
    return {post_id: count for post_id, count in counts.items() if count}


def signals(post: Post, *, repeats: int, rules: SpamRules) -> list[str]:
    """Why a live post looks like spam (each reason adds SPAM_SIGNAL_POINTS to its risk score).

    `repeats` is how many other posts have exactly the same text (review_queue counts them).
    """
    author = post.author
    found = []
    links = link_count(post.body_html)
    if links and links >= rules.max_links and links_limited(author, rules):
        found.append(f"New member at the link allowance ({links} link{'s' if links != 1 else ''})")
    if repeats:
        found.append(f"Same text posted {repeats + 1} times")
    seconds = (post.created_at - author.created_at).total_seconds()
    if 0 <= seconds < FAST_POST_SECONDS and not policies.is_staff(author):
        found.append(f"Posted {int(seconds)} seconds after signing up")
    return found
