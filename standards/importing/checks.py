"""Checks of a whole parsed unit: what is missing, defined twice, or cut short.

A text cut short (a PDF's last page lost, a paste that stopped) usually ends inside a word:
"... to make eff". Without a dictionary, the unit's own words decide: the last word is cut when
it is not a word of the text, or short of one by more than an ending ("eff" of "effective", not
"relationship" of "relationships").
"""

from __future__ import annotations

import re

from . import import_warnings as say
from .paragraphs import ends_dangling
from .parsed import ParsedUnit

WORD = re.compile(r"[a-z]+")
LAST_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z]*$")
ENDINGS = frozenset(
    "s es d ed ing ly er ers est al ally ment ments ness ship ships ion ions ive ity ies y ful "
    "less able ible ance ence ary ory ise ised ising ize ized izing".split()
)
# Short words common enough to end a sentence in any unit.
SHORT_WORDS = frozenset("it is be do go me us them him her up on in out off all any way use one".split())


def check(unit: ParsedUnit, text: str) -> None:
    """Add the whole-unit warnings to the unit's own."""
    if not unit.criteria:
        unit.warnings.insert(0, say.NO_CRITERIA)
    _duplicate_terms(unit)
    if ends_mid_word(text):
        unit.warnings.append(say.ENDS_MID_WORD)
    elif ends_dangling(text):
        unit.warnings.append(say.ends_mid_sentence(" ".join(text.split()[-3:])))


def _duplicate_terms(unit: ParsedUnit) -> None:
    seen: set[str] = set()
    kept = []
    for term in unit.key_words:
        if term.term.lower() in seen:
            unit.warnings.append(say.duplicate_term(term.term))
            continue
        seen.add(term.term.lower())
        kept.append(term)
    unit.key_words = kept


def ends_mid_word(text: str) -> bool:
    text = text.rstrip()
    if text.endswith("-") and not text.endswith(" -"):
        return True
    match = LAST_WORD.search(text)
    if not match or match.end(1) != len(text):
        return False  # the text ends on punctuation or a number: whole words
    last = match[1].lower()
    rest = set(WORD.findall(text[: match.start(1)].lower()))
    if last in rest or last in SHORT_WORDS or _inflected(last, rest):
        return False
    longer = [word for word in rest if word.startswith(last) and word != last]
    if longer:
        return all(word[len(last) :] not in ENDINGS for word in longer)
    return len(last) <= 3


def _inflected(word: str, words: set[str]) -> bool:
    """The word is another word of the text with an ending added or taken away."""
    for ending in ENDINGS:
        if word.endswith(ending) and word[: -len(ending)] in words:
            return True
        if f"{word}{ending}" in words:
            return True
    return False
