"""Live thread updates over HTTP (app/web/live.py): the page's polling bar, ETag and 304, visibility
of hidden posts, errors in JSON, the new posts' HTML, the page cache and the rate limit."""
from __future__ import annotations

import re

import pytest

from app.services import posting, review, solutions, thread_moderation
from tests.services.test_thread_view import count_statements

JSON = {"Accept": "application/json"}
ANSWER = "Reinstall the driver from the vendor's site, then restart the spooler."
_SINCE = re.compile(r'data-since="([^"]+)"')


def page_since(client, thread) -> str:
    page = client.get(f"/t/{thread.id}-{thread.slug}")
    assert page.status_code == 200
    return _SINCE.search(page.get_data(as_text=True)).group(1)


def poll(client, thread, since, etag=None):
    headers = dict(JSON, **({"If-None-Match": etag} if etag else {}))
    return client.get(f"/t/{thread.id}/updates?since={since}", headers=headers)


def test_the_thread_page_carries_the_bar_and_its_script(client, thread):
    html = client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)
    assert 'id="live-updates"' in html
    assert "/static/js/live.js" in html
    assert f'data-updates-url="/t/{thread.id}/updates"' in html
    assert 'data-interval="15"' in html


def test_unchanged_thread_answers_304_without_a_body(client, thread):
    since = page_since(client, thread)
    first = poll(client, thread, since)
    assert first.status_code == 200
    assert first.json == {"action": "none", "answers": 0, "comments": 0, "marks_changed": False,
                          "message": "", "url": None}
    assert "private" in first.headers["Cache-Control"] and "no-cache" in first.headers["Cache-Control"]
    etag = first.headers["ETag"]
    again = poll(client, thread, since, etag)
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag


def test_an_unchanged_thread_costs_one_query(app, client, thread):
    since = page_since(client, thread)
    url = f"/t/{thread.id}/updates?since={since}"  # read before counting: the test's own session reloads `thread`
    etag = client.get(url, headers=JSON).headers["ETag"]
    with count_statements(app) as statements:
        assert client.get(url, headers=dict(JSON, **{"If-None-Match": etag})).status_code == 304
    assert [s.split()[0] for s in statements if s != "BEGIN"] == ["SELECT"], statements


def test_a_new_answer_changes_the_etag_and_is_announced(client, session, thread, helper):
    since = page_since(client, thread)
    etag = poll(client, thread, since).headers["ETag"]
    client.get(f"/t/{thread.id}-{thread.slug}")  # a view: no news
    assert poll(client, thread, since, etag).status_code == 304
    posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    news = poll(client, thread, since, etag)
    assert news.status_code == 200
    assert news.headers["ETag"] != etag
    assert news.json["answers"] == 1 and news.json["action"] == "show"
    assert news.json["message"] == "1 new answer"
    assert poll(client, thread, since, news.headers["ETag"]).status_code == 304


def test_marks_ask_for_a_reload(client, session, thread, member, helper):
    answer = posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    since = page_since(client, thread)
    solutions.accept(session, member, answer_id=answer.id)
    news = poll(client, thread, since).json
    assert news["marks_changed"] and news["action"] == "reload"
    assert news["message"] == "The thread is marked solved"


def test_hidden_posts_are_not_leaked(client, new_client, session, thread, helper, moderator):
    visitor_since = page_since(client, thread)
    visitor_etag = poll(client, thread, visitor_since).headers["ETag"]
    answer = posting.answer(session, helper, thread_id=thread.id, body="Visit my totally legit ink shop")
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    assert poll(client, thread, visitor_since, visitor_etag).status_code == 304
    posts = client.get(f"/t/{thread.id}/updates/posts?since={visitor_since}", headers=JSON)
    assert posts.status_code == 200
    assert "ink shop" not in posts.json["html"] and posts.json["since"] == visitor_since

    staff = new_client()
    staff.sign_in(moderator)
    assert poll(staff, thread, visitor_since).json["answers"] == 1
    shown = staff.get(f"/t/{thread.id}/updates/posts?since={visitor_since}", headers=JSON).json
    assert "ink shop" in shown["html"] and shown["since"] != visitor_since


def test_show_renders_new_posts_sanitised(client, new_client, session, thread, member, helper):
    since = page_since(client, thread)
    answer = posting.answer(session, helper, thread_id=thread.id,
                            body='Update the firmware. <script>alert(1)</script><img src=x onerror="alert(2)">')
    comment = posting.comment(session, helper, post_id=answer.id, body="Worked on my model too.")
    reader = new_client()
    reader.sign_in(member)  # the asker
    data = reader.get(f"/t/{thread.id}/updates/posts?since={since}", headers=JSON).json
    html = data["html"]
    assert f'data-live-answer="{answer.id}"' in html and f'id="post-{answer.id}"' in html
    assert f'id="post-{comment.id}"' in html and "Worked on my model too." in html
    assert "<script" not in html and "onerror" not in html
    assert "Accept as solution" in html  # the asker's own controls, as on the page
    assert data["since"].split(".")[0] == str(comment.id)


def test_a_new_comment_on_an_older_post_brings_its_comment_list(client, session, thread, helper):
    answer = posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    since = page_since(client, thread)
    comment = posting.comment(session, helper, post_id=answer.id, body="Version 3.2 fixed it here.")
    assert poll(client, thread, since).json["message"] == "1 new comment"
    html = client.get(f"/t/{thread.id}/updates/posts?since={since}", headers=JSON).json["html"]
    assert f'data-live-comments-for="{answer.id}"' in html and f'id="post-{comment.id}"' in html
    assert "data-live-answer" not in html


@pytest.mark.parametrize("since", ["", "nonsense", "1.2.3", "1.0.0.0.0", "99999999999.0.0.0", "1.0.0.0%00"])
@pytest.mark.parametrize("path", ["updates", "updates/posts"])
def test_a_bad_token_is_a_json_400(client, thread, since, path):
    response = client.get(f"/t/{thread.id}/{path}?since={since}")
    assert response.status_code == 400
    assert "reload the page" in response.json["error"]


@pytest.mark.parametrize("path", ["updates", "updates/posts"])
def test_an_unknown_thread_is_a_json_404(client, path):
    response = client.get(f"/t/987654/{path}?since=1.0.0.0")
    assert response.status_code == 404
    assert response.json["error"]


def test_a_merged_thread_tells_the_reader_to_reload(client, session, thread, make_thread, moderator):
    target = make_thread(title="Printer offline since the firmware update")
    since = page_since(client, thread)
    thread_moderation.merge(session, moderator, source_id=thread.id, target_id=target.id)
    news = poll(client, thread, since).json
    assert news["action"] == "reload" and news["url"] == f"/t/{target.id}"
    assert client.get(f"/t/{thread.id}/updates/posts?since={since}", headers=JSON).status_code == 404


def test_polls_are_never_served_from_the_page_cache(make_app, session, thread, helper):
    cached = make_app(PAGE_CACHE_SECONDS=60)
    visitor = cached.test_client()
    since = page_since(visitor, thread)
    assert visitor.get(f"/t/{thread.id}-{thread.slug}").headers["X-Page-Cache"] == "hit"
    assert poll(visitor, thread, since).json["answers"] == 0
    posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    # The kept page still lacks the answer; its token makes the poll tell the visitor so.
    kept = visitor.get(f"/t/{thread.id}-{thread.slug}")
    assert kept.headers["X-Page-Cache"] == "hit" and _SINCE.search(kept.get_data(as_text=True)).group(1) == since
    news = poll(visitor, thread, since)
    assert news.json["answers"] == 1 and "X-Page-Cache" not in news.headers


def test_polling_is_rate_limited_in_json(make_app, thread):
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LIVE="2 per minute")
    visitor = limited.test_client()
    for _ in range(2):
        assert poll(visitor, thread, "1.0.0.0").status_code == 200
    refused = poll(visitor, thread, "1.0.0.0")
    assert refused.status_code == 429
    assert refused.json["retry_after"] >= 1
