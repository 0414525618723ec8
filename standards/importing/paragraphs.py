"""Prose as published: lines wrapped by the PDF joined again, paragraphs kept apart.

A paragraph ends at a blank line, or (in text extracted from a PDF, which has no blank lines) at
a line ending a sentence well short of the lines' width, followed by one starting a sentence. A page break inside a sentence
shows as a blank line after words that cannot end it; the two halves are joined again.
"""

from __future__ import annotations

import re

TERMINAL = (".", ":", "?", "!", '"', "”", "'", "’", ")", ".**", ":**")
# Words after which no sentence, bullet or list item ends: a page break cut it.
DANGLING = frozenset(
    ["a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "by", "with", "from", "as", "at", "that", "which", "who", "whose", "how", "their", "your", "its", "our", "his", "her", "be", "being", "been", "is", "are", "was", "were", "can", "could", "may", "might", "will", "would", "should", "must", "than", "into", "onto", "upon", "about", "between", "within", "without", "when", "where", "whether"]
)
SHORT_LINE = 0.8  # of the longest line of the block
STARTS_SENTENCE = re.compile(r"^(\*\*)?[A-Z\"“‘']")


def join_lines(before: str, after: str) -> str:
    """Two pieces of one sentence, wrapped or broken across a page."""
    before, after = before.rstrip(), after.strip()
    if not before:
        return after
    if not after:
        return before
    if before.endswith("/") and after[0].isalpha():
        return f"{before}{after}"  # "users/" / "clients": a line broken after a slash
    return f"{before} {after}"


def ends_dangling(text: str) -> bool:
    """The words stop where no sentence could: on "and", "the", a hyphen..."""
    text = text.rstrip()
    if text.endswith("-"):
        return True
    words = text.split()
    return bool(words) and words[-1].lower() in DANGLING


def continues(before: str, after: str) -> bool:
    """`after` carries on `before` across a page break."""
    after = after.lstrip()
    return bool(after) and not before.rstrip().endswith(TERMINAL) and after[0].islower()


def blocks(lines: list[str]) -> list[list[str]]:
    """The runs of non-blank lines."""
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line.strip())
        elif out[-1]:
            out.append([])
    return [block for block in out if block]


def paragraphs(lines: list[str]) -> list[str]:
    """The paragraphs of some prose, each one line of text."""
    found: list[str] = []
    for block in blocks(lines):
        own: list[str] = []
        full = max(len(line) for line in block)
        for previous, line in zip(["", *block], block, strict=False):
            if own and _ends_paragraph(previous, full) and STARTS_SENTENCE.match(line):
                own.append(line)
            elif own:
                own[-1] = join_lines(own[-1], line)
            else:
                own.append(line)
        if found and continues(found[-1], own[0]):
            found[-1] = join_lines(found[-1], own.pop(0))
        found.extend(own)
    return found


def _ends_paragraph(line: str, full: int) -> bool:
    """A sentence ends the line, and the line stops short of the others: a paragraph's last."""
    return line.endswith(TERMINAL) and len(line) < SHORT_LINE * full
