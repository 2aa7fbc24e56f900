"""Unit tests of the chart geometry (app/web/charts.py): pure Python, no app, no database."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.web.charts import format_day, nice_step, step_chart


def _points(line: str) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in line.split()]


def test_nothing_to_draw_without_changes():
    assert step_chart([]) is None


@pytest.mark.parametrize(("span", "step"), [(0, 1), (1, 1), (3, 1), (4, 1), (5, 2), (9, 5), (40, 10), (527, 200),
                                            (1000, 500), (6100, 2000)])
def test_nice_steps_are_1_2_5_times_a_power_of_ten(span, step):
    assert nice_step(span) == step


def test_a_rising_timeline_is_a_staircase_from_zero_to_today():
    timeline = [(date(2025, 1, 1), 10), (date(2025, 1, 3), 25), (date(2025, 1, 5), 40)]

    chart = step_chart(timeline, today=date(2025, 1, 9), width=100, height=60, padding=(0, 0, 0, 0))

    # x: 8 days over 100 units; y: 0..40 over 60 units (y grows downwards).
    assert _points(chart.line) == [(0, 60), (0, 45), (25, 45), (25, 22.5), (50, 22.5), (50, 0), (100, 0)]
    assert chart.area == "M0,60 L0,60 L0,45 L25,45 L25,22.5 L50,22.5 L50,0 L100,0 L100,60 Z"
    assert chart.zero_y == 60 and chart.end == (100, 0)
    assert [t.label for t in chart.y_ticks] == ["0", "10", "20", "30", "40"]
    assert [t.label for t in chart.x_ticks] == ["1 Jan 2025", "9 Jan 2025"]
    assert (chart.first_day, chart.last_day, chart.end_day) == (date(2025, 1, 1), date(2025, 1, 5), date(2025, 1, 9))
    assert (chart.final, chart.highest, chart.lowest) == (40, 40, 10)


def test_every_point_stays_inside_the_plot_area():
    timeline = [(datetime(2024, 3, d, tzinfo=timezone.utc), v) for d, v in [(1, 5), (2, 1234), (9, 987), (20, 4321)]]

    chart = step_chart(timeline, today=datetime(2024, 4, 1, tzinfo=timezone.utc))

    for x, y in _points(chart.line):
        assert chart.left <= x <= chart.right and chart.top <= y <= chart.bottom
    assert chart.y_ticks[0].label == "0" and chart.y_ticks[-1].label == "6,000"
    assert chart.end[0] == chart.right


def test_a_single_day_draws_a_step_across_the_whole_width():
    chart = step_chart([(date(2025, 6, 1), 15)], width=100, height=50, padding=(0, 0, 0, 0))

    assert _points(chart.line) == [(0, 50), (0, 0), (100, 0)]  # 0..15 (step 5) over 50 units
    assert [t.label for t in chart.x_ticks] == ["1 Jun 2025"]


def test_negative_reputation_goes_below_the_zero_line():
    timeline = [(date(2025, 1, 1), 10), (date(2025, 1, 2), -20)]

    chart = step_chart(timeline, width=100, height=100, padding=(0, 0, 0, 0))

    assert chart.y_ticks[0].label == "\u221220" and chart.y_ticks[-1].label == "10"
    ys = [y for _, y in _points(chart.line)]
    assert max(ys) == 100 and chart.zero_y == pytest.approx(100 * 10 / 30)
    assert chart.lowest == -20 and chart.final == -20


def test_today_before_the_last_change_does_not_shorten_the_line():
    chart = step_chart([(date(2025, 1, 1), 1), (date(2025, 1, 5), 2)], today=date(2024, 12, 1))

    assert chart.end_day == date(2025, 1, 5)


def test_days_are_written_without_leading_zeros():
    assert format_day(date(2025, 3, 7)) == "7 Mar 2025"
