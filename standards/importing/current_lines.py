"""Lines of a current-layout standard's text, as extracted from its PDF or copied from its page, put
back together: page headers and footers out, lines wrapped by the page joined, words divided at a
line's end made whole again where the text itself shows how they are spelt.

Nothing here changes a word: a line break is the only thing removed, or a hyphen the printer added.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
BULLET = re.compile(r"^(?:[•▪◦●·\-–—*]|\d{1,2}[.)])\s+(?=\S)")
_PAGE = re.compile(r"^(?:page\s+)?\d+(?:\s+of\s+\d+)?$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]+")
# Words that keep their hyphen when a line ends on them ("person-" / "centred"), unless the text
# itself spells the word whole elsewhere.
_COMPOUNDING = frozenset(
    "self well non co person multi cross long short full part face inter anti post pre semi sub "
    "ex after day one two first second third high low cost risk user work".split()
)


def normalised_lines(text: str) -> list[str]:
    """The text's lines with runs of spaces made one; blank lines kept as "" (they separate paragraphs)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = []
    for line in text.split("\n"):
        # A soft hyphen is never printed where a word is not divided: it goes, whole word either way.
        lines.append(_SPACES.sub(" ", line.replace("\u00ad\n", "").replace("\u00ad", "")).strip())
    return lines


def vocabulary(lines: list[str]) -> set[str]:
    """Every whole word the text uses (not the pieces of a word divided at a line's end)."""
    words: set[str] = set()
    for index, line in enumerate(lines):
        found = WORD.findall(line)
        if line.endswith("-") and found:
            found = found[:-1]
        if index and lines[index - 1].endswith("-") and found and line[:1].islower():
            found = found[1:]
        words.update(word.casefold() for word in found)
    return words


class LineJoiner:
    """Joins the lines a printed page wrapped, mending words divided at a line's end.

    A word divided as "organi-" / "sational" is made whole when the text spells "organisational"
    elsewhere; it keeps its hyphen when the text spells it with one ("person-centred") or when the
    first part is a word that usually compounds ("self-", "well-"). Otherwise it is made whole and
    the reading is named in `guesses`, for the person importing to check.

    It also knows the text's width, its longest line: a line much shorter did not fill the page.
    """

    def __init__(self, words: set[str], width: int = 0) -> None:
        self.words = words
        self.width = width  # the longest line of the text: what a line the page filled is near
        self.guesses: list[str] = []

    def join(self, lines: list[str]) -> str:
        text = ""
        for line in (line for line in lines if line):
            if not text:
                text = line
            elif _divided(text, line):
                text = self._mend(text, line)
            else:
                text = f"{text} {line}"
        return text

    def _mend(self, text: str, line: str) -> str:
        head = WORD.findall(text[:-1])[-1]
        tail = WORD.match(line)
        assert tail is not None
        whole = head + tail.group()
        if whole.casefold() in self.words:
            return text[:-1] + line
        if f"{head}-{tail.group()}".casefold() in self.words or head.casefold() in _COMPOUNDING:
            return text + line
        self.guesses.append(f"{head}-{tail.group()}")
        return text[:-1] + line


def _divided(text: str, line: str) -> bool:
    return text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower()


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
        if taken:
            if kept and _PAGE.match(kept[-1]):
                kept.pop()
            index += taken
            if index < len(lines) and _PAGE.match(lines[index]):
                index += 1
            continue
        if _PAGE.match(lines[index]) and lines[index].lower().startswith("page"):
            index += 1
            continue
        kept.append(lines[index])
        index += 1
    return kept


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
