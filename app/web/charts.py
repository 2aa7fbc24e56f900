"""Geometry for small server-rendered SVG charts (pure Python: no Flask, no database).

`step_chart()` turns a reputation timeline — (day, running total) after each day with a change —
into the coordinates a template draws as an inline SVG: a stepped line (reputation holds its
value until the next change), the area between it and zero, axis ticks and date labels.
`bar_chart()` lays out grouped bars (the support dashboard's charts), one group per label.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, Sequence

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Tick:
    position: float  # y (value ticks) or x (date labels) in the chart's coordinates
    label: str


@dataclass(frozen=True)
class StepChart:
    width: int
    height: int
    left: float    # the plot area inside the padding
    right: float
    top: float
    bottom: float
    line: str      # SVG polyline points, "x,y x,y …"
    area: str      # SVG path data of the area between the line and zero
    zero_y: float  # where the value 0 is
    end: tuple[float, float]  # the last point, for a marker
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    first_day: date
    last_day: date   # the last day with a change
    end_day: date    # where the line ends (today, or the last change if later)
    final: int       # the value now
    highest: int
    lowest: int


def nice_step(span: float, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10^k, at least 1) giving about `ticks` intervals over `span`."""
    raw = max(span, 1) / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(1, int(factor * magnitude))
    return max(1, int(10 * magnitude))  # pragma: no cover - the loop always returns


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def format_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _fmt(number: float) -> str:
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def step_chart(timeline: Sequence[tuple[date | datetime, int]], *, today: date | datetime | None = None,
               width: int = 640, height: int = 220, padding: tuple[int, int, int, int] = (14, 16, 30, 60),
               ticks: int = 4) -> StepChart | None:
    """The chart of a running total, or None when there is nothing to draw.

    `padding` is (top, right, bottom, left) in chart units; value labels go in the left padding,
    date labels in the bottom one. The line starts at 0 on the first day, steps to each day's
    total and, when `today` is later than the last change, runs on flat to today.
    """
    if not timeline:
        return None
    days = [_day(moment) for moment, _ in timeline]
    values = [int(total) for _, total in timeline]
    first_day, last_day = days[0], days[-1]
    end_day = max(last_day, _day(today)) if today is not None else last_day
    span_days = max((end_day - first_day).days, 1)

    lowest, highest = min(0, *values), max(0, *values)
    step = nice_step(highest - lowest, ticks)
    y_min = math.floor(lowest / step) * step
    y_max = math.ceil(highest / step) * step
    if y_max == y_min:
        y_max = y_min + step

    top, right_pad, bottom_pad, left_pad = padding
    left, right, bottom = float(left_pad), float(width - right_pad), float(height - bottom_pad)

    def x_of(day: date) -> float:
        return left + (right - left) * (day - first_day).days / span_days

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value - y_min) / (y_max - y_min)

    points: list[tuple[float, float]] = [(x_of(first_day), y_of(0))]
    previous = 0
    for day, value in zip(days, values):
        x = x_of(day)
        points.append((x, y_of(previous)))
        points.append((x, y_of(value)))
        previous = value
    # Runs on to the end; a single day is drawn across the whole width.
    points.append((x_of(end_day) if end_day > first_day else right, y_of(previous)))
    # Drop repeated points (a first change on the first day repeats the start).
    compact = [points[0]] + [p for before, p in zip(points, points[1:]) if p != before]

    zero_y = y_of(0)
    line = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in compact)
    area = (f"M{_fmt(compact[0][0])},{_fmt(zero_y)} "
            + " ".join(f"L{_fmt(x)},{_fmt(y)}" for x, y in compact)
            + f" L{_fmt(compact[-1][0])},{_fmt(zero_y)} Z")
    y_ticks = tuple(Tick(y_of(v), f"{v:,}".replace("-", "\u2212")) for v in range(y_min, y_max + 1, step))
    x_ticks = [Tick(left, format_day(first_day))]
    if end_day != first_day:
        x_ticks.append(Tick(right, format_day(end_day)))
    return StepChart(
        width=width, height=height, left=left, right=right, top=float(top), bottom=bottom,
        line=line, area=area, zero_y=zero_y, end=compact[-1], y_ticks=y_ticks, x_ticks=tuple(x_ticks),
        first_day=first_day, last_day=last_day, end_day=end_day, final=previous,
        highest=max(values), lowest=min(values),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str    # the class that colours the series
    title: str  # shown on hover and read by screen readers


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class Series:
    css: str
    values: Sequence[float | None]  # None: nothing measured
    title: Callable[[str, float], str]  # (bucket label, value) → the bar's title


def bar_chart(labels: Sequence[str], series: Sequence[Series], *, tick_label: Callable[[int], str] = str,
              width: int = 640, height: int = 220, padding: tuple[int, int, int, int] = (14, 8, 30, 48),
              ticks: int = 4) -> BarChart:
    """Grouped bars, one group per label and one bar per series, on a y axis from 0 to a round number."""
    top, right_pad, bottom_pad, left_pad = padding
    left, right, bottom = float(left_pad), float(width - right_pad), float(height - bottom_pad)
    highest = max((v for s in series for v in s.values if v is not None), default=0)
    step = nice_step(highest, ticks)
    y_max = max(step, math.ceil(highest / step) * step)
    slot = (right - left) / max(len(labels), 1)
    bar_width = slot * 0.78 / max(len(series), 1)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / y_max

    bars = []
    for i, label in enumerate(labels):
        for j, one in enumerate(series):
            value = one.values[i]
            if not value:  # nothing measured, or a zero: no bar to draw
                continue
            x = left + slot * i + slot * 0.11 + bar_width * j
            y = y_of(value)
            bars.append(Bar(round(x, 1), round(y, 1), round(bar_width, 1), round(bottom - y, 1), one.css,
                            one.title(label, value)))
    # Every label for a week of days; otherwise about six, so they never overlap.
    every = max(1, -(-len(labels) // 6))
    x_ticks = tuple(Tick(round(left + slot * (i + 0.5), 1), label)
                    for i, label in enumerate(labels) if i % every == 0)
    y_ticks = tuple(Tick(round(y_of(v), 1), tick_label(v)) for v in range(0, y_max + 1, step))
    return BarChart(width, height, left, right, float(top), bottom, tuple(bars), y_ticks, x_ticks)
