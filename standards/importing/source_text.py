"""The text as pasted or extracted, made regular before any layout is looked for.

Only characters change here, never words: line endings, the spaces a PDF gives (non-breaking,
thin, zero-width), ligatures, and words hyphenated across lines. A tab (or a run of tabs) stays
as one tab: it is the column break of a two-column table (the glossary, the elements list).
"""

from __future__ import annotations

import re

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
TAB_RUN = re.compile(r"[ ]*\t[\t ]*")
WORD = re.compile(r"[a-z]+")
# A word split at a line end: "develop-" / "ment of ...". Only letters on both sides.
SPLIT_WORD = re.compile(r"(?P<head>[A-Za-z]+)[-\u00ad]$")
NEXT_WORD = re.compile(r"^(?P<tail>[a-z]+)(?P<stop>[.,;:!?)]*)(?=\s|$)(?P<rest>.*)$")
# First parts that make real compounds ("self-esteem", "well-being"): the hyphen is kept.
COMPOUND_HEADS = frozenset(
    ["self", "well", "non", "co", "cross", "multi", "anti", "ex", "semi", "long", "short", "day", "one", "two", "three", "face", "half", "full"]
)
COMPOUND = re.compile(r"[a-z]+-[a-z]+")


def normalise(text: str) -> str:
    """The text with regular characters and lines, and hyphenated words rejoined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = SPACES.sub(" ", text)
    text = INVISIBLE.sub("", text)
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    lines = [TAB_RUN.sub("\t", line).rstrip().lstrip("\t") for line in text.split("\n")]
    return "\n".join(rejoin_hyphenated(lines)).strip("\n")


def vocabulary(lines: list[str]) -> set[str]:
    """Every word of the text, lower case, with its hyphenated compounds ("self-harm") too."""
    text = "\n".join(lines).lower()
    return set(WORD.findall(text)) | set(COMPOUND.findall(text))


def rejoin_hyphenated(lines: list[str]) -> list[str]:
    """Move the tail of a word hyphenated across two lines up to its head.

    The hyphen stays where the text itself writes the word with one ("self-harm") or the head
    is a compound's ("well-"); it goes where the text writes the word whole, or otherwise.
    A soft hyphen always goes.
    """
    words = vocabulary(lines)
    out = list(lines)
    i = 0
    while i < len(out) - 1:
        head = SPLIT_WORD.search(out[i])
        tail = NEXT_WORD.match(out[i + 1])
        if head and tail and not out[i].endswith(" -"):
            first, second = head["head"], tail["tail"]
            soft = out[i].endswith("\u00ad")
            keep = not soft and _keeps_hyphen(first.lower(), second.lower(), words)
            word = f"{first}-{second}" if keep else f"{first}{second}"
            out[i] = out[i][: head.start()] + word + tail["stop"]
            rest = tail["rest"].lstrip()
            if rest:
                out[i + 1] = rest
            else:
                del out[i + 1]
                continue
        i += 1
    return out


def _keeps_hyphen(first: str, second: str, words: set[str]) -> bool:
    if f"{first}{second}" in words:
        return False
    return f"{first}-{second}" in words or first in COMPOUND_HEADS
