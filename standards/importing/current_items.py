"""Numbered items of a current-layout standard: performance criteria P1...Pn and knowledge K1...Kn,
each group under its unnumbered sub-heading, after "You must be able to:" or "You need to know and
understand:".

Text extracted from a PDF may give a group's numbers first, one a line, and the statements after,
each wrapped over several lines. Which line starts a statement is then read from the wrapping: a
line the page did not fill (the next line's first word would have fitted on it) ends a statement.
Where that reading is not certain, a warning says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from .current_lines import BULLET, WORD, LineJoiner, width_of
from .current_sections import KNOWLEDGE_LEAD
from .warning_kinds import gap


@dataclass
class CurrentItem:
    number: int
    group: str
    lines: list[str] = field(default_factory=list)


@dataclass
class CurrentItems:
    items: list[CurrentItem] = field(default_factory=list)
    lead: str = ""  # "You must be able to:" as printed
    warnings: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # lines before any number: in no item


_CRITERION = re.compile(r"^P\d+\b")


def criteria_in_knowledge(lines: list[str]) -> tuple[list[str], list[str]]:
    """Criteria a PDF's two columns put after the "Knowledge and understanding" heading (the
    heading, in the left column, comes out before the right column's last criteria): the lines of
    the criteria at the knowledge section's start, and the section without them.

    They run from the first "P9" line to the end of the last criterion's statement: the lines after
    its number up to a blank line, and any bulleted points after that.
    """
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None or not _CRITERION.match(lines[first]):
        return [], lines
    last = max(i for i, line in enumerate(lines) if _CRITERION.match(line) and _before_knowledge(lines, i))
    end = last + 1
    if lines[last].strip() == lines[last].split()[0]:  # the number alone: its statement follows
        while end < len(lines) and not lines[end]:
            end += 1
    while end < len(lines) and lines[end]:
        end += 1
    while end + 1 < len(lines) and not lines[end] and BULLET.match(lines[end + 1]):
        end += 1
        while end < len(lines) and lines[end]:
            end += 1
    return lines[first:end], lines[:first] + lines[end:]


def _before_knowledge(lines: list[str], index: int) -> bool:
    return not any(re.match(r"^K\d+\b", line) or KNOWLEDGE_LEAD.match(line) for line in lines[:index])


def numbered_items(lines: list[str], letter: str, lead: re.Pattern[str]) -> CurrentItems:
    number = re.compile(rf"^{letter}(\d+)(?:\.|:)?(?:\s+(.*))?$")
    found = CurrentItems()
    leads = [index for index, line in enumerate(lines) if lead.match(line)]
    if leads:
        found.lead = " ".join(lead.match(lines[leads[0]]).group().split())  # type: ignore[union-attr]
    starts = []
    previous = -1
    for index in leads:
        starts.append(_heading_start(lines, previous + 1, index, number))
        previous = index
    regions = [("", lines[: starts[0]] if starts else lines)]
    for position, index in enumerate(leads):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        heading = " ".join(line for line in lines[starts[position] : index] if line)
        after_lead = lead.sub("", lines[index]).strip()
        regions.append((heading, ([after_lead] if after_lead else []) + lines[index + 1 : end]))
    for heading, region in regions:
        if not leads and heading == "":
            heading, region = _leading_heading(region, number)
        _read_region(region, heading, number, letter, found)
    return found


def _heading_start(lines: list[str], floor: int, lead_at: int, number: re.Pattern[str]) -> int:
    """Where the sub-heading before a lead begins: back to its first line, which starts with a capital."""
    index = lead_at - 1
    while index >= floor:
        line = lines[index]
        if line and number.match(line):
            return lead_at
        if line[:1].isupper():
            return index
        index -= 1
    return lead_at if floor > 0 else floor


def _leading_heading(region: list[str], number: re.Pattern[str]) -> tuple[str, list[str]]:
    """With no lead at all, the lines before the first number are the group's sub-heading."""
    for index, line in enumerate(region):
        if number.match(line):
            return " ".join(line for line in region[:index] if line), region[index:]
    return "", region


def _read_region(
    region: list[str], heading: str, number: re.Pattern[str], letter: str, found: CurrentItems
) -> None:
    """The items of one group: "P1 text" lines, or runs of bare numbers with their statements after."""
    numbers: list[int] = []
    texts: list[str] = []

    def flush() -> None:
        if numbers:
            _share_out(numbers, texts, heading, letter, found)
        numbers.clear()
        texts.clear()

    for line in region:
        match = number.match(line)
        if match and match.group(2):
            flush()
            numbers.append(int(match.group(1)))
            texts.append(match.group(2))
        elif match:
            if texts:
                flush()
            numbers.append(int(match.group(1)))
        elif numbers:
            texts.append(line)
        elif line:
            found.unplaced.append(line)
    flush()


def _share_out(numbers: list[int], texts: list[str], heading: str, letter: str, found: CurrentItems) -> None:
    if len(numbers) == 1:
        found.items.append(CurrentItem(numbers[0], heading, list(texts)))
        return
    chunks, certain = split_statements(texts, len(numbers))
    if not certain:
        found.warnings.append(
            f"{letter}{numbers[0]} to {letter}{numbers[-1]}: the numbers came before the statements, "
            "and where each statement ends was read from the line lengths; check them"
        )
    for value, chunk in zip(numbers, chunks, strict=True):
        found.items.append(CurrentItem(value, heading, chunk))


def split_statements(lines: list[str], count: int) -> tuple[list[list[str]], bool]:
    """`lines` cut into `count` statements, and whether the cuts are certain.

    A cut goes after a blank line, or after a line with room left for the next line's first word
    (the page would have put it there had the statement gone on). The `count - 1` likeliest cuts
    are taken; a statement never starts with a lower-case continuation of a divided word or a bullet.
    """
    text = [line for line in lines if line]
    if len(text) <= count:
        return [[line] for line in text] + [[] for _ in range(count - len(text))], len(text) == count
    width = width_of(text)
    slack = []
    position = 0
    blank_before = False
    for line in lines:
        if not line:
            blank_before = True
            continue
        if position:
            room = float("inf") if blank_before else _room(text[position - 1], line, width)
            slack.append((room, position))
        position += 1
        blank_before = False
    ranked = sorted(slack, key=lambda gap: (-gap[0], gap[1]))
    cuts = sorted(index for _, index in ranked[: count - 1])
    chosen = [room for room, _ in ranked[: count - 1]]
    spare = [room for room, _ in ranked[count - 1 :]]
    certain = min(chosen) >= 0 and (not spare or max(spare) < 0)
    bounds = [0, *cuts, len(text)]
    return [text[start:end] for start, end in pairwise(bounds)], certain


def _room(line: str, following: str, width: int) -> float:
    if line.endswith("-") or BULLET.match(following):
        return float("-inf")
    first = WORD.match(following)
    return width - len(line) - 1 - len(first.group() if first else following.split()[0])


def text_and_points(lines: list[str], joiner: LineJoiner) -> tuple[str, list[str]]:
    """An item's statement, and its sub-points where it has a bulleted list."""
    head: list[str] = []
    points: list[list[str]] = []
    for line in lines:
        marker = BULLET.match(line)
        if marker:
            points.append([line[marker.end() :]])
        elif points:
            points[-1].append(line)
        else:
            head.append(line)
    return joiner.join(head), [joiner.join(point) for point in points]


def numbering_warnings(numbers: list[int], letter: str) -> tuple[list[str], set[int]]:
    """What a person should know of the numbering, and the positions of repeated numbers (left out)."""
    warnings: list[str] = []
    repeated: set[int] = set()
    seen: set[int] = set()
    if numbers and numbers[0] != 1:
        warnings.append(gap(f"numbering starts at {letter}{numbers[0]}, not {letter}1"))
    for position, value in enumerate(numbers):
        if value in seen:
            warnings.append(gap(f"{letter}{value} appears twice; the second is left out"))
            repeated.add(position)
            continue
        before = max(seen) if seen else None
        if before is not None and value > before + 1:
            warnings.append(gap(f"numbering jumps from {letter}{before} to {letter}{value}"))
        elif before is not None and value < before:
            warnings.append(f"{letter}{value} comes after {letter}{before}")
        seen.add(value)
    return warnings, repeated
