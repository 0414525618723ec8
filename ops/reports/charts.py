"""Pictures of the reports' figures, drawn on the server as SVG (no script): horizontal bars, each
under a line of text that says its figures, so the picture reads at any width and never by colour
alone. Each series has a fill and a pattern (solid, stripes, dots) shown in the legend too; each
chart is `role="img"` with a title and a description, and the page shows the same figures in a table.

A chart is built here (`stacked_bars`, `share_bar`) and drawn by `templates/ops/reports/chart.html`
and `share_bar.html`; widths are percentages of the chart, so it fills a phone's screen as a desk's.
"""

from collections.abc import Sequence
from dataclasses import dataclass

# Each series' look, in order: the fill (dark enough for white stripes and dots to show, and for the
# bar to stand out from the white page at 3:1) and its pattern's id in chart.html's <defs>.
LOOKS = (("#1e7b4a", ""), ("#8a5a00", "stripes"), ("#b3261e", "dots"))
ROW_HEIGHT = 46  # pixels: a line of text and a bar beneath it
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Series:
    name: str
    fill: str
    kind: str  # "stripes", "dots" or "" for a solid fill
    pattern: str  # the pattern's id on the page ("" for a solid fill)

    @property
    def paint(self) -> str:
        return f"url(#{self.pattern})" if self.pattern else self.fill


@dataclass(frozen=True)
class Segment:
    series: Series
    value: int
    x: float  # per cent of the chart's width
    width: float


@dataclass(frozen=True)
class BarRow:
    label: str
    short: str  # the label and the total, shown above the bar (short enough for a phone)
    words: str  # every figure in words, for the chart's description
    segments: list[Segment]
    y_text: int
    y_bar: int


@dataclass(frozen=True)
class Chart:
    key: str  # unique on the page: the ids of its title, description and patterns
    title: str
    description: str
    series: list[Series]
    rows: list[BarRow]
    height: int


def stacked_bars(
    *, key: str, title: str, description: str, series: Sequence[str], rows: Sequence[tuple[str, Sequence[int]]],
    unit: tuple[str, str] = ("", ""),
) -> Chart:
    """Horizontal bars, one per (label, values of each series), to one scale: the longest bar is the
    chart's width. `unit` (one, more than one) follows the total in the words: ("unit", "units")."""
    looks = [Series(name, fill, kind, f"{key}-{kind}" if kind else "") for name, (fill, kind) in zip(series, LOOKS, strict=False)]
    largest = max((sum(values) for _, values in rows), default=0) or 1
    drawn = []
    for index, (label, values) in enumerate(rows):
        x = 0.0
        segments = []
        for look, value in zip(looks, values, strict=True):
            width = 100 * value / largest
            segments.append(Segment(look, value, round(x, 2), round(width, 2)))
            x += width
        total = sum(values)
        named = f"{label}: {total} {unit[total != 1]}".rstrip() if total else f"{label}: none"
        parts = "; ".join(f"{look.name.lower()} {value}" for look, value in zip(looks, values, strict=True))
        drawn.append(BarRow(
            label=label, short=named, words=f"{named} ({parts})" if total else named,
            segments=[s for s in segments if s.value], y_text=index * ROW_HEIGHT + 16, y_bar=index * ROW_HEIGHT + 22,
        ))
    return Chart(key, title, description, looks, drawn, max(len(rows), 1) * ROW_HEIGHT)


@dataclass(frozen=True)
class ShareBar:
    """One bar of a share (met of total), for a table's row."""

    key: str
    label: str
    part: int
    whole: int

    @property
    def percent(self) -> int:
        return round(100 * self.part / self.whole) if self.whole else 0

    @property
    def words(self) -> str:
        return f"{self.part} of {self.whole} met ({self.percent}%)"


def share_bar(*, key: str, label: str, part: int, whole: int) -> ShareBar:
    return ShareBar(key, label, part, whole)
