"""Every CSV the product writes goes through `portfolio/spreadsheets.py`, whose writers keep each
text cell from running as a formula (= + - @, a leading tab or carriage return). A writer made
straight from the csv module anywhere else would write a typed name such as "=HYPERLINK(...)" as
it stands, to run on the computer of whoever opens the file."""

import csv
import io
import re
from pathlib import Path

from portfolio import spreadsheets

ROOT = Path(__file__).resolve().parent.parent
APPS = ("standards", "portfolio", "assessments", "exports", "ops", "config")
WRITER = re.compile(r"\bcsv\.(writer|DictWriter)\(")


def test_no_module_but_spreadsheets_makes_a_csv_writer():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and path.name != "spreadsheets.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITER.search(line)
    ]
    assert found == [], "write CSV through portfolio.spreadsheets.writer or dict_writer"


def test_the_writers_escape_every_text_cell_and_leave_numbers_as_they_are():
    out = io.StringIO()
    spreadsheets.writer(out).writerow(["=1+1", "+44", "-2", "@SUM(A1)", "\tx", "plain", -3, "'=kept"])
    written = next(csv.reader(io.StringIO(out.getvalue())))
    assert written == ["'=1+1", "'+44", "'-2", "'@SUM(A1)", "'\tx", "plain", "-3", "'=kept"]
    out = io.StringIO()
    writer = spreadsheets.dict_writer(out, fieldnames=["name"])
    writer.writeheader()
    writer.writerow({"name": "=cmd"})
    assert list(csv.DictReader(io.StringIO(out.getvalue()))) == [{"name": "'=cmd"}]
    assert spreadsheets.from_spreadsheet_cell("'=cmd") == "=cmd"
    assert spreadsheets.from_spreadsheet_cell("'quoted") == "'quoted"


def test_every_csv_download_is_made_by_spreadsheets_and_starts_with_the_byte_order_mark():
    """Excel on Windows reads a CSV without the mark as Windows-1252: "Siân" shows as "SiÃ¢n"."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "views" in path.parts or path.name == "views.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "text/csv" in line
    ]
    assert found == [], "send a CSV file through portfolio.spreadsheets.download or streamed_download"
    assert spreadsheets.download("a.csv", "Siân\r\n").content == b"\xef\xbb\xbfSi\xc3\xa2n\r\n"
    streamed = spreadsheets.streamed_download("a.csv", iter(["Siân\r\n", "Zoë\r\n"]))
    assert b"".join(streamed.streaming_content) == "\ufeffSiân\r\nZoë\r\n".encode()
    assert streamed["Content-Disposition"] == 'attachment; filename="a.csv"'
