"""HTTP tests of kudos and "I have this question too" (plain forms and JSON), rank badges beside
names, the new list sorts, and the thread page's counts and labels."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.models import Post, ReputationEvent, Thread, User
from app.services import kudos, me_too, posting, solutions
from tests.services.test_thread_view import count_statements
from tests.web.html_tools import SITE_HEADER, parse, path_of, unsafe_markup

JSON = {"Accept": "application/json"}


def _question_id(session, thread) -> int:
    return session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))


def _answer(session, author, thread, body="Restart the printer and the router, then retry."):
    return posting.answer(session, author, thread_id=thread.id, body=body)


def _reputation(session, user) -> int:
    session.rollback()
    return session.scalar(select(User.reputation).where(User.id == user.id))


def _kudos_count(session, post_id: int) -> int:
    session.rollback()
    return session.scalar(select(Post.kudos_count).where(Post.id == post_id))


def _events(session, user) -> list[tuple[int, str, int | None, int | None]]:
    session.rollback()
    return [tuple(row) for row in session.execute(
        select(ReputationEvent.delta, ReputationEvent.reason, ReputationEvent.post_id, ReputationEvent.actor_id)
        .where(ReputationEvent.user_id == user.id).order_by(ReputationEvent.id))]


def _page(client, thread) -> str:
    response = client.get(f"/t/{thread.id}-{thread.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _kudos_button(html: str, post_id: int):
    """The kudos button inside a post's article (None when the viewer gets no button)."""
    article = html.split(f'id="post-{post_id}"', 1)[1].split("</article>", 1)[0]
    form = re.search(rf'<form method="post" action="/p/{post_id}/kudos".*?</form>', article, re.S)
    if form is None:
        return None, article
    button = next(t for t in parse(form.group(0)).tags if t.name == "button")
    return button, article


@pytest.fixture
def answered(session, thread, helper):
    """The member's thread with one answer by the helper."""
    return thread, _answer(session, helper, thread)


# --- kudos with the plain form (JavaScript off) -----------------------------------------------


def test_giving_kudos_with_the_form_counts_earns_reputation_and_goes_back_to_the_post(
        client, session, answered, helper, member):
    thread, answer = answered
    client.sign_in(member)

    response = client.post(f"/p/{answer.id}/kudos", data={"action": "give"})

    assert response.status_code == 302
    assert path_of(response.location) == f"/t/{thread.id}-{thread.slug}"
    assert response.location.endswith(f"#post-{answer.id}")
    assert _kudos_count(session, answer.id) == 1
    assert _reputation(session, helper) == 10
    assert _events(session, helper) == [(10, "kudos_received", answer.id, member.id)]
    html = client.get(response.location).get_data(as_text=True)
    assert "Kudos given. Thank you for recognising a helpful post!" in html
    button, _ = _kudos_button(html, answer.id)
    assert button.get("aria-pressed") == "true"
    assert button.get("value") == "take"
    assert button.get("aria-label") == "Give kudos (1)"


def test_taking_kudos_back_with_the_form_reverses_the_points(client, session, answered, helper, member):
    thread, answer = answered
    client.sign_in(member)
    client.post(f"/p/{answer.id}/kudos", data={"action": "give"})

    response = client.post(f"/p/{answer.id}/kudos", data={"action": "take"})

    assert response.status_code == 302 and response.location.endswith(f"#post-{answer.id}")
    assert _kudos_count(session, answer.id) == 0
    assert _reputation(session, helper) == 0
    assert _events(session, helper) == [(10, "kudos_received", answer.id, member.id),
                                        (-10, "kudos_withdrawn", answer.id, member.id)]
    html = client.get(response.location).get_data(as_text=True)
    assert "Your kudos is taken back." in html
    button, _ = _kudos_button(html, answer.id)
    assert (button.get("aria-pressed"), button.get("value"), button.get("aria-label")) == (
        "false", "give", "Give kudos (0)")


def test_kudos_on_a_question_earns_the_question_points_and_counts_on_the_thread(
        client, session, thread, helper, member):
    question_id = _question_id(session, thread)
    client.sign_in(helper)

    assert client.post(f"/p/{question_id}/kudos", data={"action": "give"}).status_code == 302

    assert _reputation(session, member) == 5
    assert session.get(Thread, thread.id).kudos_count == 1


def test_the_point_values_come_from_the_configuration(app, client, session, answered, helper, member):
    thread, answer = answered
    app.config["REPUTATION_POINTS"] = {"kudos_answer": 7, "answer_accepted": 20, "accepted_solution": 3}
    client.sign_in(member)

    client.post(f"/p/{answer.id}/kudos", data={"action": "give"})
    client.post(f"/p/{answer.id}/accept")

    assert _reputation(session, helper) == 7 + 20
    assert _reputation(session, member) == 3


def test_taking_back_the_solution_uses_the_configured_rules_and_reverses(app, client, session, answered, helper, member):
    thread, answer = answered
    app.config["REPUTATION_POINTS"] = {"answer_accepted": 20}
    client.sign_in(member)
    client.post(f"/p/{answer.id}/accept")

    assert client.post(f"/t/{thread.id}/unaccept").status_code == 302

    assert _reputation(session, helper) == 0
    assert [delta for delta, *_ in _events(session, helper)] == [20, -20]


# --- kudos with JavaScript (JSON) -------------------------------------------------------------


def test_kudos_with_json_answers_the_count_and_state(client, session, answered, helper, member):
    thread, answer = answered
    client.sign_in(member)

    given = client.post(f"/p/{answer.id}/kudos", data={"action": "give"}, headers=JSON)
    again = client.post(f"/p/{answer.id}/kudos", data={"action": "give"}, headers=JSON)

    assert given.status_code == 200 and given.is_json
    assert given.get_json() == {"count": 1, "given": True, "active": True}
    assert again.get_json() == {"count": 1, "given": True, "active": True}  # one per member per post
    assert _reputation(session, helper) == 10

    taken = client.post(f"/p/{answer.id}/kudos", data={"action": "take"}, headers=JSON)

    assert taken.status_code == 200
    assert taken.get_json() == {"count": 0, "given": False, "active": False}
    assert _reputation(session, helper) == 0


def test_kudos_from_several_members_all_count(client, new_client, session, answered, helper, member, make_user):
    thread, answer = answered
    counts = []
    for giver in (member, make_user(), make_user()):
        browser = new_client()
        browser.sign_in(giver)
        counts.append(browser.post(f"/p/{answer.id}/kudos", data={"action": "give"}, headers=JSON).get_json()["count"])

    assert counts == [1, 2, 3]
    assert _reputation(session, helper) == 30


def test_the_csrf_token_can_come_in_a_header_as_site_js_sends_it(client, session, answered, member):
    thread, answer = answered
    client.sign_in(member)
    token = client.fetch_csrf_token()

    response = client.post(f"/p/{answer.id}/kudos", data={"action": "give"}, with_csrf=False,
                           headers={**JSON, "X-CSRFToken": token})

    assert response.get_json()["count"] == 1


def test_kudos_without_a_csrf_token_is_refused_in_json_too(client, session, answered, member, row_counts):
    thread, answer = answered
    client.sign_in(member)
    before = row_counts()

    response = client.post(f"/p/{answer.id}/kudos", data={"action": "give"}, with_csrf=False, headers=JSON)

    assert response.status_code == 400
    assert "without a valid security token" in response.get_json()["error"]
    assert row_counts() == before


# --- refusals -------------------------------------------------------------------------------


def test_kudos_on_your_own_post_is_refused_with_a_clear_message_and_changes_nothing(
        client, session, answered, helper, row_counts):
    thread, answer = answered
    client.sign_in(helper)
    before = row_counts()

    page = client.post(f"/p/{answer.id}/kudos", data={"action": "give"})
    as_json = client.post(f"/p/{answer.id}/kudos", data={"action": "give"}, headers=JSON)

    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert SITE_HEADER in html and "You cannot give kudos to your own post." in html
    assert f'href="/p/{answer.id}"' in html  # a way back to the post
    assert "Nothing you typed is lost" not in html  # a button press, nothing typed
    assert as_json.status_code == 403
    assert as_json.get_json() == {"error": "You cannot give kudos to your own post."}
    assert row_counts() == before
    assert _reputation(session, helper) == 0 and _kudos_count(session, answer.id) == 0


def test_your_own_posts_show_the_count_but_no_kudos_button(client, session, answered, helper, member, make_user):
    thread, answer = answered
    kudos.give(session, make_user(), post_id=answer.id)
    client.sign_in(helper)

    html = _page(client, thread)

    button, article = _kudos_button(html, answer.id)
    assert button is None
    assert "1 kudos" in article
    question_button, _ = _kudos_button(html, _question_id(session, thread))
    assert question_button is not None  # someone else's question


def test_a_visitor_sees_counts_and_a_sign_in_link_instead_of_buttons(client, session, answered):
    thread, answer = answered

    html = _page(client, thread)

    button, article = _kudos_button(html, answer.id)
    assert button is None
    assert "0 kudos" in article
    assert f'href="/login?next=/p/{answer.id}" class="sign-in-to">Sign in to give kudos</a>' in article
    assert "Sign in if you have this question too" in html
    assert 'action="/t/' + str(thread.id) + '/me-too"' not in html


def test_a_visitor_pressing_kudos_is_sent_to_sign_in_and_back_to_the_post(client, session, answered, row_counts):
    thread, answer = answered
    before = row_counts()

    response = client.post(f"/p/{answer.id}/kudos", data={"action": "give"})
    as_json = client.post(f"/p/{answer.id}/kudos", data={"action": "give"}, headers=JSON)

    assert response.status_code == 302
    assert path_of(response.location) == f"/login?next=/p/{answer.id}"
    assert as_json.status_code == 401
    assert as_json.get_json() == {"error": "Please sign in to give kudos.", "sign_in": f"/login?next=/p/{answer.id}"}
    assert row_counts() == before


def test_a_suspended_member_cannot_give_kudos(client, session, answered, suspended, row_counts):
    thread, answer = answered
    client.sign_in(suspended)
    before = row_counts()

    page = client.post(f"/p/{answer.id}/kudos", data={"action": "give"})
    as_json = client.post(f"/p/{answer.id}/kudos", data={"action": "give"}, headers=JSON)

    assert page.status_code == 403 and "suspended" in page.get_data(as_text=True)
    assert as_json.status_code == 403 and "suspended" in as_json.get_json()["error"]
    assert row_counts() == before
    assert _kudos_button(_page(client, thread), answer.id)[0] is None  # no button to press


def test_kudos_on_a_comment_is_a_400(client, session, answered, member, row_counts):
    thread, answer = answered
    comment = posting.comment(session, member, post_id=answer.id, body="Did that, no change.")
    client.sign_in(member)  # the comment is the member's own, but the kind is checked first
    before = row_counts()

    page = client.post(f"/p/{comment.id}/kudos", data={"action": "give"})
    as_json = client.post(f"/p/{comment.id}/kudos", data={"action": "give"}, headers=JSON)

    assert page.status_code == 400 and "Kudos are for questions and answers." in page.get_data(as_text=True)
    assert as_json.status_code == 400 and as_json.get_json() == {"error": "Kudos are for questions and answers."}
    assert row_counts() == before


@pytest.mark.parametrize("url", ["/p/4711/kudos", "/t/4711/me-too"])
def test_kudos_or_me_too_on_something_that_does_not_exist_is_a_404(client, member, url):
    client.sign_in(member)

    assert client.post(url, data={"action": "give" if "kudos" in url else "add"}).status_code == 404
    as_json = client.post(url, data={"action": "give" if "kudos" in url else "add"}, headers=JSON)
    assert as_json.status_code == 404 and "error" in as_json.get_json()


@pytest.mark.parametrize("action", ["", "GIVE", "remove", "x" * 500, "give\x00"])
def test_an_unknown_action_is_a_400_and_changes_nothing(client, session, answered, member, row_counts, action):
    thread, answer = answered
    client.sign_in(member)
    before = row_counts()

    response = client.post(f"/p/{answer.id}/kudos", data={"action": action})

    assert response.status_code == 400
    assert row_counts() == before


def test_the_daily_kudos_allowance_is_explained(app, client, session, thread, helper, member):
    app.config["KUDOS_PER_DAY"] = 2
    answers = [_answer(session, helper, thread, body=f"Idea number {i}: restart it.") for i in range(3)]
    client.sign_in(member)
    for answer in answers[:2]:
        assert client.post(f"/p/{answer.id}/kudos", data={"action": "give"}).status_code == 302

    page = client.post(f"/p/{answers[2].id}/kudos", data={"action": "give"})
    as_json = client.post(f"/p/{answers[2].id}/kudos", data={"action": "give"}, headers=JSON)

    message = "You have given 2 kudos in the last 24 hours, the daily allowance."
    assert page.status_code == 403 and message in page.get_data(as_text=True)
    assert as_json.status_code == 403 and message in as_json.get_json()["error"]
    assert _kudos_count(session, answers[2].id) == 0
    assert _reputation(session, helper) == 20
    # Taking one back is always possible.
    assert client.post(f"/p/{answers[0].id}/kudos", data={"action": "take"}, headers=JSON).get_json()["count"] == 0


# --- "I have this question too" -----------------------------------------------------------------


def test_me_too_with_the_form_adds_and_undoes(client, session, thread, helper):
    client.sign_in(helper)

    added = client.post(f"/t/{thread.id}/me-too", data={"action": "add"})

    assert added.status_code == 302
    assert path_of(added.location) == f"/t/{thread.id}-{thread.slug}" and added.location.endswith("#me-too")
    assert session.get(Thread, thread.id).me_too_count == 1
    html = client.get(added.location).get_data(as_text=True)
    assert "Noted: you have this question too." in html
    form = re.search(r'<form[^>]*id="me-too".*?</form>', html, re.S).group(0)
    button = next(t for t in parse(form).tags if t.name == "button")
    assert (button.get("aria-pressed"), button.get("value"), button.get("aria-label")) == (
        "true", "remove", "I have this question too (1)")

    removed = client.post(f"/t/{thread.id}/me-too", data={"action": "remove"})

    assert removed.status_code == 302
    session.rollback()
    assert session.get(Thread, thread.id).me_too_count == 0
    assert 'aria-pressed="false"' in client.get(removed.location).get_data(as_text=True)


def test_me_too_with_json(client, session, thread, helper):
    client.sign_in(helper)

    added = client.post(f"/t/{thread.id}/me-too", data={"action": "add"}, headers=JSON)
    twice = client.post(f"/t/{thread.id}/me-too", data={"action": "add"}, headers=JSON)
    removed = client.post(f"/t/{thread.id}/me-too", data={"action": "remove"}, headers=JSON)

    assert added.get_json() == {"count": 1, "added": True, "active": True}
    assert twice.get_json() == {"count": 1, "added": True, "active": True}
    assert removed.get_json() == {"count": 0, "added": False, "active": False}


def test_me_too_on_your_own_question_is_refused(client, session, thread, member, row_counts):
    client.sign_in(member)
    before = row_counts()

    page = client.post(f"/t/{thread.id}/me-too", data={"action": "add"})
    as_json = client.post(f"/t/{thread.id}/me-too", data={"action": "add"}, headers=JSON)

    assert page.status_code == 403 and "This is your own question." in page.get_data(as_text=True)
    assert as_json.status_code == 403 and as_json.get_json() == {"error": "This is your own question."}
    assert row_counts() == before
    html = _page(client, thread)
    assert f'action="/t/{thread.id}/me-too"' not in html
    assert "0 members have this question too" in html


def test_a_visitor_pressing_me_too_is_sent_to_sign_in(client, session, thread, row_counts):
    before = row_counts()

    response = client.post(f"/t/{thread.id}/me-too", data={"action": "add"})
    as_json = client.post(f"/t/{thread.id}/me-too", data={"action": "add"}, headers=JSON)

    assert response.status_code == 302 and path_of(response.location) == f"/login?next=/t/{thread.id}"
    assert as_json.status_code == 401 and "sign in" in as_json.get_json()["error"]
    assert row_counts() == before


def test_counts_show_in_thread_lists(client, session, thread, helper, make_user):
    question_id = _question_id(session, thread)
    for _ in range(3):
        me_too.add(session, make_user(), thread_id=thread.id)
    kudos.give(session, helper, post_id=question_id)

    for url in ("/", "/b/printers", "/tags/wireless"):
        html = client.get(url).get_data(as_text=True)
        row = html.split('class="thread-row', 1)[1].split("</li>", 1)[0]
        assert "<strong>1</strong> kudos" in row, url
        assert "<strong>3</strong> me too" in row, url
        assert "1 kudos" in row and "3 members have this question too" in row, url  # for screen readers


# --- the thread page ----------------------------------------------------------------------------


def test_answers_follow_the_solution_by_kudos(client, session, thread, helper, member, make_user):
    first = _answer(session, helper, thread, body="First idea: restart it all.")
    second = _answer(session, helper, thread, body="Second idea: reinstall the driver.")
    third = _answer(session, member, thread, body="Third idea: a new USB cable.")
    fourth = _answer(session, helper, thread, body="Fourth idea: switch to a TCP/IP port.")
    for giver in (make_user(), make_user()):
        kudos.give(session, giver, post_id=third.id)
    kudos.give(session, make_user(), post_id=second.id)
    solutions.accept(session, member, answer_id=fourth.id)

    html = _page(client, thread)

    shown = [int(m) for m in re.findall(r'<article class="post [^"]*" id="post-(\d+)"', html)]
    assert shown == [_question_id(session, thread), fourth.id, third.id, second.id, first.id]


def test_a_solution_accepted_by_a_moderator_says_so(client, session, answered, moderator):
    thread, answer = answered
    solutions.accept(session, moderator, answer_id=answer.id)

    html = _page(client, thread)

    assert "Accepted solution — accepted by a moderator on the asker’s behalf" in html
    assert "chosen by the member who asked" not in html


def test_a_solution_accepted_by_the_asker_says_so(client, session, answered, member):
    thread, answer = answered
    solutions.accept(session, member, answer_id=answer.id)

    assert "Accepted solution — chosen by the member who asked" in _page(client, thread)


def test_the_thread_page_has_no_unsafe_markup_for_a_member(client, session, answered, helper):
    thread, _ = answered
    client.sign_in(helper)

    assert unsafe_markup(_page(client, thread)) == []


def test_a_member_costs_the_thread_page_three_small_queries_at_most(app, client, session, make_user, thread, helper):
    """A visitor's page is 6 SELECTs (tests/services/test_thread_view.py); a member adds loading
    their account, which posts they gave kudos to or flagged and whether they said "me too", and
    their unread notifications and whether they follow the thread."""
    for i in range(8):
        _answer(session, helper, thread, body=f"Idea number {i}: restart it.")
    url = f"/t/{thread.id}-{thread.slug}"
    client.sign_in(make_user())
    client.get(url)

    with count_statements(app) as statements:
        assert client.get(url).status_code == 200

    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 + 6 + 3 + 2, "\n".join(selects)


# --- rank badges ------------------------------------------------------------------------------------

RANK_CASES = [(0, "New member", 0), (49, "New member", 0), (50, "Contributor", 1), (199, "Contributor", 1),
              (200, "Helper", 2), (999, "Helper", 2), (1000, "Expert", 3), (4999, "Expert", 3),
              (5000, "Champion", 4), (123456, "Champion", 4), (-15, "New member", 0)]


def _set_reputation(session, user, value: int) -> None:
    session.get(User, user.id).reputation = value
    session.commit()


def _rank_badges(html: str, name: str) -> list[str]:
    """The rank badges shown right after each link to a member's name."""
    return re.findall(rf'class="author-name">{re.escape(name)}</a>\s*<span class="badge rank (rank-\d)" '
                      rf'title="[^"]*"><span class="visually-hidden">rank: </span>([^<]+)</span>', html)


@pytest.mark.parametrize(("points", "rank", "level"), RANK_CASES)
def test_the_rank_shows_beside_every_name(client, session, thread, helper, member, points, rank, level):
    answer = _answer(session, helper, thread)
    posting.comment(session, helper, post_id=answer.id, body="Also check the router's DHCP table.")
    _set_reputation(session, helper, points)
    _set_reputation(session, member, points)
    expected = (f"rank-{level}", rank)

    thread_html = _page(client, thread)
    assert _rank_badges(thread_html, "Helpful Hans") == [expected, expected]  # answer and comment
    assert _rank_badges(thread_html, "Asker Anna") == [expected]  # the question
    for url in ("/", "/b/printers", "/tags/wireless"):
        assert _rank_badges(client.get(url).get_data(as_text=True), "Asker Anna") == [expected], url
    profile = client.get(f"/u/{helper.id}-helpful-hans").get_data(as_text=True)
    assert f'<span class="badge rank rank-{level}">{rank}</span>' in profile
    assert f"Rank: {rank} · {points:,} reputation" in thread_html


def test_ranks_follow_the_configured_thresholds(app, client, session, thread, member):
    app.config["RANK_THRESHOLDS"] = (("Rookie", 0), ("Regular", 10), ("Guru", 20))
    _set_reputation(session, member, 25)

    html = _page(client, thread)

    assert _rank_badges(html, "Asker Anna") == [("rank-2", "Guru")]


def test_staff_carry_the_staff_badge_instead_of_a_rank(client, session, thread, moderator):
    _answer(session, moderator, thread)
    _set_reputation(session, moderator, 1500)

    html = _page(client, thread)

    assert re.search(r'class="author-name">Mod Maja</a>\s*<span class="badge badge-staff" title="Peerdesk staff">Staff</span>',
                     html)
    assert _rank_badges(html, "Mod Maja") == []


# --- sorting lists by "me too" and kudos ------------------------------------------------------------


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="thread-title"><a href="/t/[^"]+">([^<]+)</a>', html)


@pytest.fixture
def popular(session, make_thread, helper, make_user):
    """Three threads: Alpha (1 me too, 3 kudos), Bravo (3 me too, 0 kudos), Charlie (2 me too, 1 kudos),
    asked in that order so that "recent activity" gives Charlie, Bravo, Alpha."""
    people = [make_user() for _ in range(3)]
    made = {}
    for name, me_toos, kudos_given in [("Alpha", 1, 3), ("Bravo", 3, 0), ("Charlie", 2, 1)]:
        thread = make_thread(title=f"{name} question about printing")
        for person in people[:me_toos]:
            me_too.add(session, person, thread_id=thread.id)
        for person in people[:kudos_given]:
            kudos.give(session, person, post_id=_question_id(session, thread))
        made[name] = thread
    return made


@pytest.mark.parametrize(("sort", "expected"), [
    ("me_too", ["Bravo", "Charlie", "Alpha"]),
    ("kudos", ["Alpha", "Charlie", "Bravo"]),
    ("activity", ["Charlie", "Bravo", "Alpha"]),
    ("unknown", ["Charlie", "Bravo", "Alpha"]),
])
@pytest.mark.parametrize("listing", ["/b/printers", "/tags/wireless"])
def test_lists_sort_by_me_too_and_kudos(client, popular, listing, sort, expected):
    html = client.get(f"{listing}?sort={sort}").get_data(as_text=True)

    assert _titles(html) == [f"{name} question about printing" for name in expected]


def test_the_sort_controls_offer_the_new_sorts_and_keep_the_filter(client, popular):
    html = client.get("/b/printers?filter=unanswered&sort=kudos").get_data(as_text=True)

    assert 'href="/b/printers?filter=unanswered&amp;sort=me_too">Most “me too”</a>' in html
    assert 'href="/b/printers?filter=unanswered&amp;sort=kudos" aria-current="page">Most kudos</a>' in html
