"""Checks of a whole parsed unit: what is missing, defined twice, or cut short.

A text cut short (a PDF's last page lost, a paste that stopped) usually ends inside a word:
"... to make eff". Without a dictionary, the unit's own words decide: the last word is cut when
it is not a word of the text but the start of one, short of it by more than an ending ("eff" of
"effective", not "relationship" of "relationships"). A cut that leaves a whole word, or the start
of a word the text has not used before, cannot be told from the end of a sentence.
"""

from __future__ import annotations

import re

from . import import_warnings as say
from .paragraphs import ends_dangling
from .parsed import ParsedUnit

WORD = re.compile(r"[a-z]+")
LAST_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z]*$")
ENDINGS = frozenset(
    ["s", "es", "d", "ed", "ing", "ly", "er", "ers", "est", "al", "ally", "ment", "ments", "ness", "ship", "ships", "ion", "ions", "ive", "ity", "ies", "y", "ful", "less", "able", "ible", "ance", "ence", "ary", "ory", "ise", "ised", "ising", "ize", "ized", "izing"]
)
# Words common enough in any unit that their being cut short cannot be told from their end.
COMMON_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "so", "yet", "if", "as", "at", "by", "for", "from", "in", "into", "of", "off", "on", "onto", "out", "over", "to", "up", "upon", "with", "within", "without", "about", "above", "after", "before", "below", "between", "through", "under", "it", "its", "is", "be", "been", "being", "am", "are", "was", "were", "do", "does", "did", "done", "has", "have", "had", "having", "can", "could", "may", "might", "must", "shall", "should", "will", "would", "not", "no", "yes", "all", "any", "each", "every", "few", "more", "most", "other", "some", "such", "own", "same", "than", "too", "very", "just", "also", "only", "this", "that", "these", "those", "there", "here", "where", "when", "why", "how", "what", "which", "who", "whom", "whose", "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "they", "them", "their", "one", "two", "three", "new", "old", "way", "use", "used", "key", "care", "work", "role", "unit", "need", "needs", "show", "know"]
)


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
    if len(text) > 1 and text.endswith("-") and text[-2].isalpha():
        return True
    match = LAST_WORD.search(text)
    if not match or match.end(1) != len(text):
        return False  # the text ends on punctuation or a number: whole words
    last = match[1].lower()
    if len(last) < 2:
        return False  # a list's letter, "(j", or a word of one letter: no word is cut
    rest = set(WORD.findall(text[: match.start(1)].lower()))
    if last in rest or last in COMMON_WORDS or _inflected(last, rest):
        return False
    longer = [word for word in rest | COMMON_WORDS if word.startswith(last) and word != last]
    return bool(longer) and all(word[len(last) :] not in ENDINGS for word in longer)


def _inflected(word: str, words: set[str]) -> bool:
    """The word is another word of the text with an ending added or taken away."""
    for ending in ENDINGS:
        if word.endswith(ending) and word[: -len(ending)] in words:
            return True
        if f"{word}{ending}" in words:
            return True
    return False
