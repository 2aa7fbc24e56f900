"""Reading through the API: boards, a board's threads (paged), a thread as its page shows it (hidden
posts only for their author and staff), one post, and search."""
from __future__ import annotations

import pytest

from app.services import review

PROBLEM = "application/problem+json"


def test_boards_with_their_counts(api, forum):
    response = api.get("/boards")
    assert response.status_code == 200 and response.mimetype == "application/json"
    [board] = response.get_json()["items"]
    assert board["slug"] == "printers" and board["thread_count"] == 1 and board["solved_count"] == 1
    assert board["url"].endswith("/api/v1/boards/printers")


def test_a_board_pages_its_threads_with_next_links(make_app, board, make_thread):
    for n in range(5):
        make_thread(title=f"Printer problem number {n} here")
    client = make_app(THREADS_PER_PAGE=2).test_client()
    first = client.get("/api/v1/boards/printers?sort=newest").get_json()
    assert first["board"]["name"] == "Printers"
    threads = first["threads"]
    assert [t["title"] for t in threads["items"]] == ["Printer problem number 4 here", "Printer problem number 3 here"]
    assert (threads["page"], threads["pages"], threads["total"], threads["prev"]) == (1, 3, 5, None)
    second = client.get(threads["next"]).get_json()["threads"]
    assert [t["title"] for t in second["items"]] == ["Printer problem number 2 here", "Printer problem number 1 here"]
    assert "sort=newest" in second["next"] and "page=3" in second["next"]
    last = client.get(second["next"]).get_json()["threads"]
    assert last["next"] is None and len(last["items"]) == 1


@pytest.mark.parametrize("query", ["page=0", "page=x", "page=-1", "sort=random", "filter=mine"])
def test_bad_list_parameters_are_400_problems_naming_the_field(api, board, query):
    response = api.get(f"/boards/printers?{query}")
    assert response.status_code == 400 and response.mimetype == PROBLEM
    assert list(response.get_json()["errors"]) == [query.split("=")[0]]


def test_unknown_board_is_a_404_problem(api, board):
    response = api.get("/boards/nope")
    assert response.status_code == 404 and response.mimetype == PROBLEM
    assert response.get_json()["status"] == 404


def test_a_thread_with_marks_comments_and_authors(api, forum):
    data = api.get(f"/threads/{forum.thread.id}").get_json()
    assert data["title"] == forum.thread.title and data["status"] == "solved"
    assert data["question"]["id"] == forum.question.id and data["question"]["kind"] == "question"
    assert [c["body"] for c in data["question"]["comments"]] == ["Which model is it?"]
    accepted = data["accepted_answer"]
    assert accepted["id"] == forum.accepted.id and accepted["is_accepted"] and not accepted["is_official"]
    assert accepted["kudos_count"] == 1
    assert [c["body"] for c in accepted["comments"]] == ["That worked, thank you!"]
    assert accepted["author"]["display_name"] == "Helpful Hans"
    assert accepted["author"]["reputation"] > 0 and accepted["author"]["rank"]["name"]
    assert data["official_answer"]["id"] == forum.official.id and data["official_answer"]["is_official"]
    assert data["official_by"]["display_name"] == "Mod Maja" and data["official_by"]["is_staff"]
    assert data["answers"]["items"] == []  # both answers are shown as marks; the hidden one is not shown


@pytest.mark.parametrize(("who", "sees_hidden"), [(None, False), ("member_token", False),
                                                   ("troll_token", True), ("moderator_token", True)])
def test_hidden_answers_only_for_their_author_and_staff(api, forum, who, sees_hidden):
    token = getattr(forum, who) if who else None
    answers = api.get(f"/threads/{forum.thread.id}", token=token).get_json()["answers"]["items"]
    assert [(a["id"], a["is_hidden"]) for a in answers] == ([(forum.hidden.id, True)] if sees_hidden else [])
    single = api.get(f"/posts/{forum.hidden.id}", token=token)
    assert single.status_code == (200 if sees_hidden else 404)


def test_a_hidden_question_hides_the_thread(api, forum, session):
    review.hide(session, forum.moderator, post_id=forum.question.id, reason="spam")
    assert api.get(f"/threads/{forum.thread.id}").status_code == 404
    assert api.get(f"/threads/{forum.thread.id}", token=forum.helper_token).status_code == 404
    assert api.get(f"/threads/{forum.thread.id}", token=forum.member_token).status_code == 200  # the asker
    assert api.get(f"/threads/{forum.thread.id}", token=forum.moderator_token).status_code == 200
    assert api.get("/boards/printers").get_json()["threads"]["total"] == 0


def test_answers_are_paged(make_app, forum, session, make_user):
    from app.services import posting

    for n in range(3):
        posting.answer(session, make_user(), thread_id=forum.thread.id, body=f"Another idea, number {n}.")
    client = make_app(ANSWERS_PER_PAGE=2).test_client()
    answers = client.get(f"/api/v1/threads/{forum.thread.id}").get_json()["answers"]
    assert (len(answers["items"]), answers["total"], answers["pages"]) == (2, 3, 2)
    assert len(client.get(answers["next"]).get_json()["answers"]["items"]) == 1


def test_a_merged_thread_redirects_to_its_target(api, forum, make_thread, session):
    from app.services import thread_moderation

    other = make_thread(title="Printer offline since yesterday's update")
    thread_moderation.merge(session, forum.moderator, source_id=other.id, target_id=forum.thread.id)
    response = api.get(f"/threads/{other.id}")
    assert response.status_code == 308 and response.headers["Location"].endswith(f"/api/v1/threads/{forum.thread.id}")


def test_search_with_the_search_page_filters(api, forum, make_thread, drain):
    make_thread(title="Printer offline and toner empty", tags="toner")
    drain()
    found = api.get("/search?q=offline").get_json()
    assert {item["id"] for item in found["items"]} == {forum.thread.id, forum.thread.id + 1}
    assert found["total"] == 2 and "<mark>" in "".join(i["snippet_html"] for i in found["items"])
    solved = api.get("/search?q=offline&solved=true").get_json()
    assert [item["id"] for item in solved["items"]] == [forum.thread.id]
    tagged = api.get("/search?q=offline&tag=toner&board=printers&within=week&sort=newest").get_json()
    assert [item["title"] for item in tagged["items"]] == ["Printer offline and toner empty"]


@pytest.mark.parametrize("query", ["", "q=", "q=%20", "q=x&board=nope", "q=x&solved=yes", "q=x&within=decade",
                                   "q=x&sort=best", "q=" + "x" * 201])
def test_bad_searches_are_400_problems(api, board, query):
    response = api.get(f"/search?{query}")
    assert response.status_code == 400 and response.mimetype == PROBLEM
    assert response.get_json()["errors"]


def test_search_leaves_hidden_threads_out(api, forum, session, drain):
    review.hide(session, forum.moderator, post_id=forum.question.id, reason="spam")
    drain()
    assert api.get("/search?q=printer", token=forum.moderator_token).get_json()["items"] == []
