"""The support dashboard page and its CSV exports: staff only, filters that never fail, charts as
inline SVG, "—" where nothing was measured, and CSV cells a spreadsheet cannot run as formulas."""
from __future__ import annotations

import csv
import io

import pytest

from app.services import posting, solutions
from app.web.charts import Series, bar_chart
from app.web.dashboard import duration, safe_cell


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/unanswered.csv"])
def test_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/summary.csv"])
def test_members_are_forbidden(client, member, path):
    client.sign_in(member)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_see_the_dashboard_and_the_nav_link(client, make_user, role):
    client.sign_in(make_user(role))
    response = client.get("/dashboard")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/dashboard"' in page and "Support dashboard" in page


def test_members_have_no_dashboard_link(client, member):
    client.sign_in(member)
    assert 'href="/dashboard"' not in client.get("/").get_data(as_text=True)


def test_empty_site_shows_dashes_not_zero_percent(client, moderator):
    client.sign_in(moderator)
    page = client.get("/dashboard?days=7").get_data(as_text=True)
    assert "0%" not in page
    assert page.count("\u2014") >= 6
    assert "Every thread has an answer." in page


def test_figures_charts_and_lists(client, session, moderator, member, helper, make_thread):
    solved = make_thread(title="Printer shows offline after update")
    make_thread(title="Scanner makes a grinding noise")
    answer = posting.answer(session, helper, thread_id=solved.id, body="Reinstall the driver from the support page.")
    solutions.accept(session, member, answer_id=answer.id)
    client.sign_in(moderator)
    page = client.get("/dashboard?days=30").get_data(as_text=True)
    assert page.count('<svg class="chart-svg dash-chart"') == 2
    assert 'class="dash-bar bar-asked"' in page and 'class="dash-bar bar-solved"' in page
    assert 'class="dash-bar bar-wait"' in page
    assert "50%" in page  # one of two threads solved
    assert "Scanner makes a grinding noise" in page  # unanswered
    assert "Helpful Hans" in page  # top helper
    assert "style=" not in page.split("<main", 1)[1]  # the CSP allows no inline style


@pytest.mark.parametrize("query, notice", [
    ("days=14", "Choose a period of 7, 30 or 90 days"),
    ("days=abc", "Choose a period of 7, 30 or 90 days"),
    ("board=999999", "There is no such board"),
    ("board=%00x", "There is no such board"),
])
def test_bad_filters_fall_back_with_a_note(client, moderator, query, notice):
    client.sign_in(moderator)
    response = client.get(f"/dashboard?{query}")
    assert response.status_code == 200 and notice in response.get_data(as_text=True)


def test_board_filter_is_kept_in_the_form_and_export_links(client, moderator, board, make_thread):
    make_thread(title="Printer shows offline after update")
    client.sign_in(moderator)
    page = client.get(f"/dashboard?board={board.id}&days=7").get_data(as_text=True)
    assert f'<option value="{board.id}" selected>' in page
    assert f"/dashboard/unanswered.csv?board={board.id}&amp;days=7" in page


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_csv_export_is_a_named_file_with_the_table(client, moderator, board, make_thread):
    make_thread(title="Printer shows offline after update")
    client.sign_in(moderator)
    response = client.get(f"/dashboard/unanswered.csv?board={board.id}&days=7")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and 'filename="peerdesk-unanswered-7d-printers-' in disposition
    rows = _rows(response)
    assert rows[0][:2] == ["Thread", "Board"]
    assert rows[1][:2] == ["Printer shows offline after update", "Printers"]
    assert rows[1][-1].startswith("http://") and "/t/" in rows[1][-1]


@pytest.mark.parametrize("name", ["summary", "activity", "unanswered", "boards", "helpers", "trending"])
def test_every_table_exports(client, moderator, name):
    client.sign_in(moderator)
    response = client.get(f"/dashboard/{name}.csv?days=90")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert len(_rows(response)[0]) >= 2


def test_summary_export_writes_a_dash_for_nothing_measured(client, moderator):
    client.sign_in(moderator)
    rows = dict(_rows(client.get("/dashboard/summary.csv?days=7"))[1:])
    assert rows["Solve rate"] == "\u2014" and rows["Threads asked"] == "0"


def test_unknown_export_is_not_found(client, moderator):
    client.sign_in(moderator)
    assert client.get("/dashboard/passwords.csv").status_code == 404


@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil.example") printer', "+1 printer offline again",
                                   "-2 degrees and the printer stops", "@SUM(A1) scanner problem"])
def test_csv_cells_that_look_like_formulas_get_an_apostrophe(client, moderator, make_thread, title):
    make_thread(title=title)
    client.sign_in(moderator)
    rows = _rows(client.get("/dashboard/unanswered.csv"))
    assert rows[1][0] == "'" + title


def test_safe_cell_leaves_numbers_and_plain_text():
    assert safe_cell(-5) == -5 and safe_cell("Printer") == "Printer" and safe_cell(None) == ""
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("\t=1") == "'\t=1"


def test_duration_and_chart_geometry():
    assert duration(None) == "\u2014"
    assert duration(30 * 60) == "30 min" and duration(3.5 * 3600) == "3 h 30 min" and duration(50 * 3600) == "2 d 2 h"
    assert duration(3 * 3600) == "3 h" and duration(48 * 3600) == "2 d" and duration(0) == "0 min"
    chart = bar_chart(["a", "b"], [Series("x", [4, None], lambda label, v: f"{label}: {v}")])
    assert len(chart.bars) == 1  # nothing measured, no bar
    bar = chart.bars[0]
    # The axis runs 0 to 4 (step 1); a value of 4 reaches the top of the plot.
    assert bar.y == chart.top and bar.y + bar.height == chart.bottom
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3", "4"]
