"""Spam rules: the link allowance of new members, and the spam signals that put a live post on top
of the review queue."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.models import Post, Thread
from app.services import posting, review_queue, spam
from app.services.errors import InvalidInput
from app.services.spam import SpamRules

RULES = SpamRules(new_member_reputation=10, new_member_days=3, max_links=2)
TWO_LINKS = "See https://example.com/a and also [the guide](https://example.com/b) for the steps."
THREE_LINKS = TWO_LINKS + " And the picture: ![scan](https://example.com/c.png)"
SPAM_TEXT = "Buy cheap ink cartridges today at our shop, eighty percent off, only this week!"


def _age(session, user, days: float):
    user.created_at = datetime.now(timezone.utc) - timedelta(days=days)
    session.commit()


@pytest.fixture
def trusted(session, make_user):
    """A member who has earned reputation, with an account older than the new-member days."""
    user = make_user(name="Trusted Tom")
    user.reputation = RULES.new_member_reputation
    _age(session, user, 30)
    return user


# --- who is new -----------------------------------------------------------------------------------


def test_links_and_images_are_counted_in_the_rendered_html():
    assert spam.link_count("<p>no links here</p>") == 0
    assert spam.link_count('<p><a href="https://x.example">x</a> <img src="https://x.example/i.png"></p>') == 2


def test_only_reputation_lifts_the_link_allowance_and_staff_never_have_one(session, member, trusted, moderator):
    _age(session, member, 365)  # an old account without reputation is still held to it
    assert spam.links_limited(member, RULES)
    assert not spam.links_limited(trusted, RULES)
    assert not spam.links_limited(moderator, RULES)


def test_a_new_member_is_young_or_without_reputation(session, member, trusted, moderator):
    now = datetime.now(timezone.utc)
    assert spam.is_new_member(member, RULES, now)
    assert not spam.is_new_member(trusted, RULES, now)
    _age(session, trusted, 1)
    assert spam.is_new_member(trusted, RULES, now)
    assert not spam.is_new_member(moderator, RULES, now)


def test_rules_come_from_the_configuration():
    rules = SpamRules.from_config({"NEW_MEMBER_REPUTATION": 50, "NEW_MEMBER_DAYS": 7, "NEW_MEMBER_MAX_LINKS": 1})
    assert rules == SpamRules(new_member_reputation=50, new_member_days=7, max_links=1)


# --- the link allowance when posting -------------------------------------------------------------


def test_a_new_member_may_post_up_to_the_allowance(session, member, thread):
    post = posting.answer(session, member, thread_id=thread.id, body=TWO_LINKS, spam_rules=RULES)
    assert spam.link_count(post.body_html) == 2


@pytest.mark.parametrize("kind", ["ask", "answer", "comment"])
def test_more_links_than_the_allowance_are_refused_with_a_clear_message(session, member, board, thread, kind):
    before = session.scalar(select(Post.id).order_by(Post.id.desc()).limit(1))
    with pytest.raises(InvalidInput) as refused:
        if kind == "ask":
            posting.ask(session, member, board_id=board.id, title="Printer driver links collection",
                        body=THREE_LINKS, spam_rules=RULES)
        elif kind == "answer":
            posting.answer(session, member, thread_id=thread.id, body=THREE_LINKS, spam_rules=RULES)
        else:
            question = session.scalar(select(Post).where(Post.thread_id == thread.id))
            posting.comment(session, member, post_id=question.id, body=THREE_LINKS, spam_rules=RULES)
    message = refused.value.errors["body"][0]
    assert "at most 2 links" in message and "this has 3" in message and "10 reputation" in message
    session.rollback()
    assert session.scalar(select(Post.id).order_by(Post.id.desc()).limit(1)) == before


def test_the_link_problem_is_reported_with_the_questions_other_problems(session, member, board):
    with pytest.raises(InvalidInput) as refused:
        posting.ask(session, member, board_id=board.id, title="short", body=THREE_LINKS, spam_rules=RULES)
    assert set(refused.value.errors) == {"title", "body"}


def test_members_with_reputation_and_staff_post_any_number_of_links(session, trusted, moderator, thread):
    for author in (trusted, moderator):
        post = posting.answer(session, author, thread_id=thread.id, body=THREE_LINKS, spam_rules=RULES)
        assert spam.link_count(post.body_html) == 3


def test_an_edit_may_not_add_links_beyond_the_allowance(session, member, thread):
    post = posting.answer(session, member, thread_id=thread.id, body=TWO_LINKS, spam_rules=RULES)
    with pytest.raises(InvalidInput) as refused:
        posting.edit(session, member, post_id=post.id, body=THREE_LINKS, spam_rules=RULES)
    assert "at most 2 links" in refused.value.errors["body"][0]


def test_an_edit_of_a_post_that_already_had_more_links_is_allowed_if_it_adds_none(session, member, thread):
    generous = SpamRules(max_links=5)
    post = posting.answer(session, member, thread_id=thread.id, body=THREE_LINKS, spam_rules=generous)
    edited = posting.edit(session, member, post_id=post.id, body=THREE_LINKS + " (fixed a typo)", spam_rules=RULES)
    assert edited.body_source.endswith("(fixed a typo)")


# --- spam signals and the review queue ----------------------------------------------------------


def _item(session, post_id: int, rules: SpamRules = RULES) -> review_queue.QueueItem:
    return review_queue.item_for(session, post_id, rules=rules)


def _signals(item) -> list[str]:
    return [label for label, _ in item.reasons if label.startswith("Spam signal")]


def test_a_new_member_at_the_link_allowance_is_a_spam_signal(session, member, trusted, thread):
    _age(session, member, 10)
    at_allowance = posting.answer(session, member, thread_id=thread.id, body=TWO_LINKS, spam_rules=RULES)
    one_link = posting.answer(session, member, thread_id=thread.id, body="Only https://example.com/a helps.",
                              spam_rules=RULES)
    trusted_post = posting.answer(session, trusted, thread_id=thread.id, body=TWO_LINKS, spam_rules=RULES)
    item = _item(session, at_allowance.id)
    assert _signals(item) == ["Spam signal: New member at the link allowance (2 links)"]
    assert ("Spam signal: New member at the link allowance (2 links)", review_queue.SPAM_SIGNAL_POINTS) in item.reasons
    assert _signals(_item(session, one_link.id)) == []
    assert _signals(_item(session, trusted_post.id)) == []


def test_the_same_text_posted_again_by_the_member_is_a_spam_signal(session, member, make_thread):
    _age(session, member, 10)
    first, second = make_thread(title="Ink cartridge not recognised at all"), make_thread(title="Toner low warning stays on")
    posting.answer(session, member, thread_id=first.id, body=SPAM_TEXT)
    again = posting.answer(session, member, thread_id=second.id, body=SPAM_TEXT)
    assert _signals(_item(session, again.id)) == ["Spam signal: Same text posted 2 times"]
    # Short texts are honestly repeated ("Thanks, that worked!"): no signal.
    posting.answer(session, member, thread_id=first.id, body="Thanks, that worked!")
    thanks = posting.answer(session, member, thread_id=second.id, body="Thanks, that worked!")
    assert _signals(_item(session, thanks.id)) == []


def test_the_same_text_from_several_accounts_in_the_queue_is_a_spam_signal(session, thread, make_user):
    ring = [make_user(name=f"Ring {n}") for n in range(3)]
    for user in ring:
        _age(session, user, 10)
    posts = [posting.answer(session, user, thread_id=thread.id, body=SPAM_TEXT) for user in ring]
    page = review_queue.queue(session, rules=RULES)
    for item in page.items:
        if item.post.id in {p.id for p in posts}:
            assert "Spam signal: Same text posted 3 times" in _signals(item)


def test_posting_right_after_signing_up_is_a_spam_signal(session, member, thread):
    quick = posting.answer(session, member, thread_id=thread.id, body="An answer typed very quickly.")
    assert _signals(_item(session, quick.id)) == [
        f"Spam signal: Posted {int((quick.created_at - member.created_at).total_seconds())} seconds after signing up"]
    _age(session, member, 1)
    assert _signals(_item(session, quick.id)) == []


def test_a_post_with_a_spam_signal_comes_before_ordinary_new_posts(session, thread, make_user):
    """The sort the queue uses: spam signals outweigh what a brand-new account's first post gets."""
    honest, spammer = make_user(name="Honest Hanna"), make_user(name="Link Larry")
    for user in (honest, spammer):
        _age(session, user, 0.5)  # both accounts new, neither posting the moment they signed up
    ordinary = posting.answer(session, honest, thread_id=thread.id, body="Try https://example.com/help first.",
                              spam_rules=RULES)
    flagged_by_rules = posting.answer(session, spammer, thread_id=thread.id, body=TWO_LINKS, spam_rules=RULES)
    order = [item.post.id for item in review_queue.queue(session, rules=RULES).items]
    assert order.index(flagged_by_rules.id) < order.index(ordinary.id)
    assert session.get(Post, flagged_by_rules.id).review_state == "unreviewed"  # live, not held back
    assert not session.get(Thread, thread.id).is_hidden
