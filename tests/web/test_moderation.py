"""HTTP tests of the review queue, the actions staff take on posts, flagging, and what the thread
page shows of moderation (hidden posts, official answers, requests to edit)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.models import Flag, ModerationAction, Post, Thread, User
from app.services import flags, official, posting, review
from tests.web.html_tools import unsafe_markup

WRONG = "Just hold the power button for 40 seconds while the printer is printing."
RIGHT = "Update the firmware from the support page, then re-add the printer in Windows."


@pytest.fixture
def answers(session, thread, helper, make_user):
    wrong = posting.answer(session, make_user(name="Wrong Walter"), thread_id=thread.id, body=WRONG)
    right = posting.answer(session, helper, thread_id=thread.id, body=RIGHT)
    return wrong, right


def _page(client, thread) -> str:
    response = client.get(f"/t/{thread.id}-{thread.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _article_ids(html: str) -> list[int]:
    return [int(m) for m in re.findall(r'<article class="post [^"]*" id="post-(\d+)"', html)]


def _state(session, post_id: int) -> str:
    session.rollback()
    return session.scalar(select(Post.review_state).where(Post.id == post_id))


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_lists_unreviewed_posts_with_its_size(client, moderator, answers):
    client.sign_in(moderator)

    html = client.get("/moderation").get_data(as_text=True)

    assert WRONG in html and RIGHT in html
    assert re.search(r"<dt>To review</dt><dd>3</dd>", html)  # the question and both answers
    assert "Oldest unreviewed post" in html


def test_a_flagged_post_comes_first_in_the_queue(session, client, moderator, answers, make_user):
    wrong, right = answers
    flags.raise_flag(session, make_user(), post_id=wrong.id, reason="incorrect")
    client.sign_in(moderator)

    html = client.get("/moderation").get_data(as_text=True)

    order = [int(m) for m in re.findall(r'id="item-(\d+)"', html)]
    assert order[0] == wrong.id
    assert "Incorrect or unsafe advice" in html


def test_approve_takes_a_post_out_of_the_queue_and_returns_to_it(session, client, moderator, answers):
    wrong, _ = answers
    client.sign_in(moderator)

    response = client.post(f"/moderation/posts/{wrong.id}/approve", data={"next": "/moderation"})

    assert response.status_code == 302 and response.location.endswith("/moderation")
    assert _state(session, wrong.id) == "approved"
    assert f'id="item-{wrong.id}"' not in client.get("/moderation").get_data(as_text=True)


def test_approve_selected_approves_only_the_ticked_posts(session, client, moderator, answers):
    wrong, right = answers
    client.sign_in(moderator)

    response = client.post("/moderation/approve", data={"post_id": [str(right.id)], "next": "/moderation"})

    assert response.status_code == 302
    assert _state(session, right.id) == "approved" and _state(session, wrong.id) == "unreviewed"


def test_approve_selected_with_nothing_ticked_says_so(session, client, moderator, answers):
    client.sign_in(moderator)

    response = client.post("/moderation/approve", data={"next": "/moderation"}, follow_redirects=True)

    assert "Tick the posts to approve first." in response.get_data(as_text=True)


def test_hide_needs_a_reason_and_keeps_the_note(session, client, moderator, answers):
    wrong, _ = answers
    client.sign_in(moderator)

    response = client.post(f"/moderation/posts/{wrong.id}/hide", data={"reason": "", "note": "Dangerous advice"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please choose why the post is hidden." in html and "Dangerous advice" in html
    assert _state(session, wrong.id) == "unreviewed"


def test_hide_with_other_needs_a_note(session, client, moderator, answers):
    wrong, _ = answers
    client.sign_in(moderator)

    response = client.post(f"/moderation/posts/{wrong.id}/hide", data={"reason": "other", "note": ""})

    assert response.status_code == 400
    assert _state(session, wrong.id) == "unreviewed"


def test_a_hidden_answer_is_gone_for_visitors_greyed_for_staff_explained_to_its_author(
        session, client, new_client, moderator, answers, thread):
    wrong, right = answers
    client.sign_in(moderator)
    client.post(f"/moderation/posts/{wrong.id}/hide", data={"reason": "incorrect", "note": "Risk of damage"})

    visitor_html = _page(new_client(), thread)
    assert WRONG not in visitor_html and RIGHT in visitor_html
    assert "1 answer" in visitor_html  # the count leaves the hidden answer out

    staff_html = _page(client, thread)
    assert WRONG in staff_html and "is-hidden" in staff_html and "Incorrect or unsafe advice" in staff_html

    author = new_client()
    author.sign_in(session.scalar(select(User).where(User.display_name == "Wrong Walter")))
    author_html = _page(author, thread)
    assert WRONG in author_html and "Only you and the staff can see it." in author_html
    assert "Risk of damage" in author_html


def test_restore_brings_the_post_back(session, client, new_client, moderator, answers, thread):
    wrong, _ = answers
    review.hide(session, moderator, post_id=wrong.id, reason="spam")
    client.sign_in(moderator)

    assert client.post(f"/moderation/posts/{wrong.id}/restore", data={}).status_code == 302

    assert _state(session, wrong.id) == "approved"
    assert WRONG in _page(new_client(), thread)


def test_request_edit_keeps_the_post_live_and_tells_the_author(session, client, new_client, moderator, answers, thread):
    wrong, _ = answers
    client.sign_in(moderator)

    response = client.post(f"/moderation/posts/{wrong.id}/request-edit", data={"reason": "Please add the model."})

    assert response.status_code == 302
    assert WRONG in _page(new_client(), thread)
    assert "Please add the model." not in _page(new_client(), thread)  # only author and staff see the request
    assert "Please add the model." in _page(client, thread)
    assert f'id="item-{wrong.id}"' in client.get("/moderation?tab=edits").get_data(as_text=True)


def test_request_edit_needs_a_reason(session, client, moderator, answers):
    wrong, _ = answers
    client.sign_in(moderator)

    response = client.post(f"/moderation/posts/{wrong.id}/request-edit", data={"reason": ""})

    assert response.status_code == 400
    assert "Please tell the author what to change" in response.get_data(as_text=True)


def test_official_answer_is_shown_first_with_its_label_and_the_moderators_name(
        session, client, new_client, moderator, answers, thread):
    wrong, right = answers
    client.sign_in(moderator)

    assert client.post(f"/moderation/posts/{right.id}/official", data={}).status_code == 302

    html = _page(new_client(), thread)
    assert _article_ids(html)[:2] == [session.scalar(select(Post.id).where(Post.thread_id == thread.id,
                                                                            Post.kind == "question")), right.id]
    assert "Official answer — confirmed by staff (Mod Maja)" in html


def test_unmark_official(session, client, moderator, answers, thread):
    _, right = answers
    official.mark(session, moderator, answer_id=right.id)
    client.sign_in(moderator)

    assert client.post(f"/moderation/threads/{thread.id}/unofficial", data={}).status_code == 302

    session.rollback()
    assert session.get(Thread, thread.id).official_answer_id is None


def test_the_review_page_shows_the_post_in_context(session, client, moderator, answers, thread):
    wrong, _ = answers
    client.sign_in(moderator)

    html = client.get(f"/moderation/posts/{wrong.id}").get_data(as_text=True)

    assert thread.title in html and "It worked yesterday" in html and WRONG in html


def test_the_log_lists_actions_and_filters_them(session, client, moderator, answers):
    wrong, right = answers
    review.hide(session, moderator, post_id=wrong.id, reason="spam")
    review.approve(session, moderator, post_id=right.id)
    client.sign_in(moderator)

    everything = client.get("/moderation/log").get_data(as_text=True)
    hides = client.get("/moderation/log?action=hide").get_data(as_text=True)
    by_name = client.get("/moderation/log?member=helpful+hans").get_data(as_text=True)
    unknown = client.get("/moderation/log?member=nobody+at+all")

    # Each row links its action to the log filtered by it: ">Hid</a>" is a row, not the filter's option.
    assert ">Hid</a>" in everything and ">Approved</a>" in everything
    assert ">Hid</a>" in hides and ">Approved</a>" not in hides
    assert ">Approved</a>" in by_name and ">Hid</a>" not in by_name
    assert unknown.status_code == 200 and "No member is called" in unknown.get_data(as_text=True)


def test_the_log_shows_before_and_after_of_a_moderators_edit(session, client, moderator, answers):
    wrong, _ = answers
    posting.edit(session, moderator, post_id=wrong.id, body="Do not hold the power button; unplug it instead.",
                 reason="Unsafe advice corrected")
    client.sign_in(moderator)

    html = client.get("/moderation/log?action=edit").get_data(as_text=True)

    assert WRONG in html and "unplug it instead" in html and "Unsafe advice corrected" in html


def test_members_and_visitors_cannot_open_the_queue(client, member):
    assert client.get("/moderation").status_code == 302  # to sign in
    client.sign_in(member)
    assert client.get("/moderation").status_code == 403
    assert client.get("/moderation/log").status_code == 403


def test_queue_pages_have_no_unsafe_markup(session, client, moderator, make_user, thread):
    posting.answer(session, make_user(), thread_id=thread.id,
                   body='<img src=x onerror="alert(1)"> [x](javascript:alert(1)) <script>alert(1)</script>')
    client.sign_in(moderator)

    for url in ("/moderation", "/moderation/log"):
        assert unsafe_markup(client.get(url).get_data(as_text=True)) == []


# --- flags -----------------------------------------------------------------------------------


def test_a_member_reports_a_post_once(session, client, member, answers, thread):
    wrong, _ = answers
    client.sign_in(member)

    form = client.get(f"/p/{wrong.id}/flag")
    first = client.post(f"/p/{wrong.id}/flag", data={"reason": "incorrect", "note": "Could break the printer"})
    second = client.post(f"/p/{wrong.id}/flag", data={"reason": "spam"})

    assert form.status_code == 200 and WRONG in form.get_data(as_text=True)
    assert first.status_code == second.status_code == 302
    session.rollback()
    assert session.scalar(select(func.count(Flag.id)).where(Flag.post_id == wrong.id)) == 1
    assert "Reported — thank you" in _page(client, thread)


def test_reporting_without_a_reason_keeps_the_note(session, client, member, answers):
    wrong, _ = answers
    client.sign_in(member)

    response = client.post(f"/p/{wrong.id}/flag", data={"reason": "", "note": "Something is off here"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please choose what is wrong with the post." in html and "Something is off here" in html


def test_own_posts_and_staff_cannot_report(session, client, new_client, moderator, answers, helper):
    _, right = answers
    client.sign_in(helper)
    assert client.get(f"/p/{right.id}/flag").status_code == 403
    staff = new_client()
    staff.sign_in(moderator)
    assert staff.get(f"/p/{right.id}/flag").status_code == 403


def test_enough_flags_hide_a_post_until_a_moderator_decides(session, client, new_client, answers, thread, make_user):
    wrong, _ = answers
    for _ in range(3):  # three new members weigh 1 each; the default threshold is 3
        flags.raise_flag(session, make_user(), post_id=wrong.id, reason="spam")

    assert WRONG not in _page(new_client(), thread)
    assert _state(session, wrong.id) == "hidden"
    session.rollback()
    assert session.scalar(select(ModerationAction.action).where(ModerationAction.post_id == wrong.id)) == "auto_hide"


def test_a_suspended_member_cannot_report(client, suspended, answers):
    wrong, _ = answers
    client.sign_in(suspended)

    assert client.post(f"/p/{wrong.id}/flag", data={"reason": "spam"}).status_code == 403


def test_a_hidden_post_cannot_be_reached_by_others(session, client, new_client, moderator, member, answers):
    wrong, _ = answers
    review.hide(session, moderator, post_id=wrong.id, reason="spam")
    visitor = new_client()
    client.sign_in(member)

    assert visitor.get(f"/p/{wrong.id}").status_code == 404
    assert visitor.get(f"/p/{wrong.id}/history").status_code == 404
    assert client.get(f"/p/{wrong.id}/flag").status_code == 404
    assert client.post(f"/p/{wrong.id}/kudos", data={"action": "give"}).status_code == 404
