"""Reading a centre's spreadsheet of candidates (issue 16): its bytes as text, its columns by their
headings, and what each row would become.

Spreadsheets arrive as their programs save them: UTF-8 with or without a byte-order mark, UTF-16
("Unicode Text", and some Mac and Google exports), or Excel's Windows-1252 ("CSV (Comma delimited)"
on a British PC); commas, semicolons where the decimal point is a comma, or tabs (Excel's "Unicode
Text" and "Text (Tab delimited)"), whichever separates the headings. Headings are matched loosely
("First name", "first_name", "Forename").

A row is checked against the file itself (a second row with the same email address) and against
the centre's own candidates and pending invitations (`CentreRoll`, read in a few queries however
long the file is), and nothing else: whether an address has an account at another centre, or at all,
is never asked, so the preview reads the same for an address known elsewhere as for a new one.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from . import spreadsheets
from .deactivation_models import deactivated_here_words
from .identifiers import uln_problem
from .text_input import BIDI_CONTROLS, one_line

# One class of learners is tens of rows; a whole centre's intake a few thousand.
MAX_ROWS = 10_000
MAX_BYTES = 3 * 1024 * 1024
NAME_MAX_LENGTH = 150  # Person.first_name and last_name
EMAIL_MAX_LENGTH = 254

FIRST_NAME, LAST_NAME, EMAIL, ULN = "first_name", "last_name", "email", "uln"
REQUIRED = (FIRST_NAME, LAST_NAME, EMAIL)
COLUMN_WORDS = {FIRST_NAME: "first name", LAST_NAME: "last name", EMAIL: "email address", ULN: "ULN"}

# Headings as people write them, squeezed to letters and digits.
_HEADINGS = {
    FIRST_NAME: {"firstname", "forename", "forenames", "givenname", "givennames", "first", "christianname"},
    LAST_NAME: {"lastname", "surname", "familyname", "last", "secondname"},
    EMAIL: {"email", "emailaddress", "mail", "emails", "contactemail", "learneremail", "candidateemail"},
    ULN: {"uln", "uniquelearnernumber", "learnernumber"},
}
TEMPLATE_HEADINGS = ["First name", "Last name", "Email", "ULN"]

INVITE, HERE, CORRECT, PROBLEM = "invite", "here", "correct", "problem"
# A correction's note in the preview, and in the report once made.
WILL_BE_CHANGED, WAS_CHANGED = "will be changed", "was changed"
OUTCOME_WORDS = {INVITE: "Will be invited", HERE: "Already here: skipped", CORRECT: "Already here: ULN corrected",
                 PROBLEM: "Not imported"}


class UnreadableFile(ValueError):
    """The file as a whole cannot be read as a list of people; the message says what to do."""


@dataclass
class PeopleRow:
    line: int  # the row's number as the spreadsheet shows it (the headings are row 1)
    first_name: str
    last_name: str
    email: str
    uln: str
    problems: dict[str, str] = field(default_factory=dict)  # column -> what is wrong, in plain words
    # column -> what is wrong with a cell the row is imported without (a ULN that fails its check)
    warnings: dict[str, str] = field(default_factory=dict)
    outcome: str = INVITE
    note: str = ""  # why a row is skipped though nothing is wrong with it

    @property
    def uln_kept(self) -> str:
        """The ULN the invitation keeps: none if it failed its check."""
        return "" if ULN in self.warnings else self.uln


@dataclass(frozen=True)
class PeopleFile:
    rows: list[PeopleRow]
    unused_columns: list[str]  # headings the import does not read, as the file wrote them


def decoded(raw: bytes) -> str:
    """UTF-16 when its byte-order mark says so (the upload check refuses UTF-16 without one as not
    text), else UTF-8 (a byte-order mark dropped), else Windows-1252, where every byte but five is
    a character. Read as Windows-1252, UTF-16 kept a zero byte in every cell, so a blank last row
    was not blank (found by an outside tester)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _squeezed(heading: str) -> str:
    return re.sub(r"[^a-z0-9]", "", heading.lower())


def _column_of(heading: str) -> str | None:
    squeezed = _squeezed(heading)
    return next((column for column, names in _HEADINGS.items() if squeezed in names), None)


# What a spreadsheet program separates cells with; the first wins a tie (a file of one column).
DELIMITERS = (",", ";", "\t")


def _delimiter(first_line: str) -> str:
    """The character that separates the headings, the one found most often in their row: the
    headings hold no commas, semicolons or tabs of their own ("First name", "Email"), while a
    name or an address in a later row may hold a comma."""
    return max(DELIMITERS, key=first_line.count)


def read(text: str) -> PeopleFile:
    """The file's rows, each with its own problems (none checked against the centre yet), or
    `UnreadableFile` if no row could be read as a person."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        headings = next(reader, None)
        if not headings or not any(h.strip() for h in headings):
            raise UnreadableFile("The file is empty: its first row should hold the column headings.")
        positions, unused = _positions(headings)
        rows = list(_rows(reader, positions))
    except csv.Error:
        raise UnreadableFile(
            "The file could not be read as CSV: save it from your spreadsheet as “CSV UTF-8”, “CSV (Comma delimited)” "
            "or “Unicode Text” and upload that."
        ) from None
    if not rows:
        raise UnreadableFile("The file has its headings but no one listed under them.")
    return PeopleFile(rows=rows, unused_columns=unused)


def _positions(headings: list[str]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    unused: list[str] = []
    for index, heading in enumerate(headings):
        column = _column_of(heading)
        if column and column not in positions:
            positions[column] = index
        elif heading.strip():
            unused.append(one_line(heading).strip()[:60])
    missing = [COLUMN_WORDS[column] for column in REQUIRED if column not in positions]
    if missing:
        found = ", ".join(f"“{one_line(h).strip()[:60]}”" for h in headings if h.strip()) or "none"
        raise UnreadableFile(
            f"No column for {_listed(missing)} was found. The first row should name the columns "
            f"“First name”, “Last name” and “Email” (and “ULN” if you have them); it has {found}."
        )
    return positions, unused


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _rows(reader: Iterable[list[str]], positions: dict[str, int]) -> Iterable[PeopleRow]:
    count = 0
    for line, cells in enumerate(reader, start=2):
        if not any(one_line(cell).strip() for cell in cells):
            continue  # a spreadsheet's empty rows, often left below the list
        count += 1
        if count > MAX_ROWS:
            raise UnreadableFile(f"The file lists more than {MAX_ROWS:,} people: split it into smaller files.")
        typed = {column: cells[index].strip() if index < len(cells) else "" for column, index in positions.items()}
        values = {column: one_line(value).strip() for column, value in typed.items()}
        row = PeopleRow(
            line=line, first_name=values[FIRST_NAME], last_name=values[LAST_NAME],
            email=values[EMAIL].lower(), uln=values.get(ULN, "").replace(" ", ""),
        )
        _check_cells(row, typed)
        yield row


def _unprintable(value: str) -> bool:
    """A line break, a control character or a bidirectional override inside the text: what a name
    box (a `LineField`) would not keep as typed. In a file it is a cell run together with the next
    (a stray quote) or pasted from elsewhere, so the row is refused rather than guessed at."""
    return any(unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS for char in value)


def _check_cells(row: PeopleRow, typed: Mapping[str, str]) -> None:
    for column, value in ((FIRST_NAME, row.first_name), (LAST_NAME, row.last_name)):
        words = COLUMN_WORDS[column].capitalize()
        if not value:
            row.problems[column] = f"{words} is missing."
        elif _unprintable(typed[column]):
            row.problems[column] = f"{words} has a line break or a control character in it: one name, on one line."
        elif len(value) > NAME_MAX_LENGTH:
            row.problems[column] = f"{words} is longer than {NAME_MAX_LENGTH} characters."
        elif "\ufffd" in value:
            row.problems[column] = f"{words} has a character that could not be read: save the file as UTF-8 CSV."
    if not row.email:
        row.problems[EMAIL] = "Email address is missing."
    elif len(row.email) > EMAIL_MAX_LENGTH or not _is_email(row.email):
        row.problems[EMAIL] = "This is not an email address."
    if row.uln and (problem := uln_problem(row.uln)):
        # A ULN is optional and the centre can record it later; a mistyped one should not keep a
        # learner out of the class, so they are invited without it and the row says so.
        row.warnings[ULN] = problem


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class CentreRoll:
    """The addresses the centre already has as candidates, or has invited as candidates and is
    waiting for: read from the centre's own records only."""

    candidates: frozenset[str]
    invited: frozenset[str]
    # The centre's staff (assessors, IQAs, administrators) by address: the words of their roles here.
    staff: Mapping[str, str] = field(default_factory=dict)
    # Addresses of people deactivated at this centre: reactivated on their page, not invited again.
    deactivated: frozenset[str] = frozenset()
    # Addresses with a waiting invitation here in another role: the words of the note saying so.
    also_invited: Mapping[str, str] = field(default_factory=dict)
    # The ULN the centre holds for each of its candidates and candidates invited ("" for none).
    ulns: Mapping[str, str] = field(default_factory=dict)
    # The name the centre has for each of them: a candidate's own, or the one typed on the invitation.
    names: Mapping[str, str] = field(default_factory=dict)
    # Each of the file's ULNs that the centre already holds: (the address of the candidate or
    # invitation holding it, words naming them). A ULN identifies one learner.
    uln_holders: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def checked(people: PeopleFile, roll: CentreRoll) -> PeopleFile:
    """Each row's outcome: a problem of its own or a repeat of an earlier row's address; already a
    candidate or invited here (with a ULN to correct, or not); or to be invited."""
    first_row: dict[str, int] = {}
    first_uln_row: dict[str, int] = {}
    for row in people.rows:
        earlier = first_row.setdefault(row.email, row.line) if row.email else row.line
        if earlier != row.line and EMAIL not in row.problems:
            row.problems[EMAIL] = f"The same email address is on row {earlier}: each person once."
        _uln_clash(row, roll, first_uln_row)
        if row.problems:
            row.outcome = PROBLEM
        elif row.email in roll.deactivated:
            row.outcome, row.note = HERE, deactivated_here_words(row.email)
        elif row.email in roll.candidates or row.email in roll.invited:
            _here(row, roll)
        else:
            row.outcome = INVITE
            notes = [f"Already here as {roll.staff[row.email]}."] if row.email in roll.staff else []
            notes += [roll.also_invited[row.email]] if row.email in roll.also_invited else []
            row.note = " ".join(notes)
    return people


def _uln_clash(row: PeopleRow, roll: CentreRoll, first_uln_row: dict[str, int]) -> None:
    """A ULN identifies one learner: one already on an earlier row, or held at this centre for
    someone with another address, is refused on this row (the clash named, from this centre's
    records only)."""
    if not row.uln_kept:
        return
    holder = roll.uln_holders.get(row.uln_kept)
    if holder:
        # Its holder here decides, wherever their row is: a row refused for another's ULN does not
        # then make the holder's own later row clash with it.
        if holder[0] != row.email:
            row.problems[ULN] = (
                f"This ULN is already recorded at this centre for {holder[1]}: a ULN belongs to one learner. "
                "Check it against your records."
            )
        return
    earlier = first_uln_row.setdefault(row.uln_kept, row.line)
    if earlier != row.line:
        row.problems[ULN] = f"The same ULN is on row {earlier}: a ULN belongs to one learner."


def _name_differs(row: PeopleRow, roll: CentreRoll, invited: bool) -> str:
    """Words saying the file's name is not the one the centre has, which importing leaves as it is:
    a candidate's name is their own once they accept; an invitation's is corrected on its page."""
    held = roll.names.get(row.email, "")
    named = f"{row.first_name} {row.last_name}"
    if not held or " ".join(held.split()) == " ".join(named.split()):
        return ""
    if invited:
        return (f" The name in the file, {named}, is not the one on their invitation, {held}: importing "
                "does not change it (correct it from their page if the file is right).")
    return (f" The name in the file, {named}, is not their name here, {held}: importing does not change it "
            "(a candidate keeps their own name once they have accepted).")


def _here(row: PeopleRow, roll: CentreRoll) -> None:
    """A candidate or invited candidate already here: skipped, unless the file gives a ULN (one
    that passes its check) other than the one the centre holds, which a centre re-imports to
    correct: the row then corrects it, and says from what to what."""
    invited = row.email not in roll.candidates
    held = roll.ulns.get(row.email, "")
    if row.uln_kept and row.uln_kept != held:
        whose = "their waiting invitation" if invited else "their record at this centre"
        change = f"from {held} to {row.uln_kept}" if held else f"to {row.uln_kept} (none was recorded)"
        row.outcome, row.note = CORRECT, f"The ULN on {whose} {WILL_BE_CHANGED} {change}."
    elif invited:
        row.outcome, row.note = HERE, "Already invited as a candidate; the invitation is waiting."
    else:
        row.outcome, row.note = HERE, "Already a candidate at this centre."
    row.note += _name_differs(row, roll, invited)


def counts(people: PeopleFile) -> dict[str, int]:
    tally = {INVITE: 0, HERE: 0, CORRECT: 0, PROBLEM: 0}
    for row in people.rows:
        tally[row.outcome] += 1
    warned = sum(1 for row in people.rows if row.warnings and row.outcome == INVITE)
    return {**tally, "rows": len(people.rows), "warned": warned}


def template_csv() -> str:
    """The headings of a file the import reads, for a spreadsheet program to open."""
    out = io.StringIO()
    spreadsheets.writer(out).writerow(TEMPLATE_HEADINGS)
    return out.getvalue()
