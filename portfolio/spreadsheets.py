"""Every CSV file the product writes goes through here, so that no cell runs as a formula.

A spreadsheet program opening a CSV runs a cell starting with `=`, `+`, `-` or `@` (and, in some,
a tab or carriage return) as a formula: a name typed as `=HYPERLINK(...)` would run on the
administrator's or the awarding body's computer. `spreadsheet_cell` puts an apostrophe before such
a cell, which the spreadsheet shows as text; `writer` and `dict_writer` are `csv`'s writers that do
it to every text cell of every row (numbers are written as they are). A reader of our own files
takes the apostrophe off again with `from_spreadsheet_cell`. `tests/test_csv_cells.py` writes
every CSV the product makes with a name starting `=` and looks for it unescaped.

A download that grows with the centre is sent with `streamed`: each row is written and sent as it is
read (read the rows with `.iterator(chunk_size=...)`), so the server holds one chunk, never the file.

Every CSV downloaded from a page is made by `download` or `streamed_download`, which start it with
the UTF-8 byte-order mark: without it Excel on Windows reads the file as Windows-1252 and shows
"Siân" as "SiÃ¢n". (The CSV files inside a ZIP, the bulk export's and the visit pack's, are read
back by the pack's own check and keep no mark.)
"""

import csv
import itertools
import logging
from collections.abc import Generator, Iterable, Iterator, Mapping
from typing import Any, Protocol

from django.http import HttpResponse, StreamingHttpResponse

BYTE_ORDER_MARK = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
# The last line of a download that failed part way, so that a file cut short never passes for whole.
INCOMPLETE = "THIS FILE IS INCOMPLETE: the download stopped before the end. Download it again."

logger = logging.getLogger(__name__)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def spreadsheet_cell(value: str) -> str:
    """The value, kept from being run as a formula by a spreadsheet program."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def from_spreadsheet_cell(value: str) -> str:
    """A cell of a CSV we wrote, as it was before `spreadsheet_cell`."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def safe_row(row: Iterable[object]) -> list[object]:
    return [spreadsheet_cell(value) if isinstance(value, str) else value for value in row]


class SafeWriter:
    """`csv.writer`, each text cell through `spreadsheet_cell`."""

    def __init__(self, target: _Writable, **options: Any) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """`csv.DictWriter`, each text value through `spreadsheet_cell`."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: spreadsheet_cell(v) if isinstance(v, str) else v for key, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


class _LineOfCsv:
    """A target that hands back what is written, so each row becomes one string to send."""

    def write(self, s: str, /) -> str:
        return s


def lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Each row as a line of CSV, every text cell through `spreadsheet_cell`, one at a time: for a
    `StreamingHttpResponse`, so a download of any length holds one row in memory, not the file."""
    line = SafeWriter(_LineOfCsv())
    for row in rows:
        yield line.writerow(row)


def writer(target: _Writable, **options: Any) -> SafeWriter:
    return SafeWriter(target, **options)


def dict_writer(target: _Writable, fieldnames: list[str], **options: Any) -> SafeDictWriter:
    return SafeDictWriter(target, fieldnames=fieldnames, **options)


def _attachment(response: HttpResponse | StreamingHttpResponse, file_name: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'


def download(file_name: str, text: str = "") -> HttpResponse:
    """A CSV file to download, the byte-order mark first; `writer(response)` may add to it."""
    response = HttpResponse(BYTE_ORDER_MARK + text, content_type=CONTENT_TYPE)
    _attachment(response, file_name)
    return response


def streamed_download(file_name: str, lines: Iterable[str], reading: Iterator[Any] | None = None) -> StreamingHttpResponse:
    """A CSV file sent a line at a time as `lines` gives them, the byte-order mark first. `reading`,
    what `lines` is made from if already started, is closed with the response (`_Closing`)."""

    def marked() -> Generator[str, None, None]:
        yield BYTE_ORDER_MARK
        try:
            yield from lines
        except Exception:
            # The response has started (200, headers sent): the only way left to say the file is
            # short is in the file. Raised again, so the server logs it and cuts the connection too.
            logger.exception("A CSV download stopped part way")
            yield f"{INCOMPLETE}\r\n"
            raise

    response = StreamingHttpResponse(_Closing(marked(), reading if reading is not None else lines), content_type=CONTENT_TYPE)
    _attachment(response, file_name)
    return response


class _Closing:
    """The lines of a download, closed with the response whether or not they were read. A download
    read its first row before answering (`streamed`), so a database cursor is open under it; a HEAD
    request, or a browser gone before the first byte, never reads the rest, and closing the unread
    outer generator would not reach the cursor: it would be closed later, when the request's
    connection has gone, and fail. The server closes the response; this closes the reading."""

    def __init__(self, sent: Generator[str, None, None], source: Iterable[Any]) -> None:
        self._sent, self._source = sent, source

    def __iter__(self) -> Iterator[str]:
        return self._sent

    def close(self) -> None:
        self._sent.close()
        close = getattr(self._source, "close", None)
        if close is not None:
            close()


def streamed(header: list[str], rows: Iterable[Iterable[object]], *, file_name: str) -> StreamingHttpResponse:
    """A CSV download sent a row at a time as `rows` yields them: memory flat however many there are.
    The first row is read before the response starts, so that what goes wrong in working out the
    figures (most of it happens before the first row) is an error page, not a file of headers only."""
    rows = iter(rows)
    first = list(itertools.islice(rows, 1))
    return streamed_download(file_name, lines(itertools.chain([header], first, rows)), reading=rows)
