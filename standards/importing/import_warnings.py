"""The words of every warning a person reads before importing a unit, in one place.

Each names the item by the unit's own reference ("H3 25.10 has no text", "HSC331 K(c)"), and
each is a sentence a centre administrator can check against the published text. Those saying
published words may be missing are gaps (`warning_kinds`): they make the unit incomplete.
"""

from __future__ import annotations

from .listing import display
from .warning_kinds import gap, words_missing

NO_CRITERIA = gap("no performance criteria found")
NO_KNOWLEDGE = gap("no knowledge and understanding section found")
ENDS_MID_WORD = gap("text ends mid-word")


@words_missing
def no_knowledge_items(heading: str) -> str:
    return f"no knowledge and understanding items found under \"{heading}\""


@words_missing
def no_text(ref: str) -> str:
    return f"{ref} has no text"


@words_missing
def no_points(ref: str) -> str:
    return f"{ref} ends with a colon but no points follow it"


@words_missing
def jump(last: str, following: str, where: str) -> str:
    if not last:
        return f"numbering starts at {display(following)}, not at {display('1' if following.isdigit() else 'a')}, in the {where}"
    return f"numbering jumps from {display(last)} to {display(following)} in the {where}"


@words_missing
def duplicate(ref: str, text: str) -> str:
    return f"{ref} appears twice; the second is left out: {text}"


@words_missing
def duplicate_term(term: str) -> str:
    return f"the key word \"{term}\" is defined twice; the second definition is left out"


@words_missing
def element_without_criteria(ref: str) -> str:
    return f"{ref} has no performance criteria"


@words_missing
def listed_element_missing(ref: str) -> str:
    return f"{ref} is in the list of elements but its performance criteria are not in the text"


@words_missing
def left_out(text: str) -> str:
    return f"this text is not in any part of the unit and is left out: {text}"


@words_missing
def ends_mid_sentence(last_words: str) -> str:
    return f"text ends mid-sentence, on \"{last_words}\": it may be cut short"


@words_missing
def cut_short_after(where: str, why: str) -> str:
    return f"text appears cut short after {where}: {why}"


@words_missing
def not_placed(line: str) -> str:
    return f"this line is not in any part of the unit and is left out: {line}"


@words_missing
def cut_inside_list(ref: str) -> str:
    return f"the text ends inside the list of {ref}'s points: it appears cut short after {ref}"
