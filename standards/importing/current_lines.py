"""Lines of a current-layout standard's text, as extracted from its PDF or copied from its page, put
back together: page headers and footers out, lines wrapped by the page joined, words divided at a
line's end made whole again where the text itself shows how they are spelt.

Nothing here changes a word: a line break is the only thing removed, or a hyphen the printer added.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*")
# A hyphen at a line's end: ASCII, Unicode's HYPHEN (WeasyPrint's, among others), a soft hyphen.
_HYPHENS = ("-", "\u2010", "\u00ad")
BULLET = re.compile(r"^(?:[•▪◦●·\-–—*]|\d{1,2}[.)])\s+(?=\S)")
_LONE_BULLET = re.compile(r"^[•▪◦●·]$")
_PAGE = re.compile(r"^(?:page\s+)?\d+(?:\s+of\s+\d+)?$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]+")
# Words that keep their hyphen when a line ends on them ("person-" / "centred"), unless the text
# itself spells the word whole elsewhere.
_COMPOUNDING = frozenset(
    [
        "self",
        "well",
        "non",
        "co",
        "person",
        "multi",
        "cross",
        "long",
        "short",
        "full",
        "part",
        "face",
        "inter",
        "anti",
        "post",
        "pre",
        "semi",
        "sub",
        "ex",
        "after",
        "day",
        "one",
        "two",
        "first",
        "second",
        "third",
        "high",
        "low",
        "cost",
        "risk",
        "user",
        "work",
    ]
)


def normalised_lines(text: str) -> list[str]:
    """The text's lines with runs of spaces made one; blank lines kept as "" (they separate paragraphs)."""
    # Lines are mended (`mend_divided`) once furniture between a divided word's halves is gone.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        # A soft hyphen inside a line marks where the word may be divided, not a division: it goes.
        lines.append(line[:-1].replace("\u00ad", "") + line[-1:] if line else line)
    return _place_bullets(lines)


def _place_bullets(lines: list[str]) -> list[str]:
    """A bullet alone on its line goes with the line after it; a run of them (list markers an
    extractor gave apart from their items, at the end of a page) carries no words and goes."""
    placed: list[str] = []
    index = 0
    while index < len(lines):
        run = index
        while run < len(lines) and _LONE_BULLET.match(lines[run]):
            run += 1
        if run - index == 1 and run < len(lines) and lines[run]:
            placed.append(f"{lines[index]} {lines[run]}")
            index = run + 1
        elif run > index:
            index = run
        else:
            placed.append(lines[index])
            index += 1
    return placed


def vocabulary(lines: list[str]) -> set[str]:
    """Every whole word the text uses (not the pieces of a word divided at a line's end)."""
    words: set[str] = set()
    for index, line in enumerate(lines):
        found = _TOKEN.findall(line)
        if line.endswith(_HYPHENS) and found:
            found = found[:-1]
        if index and lines[index - 1].endswith(_HYPHENS) and found and line[:1].isalnum():
            found = found[1:]
        words.update(word.casefold() for word in found)
    return words


def mend_divided(lines: list[str], words: set[str]) -> tuple[list[str], list[str]]:
    """The lines with each word divided at a line's end made whole on the first line, and the
    readings that are guesses ("main-tain" read as "maintain"), for the person importing to check.

    A soft hyphen always divides a word. Otherwise the word is made whole when the text spells it
    whole elsewhere; it keeps its hyphen when the text spells it with one ("person-centred") or
    when the first part is a word that usually compounds ("self-", "well-"); a capital after the
    hyphen, with no whole spelling, is left as printed; anything else is made whole, as a guess.
    """
    mended = list(lines)
    guesses = []
    index = 0
    while index + 1 < len(mended):
        line, following = mended[index], mended[index + 1]
        head = _TOKEN.findall(line[:-1])[-1:] if line.endswith(_HYPHENS) and len(line) > 1 else []
        tail = _TOKEN.match(following)
        if head and tail and line[-2].isalnum():
            whole = head[0] + tail.group()
            hyphened = f"{head[0]}-{tail.group()}"
            # What follows the word's second half up to a space (", discrimination") goes with it.
            tail = re.match(rf"{re.escape(tail.group())}\S*", following)
            assert tail is not None
            if line.endswith("\u00ad") or whole.casefold() in words:
                joined = whole
            elif hyphened.casefold() in words or head[0].casefold() in _COMPOUNDING:
                joined = hyphened
            elif not tail.group()[:1].islower():
                joined = ""
            else:
                joined = whole
                if f"{whole} ({hyphened})" not in guesses:
                    guesses.append(f"{whole} ({hyphened})")
            if joined:
                joined += tail.group()[len(whole) - len(head[0]) :]
                mended[index] = line[: len(line) - len(head[0]) - 1] + joined
                rest = following[tail.end() :].strip()
                if rest:
                    mended[index + 1] = rest
                else:
                    del mended[index + 1]
                    continue
        index += 1
    return mended, guesses


class LineJoiner:
    """Joins the lines a printed page wrapped into one text; knows the text's words and its width
    (its longest line: a line much shorter did not fill the page)."""

    def __init__(self, words: set[str], width: int = 0) -> None:
        self.words = words
        self.width = width

    def join(self, lines: list[str]) -> str:
        return " ".join(line for line in lines if line)


def drop_furniture(lines: list[str], code: str, title: str) -> list[str]:
    """The lines without page headers and footers: the code, the title, both, a page number.

    A header's title may be wrapped over lines; a page number may stand before or after it, on
    its line or the next.
    """
    targets = {" ".join(t.split()).casefold() for t in (code, title, f"{code} {title}") if t.strip()}
    kept: list[str] = []
    index = 0
    while index < len(lines):
        taken = _furniture_at(lines, index, targets)
        if taken and re.search(r"\bURN:?$", next((line for line in reversed(kept) if line), "")):
            taken = 0  # the details table's "Original URN", its value (the code) on the next line
        if taken:
            # A page number before or after the header, blank lines between (text as pdftotext gives it).
            _drop_page_number(kept)
            index += taken
            after = index
            while after < len(lines) and not lines[after]:
                after += 1
            if after < len(lines) and _PAGE.match(lines[after]):
                index = after + 1
            continue
        if _PAGE.match(lines[index]) and lines[index].lower().startswith("page"):
            index += 1
            continue
        kept.append(lines[index])
        index += 1
    return kept


def _drop_page_number(kept: list[str]) -> None:
    """A page number just above a header or footer goes: "Page 3 of 7" after blank lines, a bare
    number only on the line straight above (a bare number after a blank line may be a value: "6145")."""
    at = len(kept) - 1
    while at >= 0 and not kept[at]:
        at -= 1
    if at >= 0 and _PAGE.match(kept[at]) and (at == len(kept) - 1 or kept[at].lower().startswith("page")):
        del kept[at:]


def _furniture_at(lines: list[str], index: int, targets: set[str]) -> int:
    """How many lines from `index` make up a header or footer (0 when they do not)."""
    joined = ""
    for count in range(1, 5):
        if index + count > len(lines) or not lines[index + count - 1]:
            return 0
        joined = f"{joined} {lines[index + count - 1]}".strip()
        bare = re.sub(r"^\d+\s+|\s+\d+$", "", joined).casefold()
        if bare in targets or joined.casefold() in targets:
            return count
        if not any(target.startswith(bare) for target in targets):
            return 0
    return 0


def width_of(lines: list[str]) -> int:
    return max((len(line) for line in lines), default=0)


def entries(lines: list[str], joiner: LineJoiner, keep_markers: bool = False) -> list[str]:
    """A free-text section as its paragraphs and list items, each joined onto one line.

    A new entry starts after a blank line, at a bullet or list number (which goes, as list
    markers do, unless `keep_markers`), or where a sentence ends on a short line and the next
    line starts a new one.
    """
    width = joiner.width or width_of(lines)
    groups: list[list[str]] = []
    previous = ""
    for line in lines:
        if not line:
            previous = ""
            continue
        marker = BULLET.match(line)
        starts = marker is not None or not groups or not previous or _paragraph_break(previous, line, width)
        if marker and not keep_markers:
            line = line[marker.end() :]
        if starts:
            groups.append([line])
        else:
            groups[-1].append(line)
        previous = line
    return [joiner.join(group) for group in groups]


def _paragraph_break(previous: str, line: str, width: int) -> bool:
    return previous[-1:] in ".!?:" and line[:1].isupper() and len(previous) < 0.8 * width
