"""Checks of a whole parsed unit: what is missing, defined twice, or cut short.

A text cut short (a PDF's last page lost, a paste that stopped) shows it in one of a few ways, each
a small rule that a complete unit's text does not meet (docs/architecture.md has what they catch):

- it ends inside a word: "... to make eff". Without a dictionary, the unit's own words decide:
  the last word is cut when it is not a word of the text but the start of one it uses, longer
  by letters that are not an ending ("eff" of "effective", "valu" of "value"; not "relationship"
  of "relationships"); or when it is lower case and ends as no English word does (no vowel,
  "...pr", "...bl", "...ti"); or when it is a lone letter other than "a" or "I";
- it ends mid-sentence: on a word no sentence ends on ("the", "and", "to", "whilst"), on a
  comma, a semicolon, an opening bracket or quotation mark not closed on its line, or "e.g.";
- its last line is an item's number or letter with no words after it ("- (c", "10.");
- its last section is one this layout always follows with another: a 2004 care unit's knowledge
  specification stopping in its "Values" or "Legislation..." section, which "Theory and practice"
  always follows. (Criteria with nothing after them are already named: no knowledge found.)

A cut that leaves whole words at the end of a whole item, in the unit's last section, cannot be
told from the end of the unit.
"""

from __future__ import annotations

import re

from . import import_warnings as say
from .paragraphs import DANGLING, ends_dangling
from .parsed import CARE_2004, CARE_2004_SQA, ParsedUnit

WORD = re.compile(r"[a-z]+")
LAST_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z]*$")
ENDINGS = frozenset(
    ["s", "es", "d", "ed", "ing", "ly", "er", "ers", "est", "al", "ally", "ment", "ments", "ness", "ship", "ships", "ion", "ions", "ive", "ity", "ies", "y", "ful", "less", "able", "ible", "ance", "ence", "ary", "ory", "ise", "ised", "ising", "ize", "ized", "izing"]
)
# The endings that make another form of a word that stands on its own ("network" and "networks"):
# "soci" + "al" is "social", but "soci" is no word.
INFLECTIONS = frozenset(["s", "es", "ed", "ing", "ly"])
# Words common enough in any unit that their being cut short cannot be told from their end.
COMMON_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "so", "yet", "if", "as", "at", "by", "for", "from", "in", "into", "of", "off", "on", "onto", "out", "over", "to", "up", "upon", "with", "within", "without", "about", "above", "after", "before", "below", "between", "through", "under", "it", "its", "is", "be", "been", "being", "am", "are", "was", "were", "do", "does", "did", "done", "has", "have", "had", "having", "can", "could", "may", "might", "must", "shall", "should", "will", "would", "not", "no", "yes", "all", "any", "each", "every", "few", "more", "most", "other", "some", "such", "own", "same", "than", "too", "very", "just", "also", "only", "this", "that", "these", "those", "there", "here", "where", "when", "why", "how", "what", "which", "who", "whom", "whose", "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "they", "them", "their", "one", "two", "three", "new", "old", "way", "use", "used", "key", "care", "work", "role", "unit", "need", "needs", "show", "know", "go", "uk"]
)
# Lower-case letters no English word ends with: no vowel at all, a letter pair that only begins
# syllables ("pr", "bl", "tw"), j, q or v, or "i" or "u" after a consonant ("communicati",
# "individu"; "you" has its vowel before).
NO_WORD_ENDS = re.compile(r"^[^aeiouy]+$|(?:[jqv]|bl|br|cl|cr|dr|fl|fr|gl|gr|pl|pr|sl|sn|tr|tw|wr|kn|qu|dw|[^aeiouy][iu])$")
# Besides paragraphs.DANGLING: more words no sentence, list item or criterion ends on.
GOES_ON = DANGLING | frozenset(
    ["but", "nor", "if", "because", "whilst", "while", "although", "including", "such", "both", "either", "neither", "whom", "what", "why", "against", "towards", "toward", "during", "among", "amongst", "via", "per", "regarding", "concerning", "every", "very", "my", "they", "we", "she", "he", "shall", "having", "e.g", "i.e"]
)
UNFINISHED_MARKS = (",", ";", "(", "/", "&", "+", "–", "—", "e.g.", "i.e.")
OPENING_QUOTE = re.compile(r"(?:^|[\s(])['‘\"“](?=\w)")
CLOSING_QUOTE = re.compile(r"(?<=[\w.!?,])['’\"”](?=\s|$|[.,;:)])")
HAS_A_WORD = re.compile(r"[A-Za-z]{2}")
# The 2004 care layout's knowledge specification: these sections are always followed by
# "Theory and practice".
CARE_SECTIONS_BEFORE_THE_LAST = ("values", "legislation")


def check(unit: ParsedUnit, text: str) -> None:
    """Add the whole-unit warnings to the unit's own."""
    if not unit.criteria:
        unit.warnings.insert(0, say.NO_CRITERIA)
    _duplicate_terms(unit)
    cut = cut_short(unit, text)
    if cut:
        unit.warnings.append(cut)


def cut_short(unit: ParsedUnit, text: str) -> str | None:
    """The warning that the text looks cut short, or None."""
    text = text.rstrip()
    last_line = text.rsplit("\n", 1)[-1].strip()
    if last_line and not HAS_A_WORD.search(last_line):
        return say.cut_short_after(f'"{last_line}"', "an item's number with no text after it")
    if ends_mid_word(text):
        return say.ENDS_MID_WORD
    if ends_mid_sentence(text):
        return say.ends_mid_sentence(" ".join(text.split()[-3:]))
    return _section_cut_short(unit)


def _section_cut_short(unit: ParsedUnit) -> str | None:
    """The text stops in a section this layout always follows with another."""
    # Criteria with no knowledge after them are already named ("no knowledge and understanding
    # section found") and the unit is incomplete: a second warning would say it again.
    if unit.layout in (CARE_2004, CARE_2004_SQA) and unit.knowledge:
        last = unit.knowledge[-1]
        if last.section.casefold().startswith(CARE_SECTIONS_BEFORE_THE_LAST):
            return say.cut_short_after(
                last.ref, f'the knowledge specification stops in its "{last.section}" section, which '
                '"Theory and practice" always follows'
            )
    return None


def ends_mid_sentence(text: str) -> bool:
    """The words stop where no sentence could: on "and", "the", a comma, an open bracket..."""
    if ends_dangling(text) or text.endswith(UNFINISHED_MARKS):
        return True
    words = text.split()
    if words and words[-1].lower().strip("*") in GOES_ON:
        return True
    last_line = text.rsplit("\n", 1)[-1]
    if last_line.count("(") > last_line.count(")"):
        return True
    return len(OPENING_QUOTE.findall(last_line)) > len(CLOSING_QUOTE.findall(last_line))


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
    fragment, before = match[1], text[: match.start(1)]
    last = fragment.lower()
    if len(last) < 2:
        # A lone letter, but not a list's letter ("(j") nor "e.g": "a" and "I" are words.
        return last not in "ai" and (not before or before[-1].isspace())
    rest = set(WORD.findall(before.lower()))
    if last in rest or last in COMMON_WORDS:
        return False
    if f"{last}e" in rest:
        return True  # "valu" where the text says "value" (and "values", which is no "valu" + "es")
    if _inflected(last, rest):
        return False
    if fragment.islower() and NO_WORD_ENDS.search(last):
        return True
    longer = [word for word in rest | COMMON_WORDS if word.startswith(last) and word != last]
    return any(word[len(last) :] not in ENDINGS for word in longer)


def _inflected(word: str, words: set[str]) -> bool:
    """The word is another word of the text with an ending taken away ("network" of "networks"),
    or added to one of at least three letters ("procedures" of "procedure")."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3 and word[: -len(ending)] in words:
            return True
    return any(f"{word}{ending}" in words for ending in INFLECTIONS)
