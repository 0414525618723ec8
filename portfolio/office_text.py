"""Reads the words out of a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx) or an OpenDocument
one (.odt, .ods, .odp), streaming, with the standard library only.

These files are zip packages of XML. Nothing is extracted to disk and no part is held whole: each
XML part is decompressed in 64 KiB pieces into expat, which keeps only the words. Reading refuses a
part that says it is larger than PART_LIMIT, stops once PARTS_LIMIT bytes have been decompressed in
all, and stops at the number of characters asked for; an XML part with a document type declaration
(none of these formats has one; entity expansion bombs need one) is refused. A zip bomb therefore
costs at most PARTS_LIMIT bytes of decompressing and a few megabytes of memory.

Read by `portfolio/document_text.py` in a child process of its own (`python -I -S office_text.py
PATH TYPE LIMIT`) that limits its own memory and processor time first: whatever a crafted file
does, it does to that process. It imports nothing of the project or Django, and prints one JSON
object: {"text": ..., "cut_short": ...} or {"unreadable": "why"}. Only the body is read: paragraphs
and tables, each sheet's cells as stored (a date is its serial number), each slide's text; not
headers, footers, comments, notes or embedded objects."""

import json
import posixpath
import re
import resource
import sys
import zipfile
import zlib
from collections.abc import Callable
from xml.parsers import expat

PART_LIMIT = 64 * 1024 * 1024
PARTS_LIMIT = 128 * 1024 * 1024
MAX_ENTRIES = 10_000
CHUNK = 64 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"


class Unreadable(Exception):
    """The file cannot be read within the limits; the message says why, for the log."""


class _Enough(Exception):
    """Raised from inside the parser once the words asked for are in."""


class _Words:
    """The text so far, in pieces, with the count that stops it at the limit."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count = limit, 0
        self.pieces: list[str] = []
        self.cut_short = False

    def add(self, piece: str) -> None:
        room = self.limit - self.count
        if len(piece) > room:
            self.pieces.append(piece[:room])
            self.count, self.cut_short = self.limit, True
            raise _Enough
        self.pieces.append(piece)
        self.count += len(piece)

    def text(self) -> str:
        joined = re.sub(r" +\t", "\t", "".join(self.pieces))  # a table cell's last paragraph, then its tab
        lines = [line.rstrip(" \t") for line in joined.splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _Package:
    """The zip package, each part read through a budget of decompressed bytes."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive, self.budget = archive, PARTS_LIMIT
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Unreadable(f"the package has {len(infos)} parts")
        self.infos = {info.filename: info for info in infos}

    def has(self, name: str) -> bool:
        return name in self.infos

    def parse(self, name: str, start: Callable, end: Callable | None = None, data: Callable | None = None) -> None:
        """Streams one XML part through expat with these handlers (names arrive as "uri local")."""
        info = self.infos.get(name)
        if info is None:
            raise Unreadable(f"the package has no part {name!r}")
        if info.flag_bits & 0x1:
            raise Unreadable("the package is encrypted")
        if info.file_size > PART_LIMIT or info.file_size > self.budget:
            raise Unreadable(f"{name} would decompress to {info.file_size} bytes")
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.EntityDeclHandler = _refuse_doctype
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if data is not None:
            parser.CharacterDataHandler = data
        parser.buffer_text = True
        with self.archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                self.budget -= len(chunk)
                if self.budget < 0:
                    raise Unreadable("the package decompresses to more than the limit")
                parser.Parse(chunk, False)
            parser.Parse(b"", True)

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id -> (type, the target's part name)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if not self.has(rels):
            return found

        def start(name: str, attributes: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attributes.get("TargetMode") != "External":
                target = attributes.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                found[attributes.get("Id", "")] = (attributes.get("Type", ""), path)

        self.parse(rels, start)
        return found


def _refuse_doctype(*args: object) -> None:
    raise Unreadable("an XML part declares a document type")


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _attribute(attributes: dict[str, str], local: str, namespaced: bool = False) -> str:
    """An attribute by its local name; `namespaced`: only one with a namespace (r:id, not a plain id)."""
    for name, value in attributes.items():
        if _local(name) == local and (" " in name or not namespaced):
            return value
    return ""


def _main_part(package: _Package) -> str:
    for kind, target in package.relationships("").values():
        if kind.endswith("/officeDocument"):
            return target
    raise Unreadable("the package names no main document")


# Word and PowerPoint: paragraphs (w:p, a:p) of runs of text (w:t, a:t), tabs and line breaks; a
# table a row per line, its cells apart by tabs. Word's deleted text (w:delText) and field codes
# (w:instrText) are other elements, so they are left out.


def _word(package: _Package, words: _Words) -> None:
    _paragraphs(package, _main_part(package), words)


def _presentation(package: _Package, words: _Words) -> None:
    """The slides in the presentation's own order (the order of its list, not of the part names)."""
    main = _main_part(package)
    targets = {rid: path for rid, (_, path) in package.relationships(main).items()}
    order: list[str] = []
    package.parse(main, lambda name, attributes: order.append(targets.get(_attribute(attributes, "id", True), ""))
                  if _local(name) == "sldId" else None)
    for number, slide in enumerate((s for s in order if package.has(s)), start=1):
        words.add(f"\nSlide {number}\n")
        _paragraphs(package, slide, words)


def _paragraphs(package: _Package, part: str, words: _Words) -> None:
    state = {"text": False, "cell": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        state["text"] = local == "t"
        if local == "tab":
            words.add("\t")
        elif local in ("br", "cr"):
            words.add("\n")
        elif local == "tc":
            state["cell"] += 1

    def end(name: str) -> None:
        local = _local(name)
        state["text"] = False
        if local == "p":
            words.add(" " if state["cell"] else "\n")
        elif local == "tc":
            state["cell"] -= 1
            words.add("\t")
        elif local == "tr":
            words.add("\n")

    package.parse(part, start, end, lambda text: words.add(text) if state["text"] else None)


# Excel: each sheet in the workbook's order, a row per line, cells apart by tabs.


def _workbook(package: _Package, words: _Words) -> None:
    main = _main_part(package)
    relationships = package.relationships(main)
    shared = _shared_strings(package, relationships, budget=words.limit * 4)
    sheets: list[tuple[str, str]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if _local(name) == "sheet":
            _, path = relationships.get(_attribute(attributes, "id", True), ("", ""))
            sheets.append((attributes.get("name", ""), path))

    package.parse(main, start)
    for sheet_name, path in sheets:
        if package.has(path):
            words.add(f"\nSheet: {sheet_name}\n")
            _sheet(package, path, shared, words)


def _shared_strings(package: _Package, relationships: dict[str, tuple[str, str]], budget: int) -> list[str]:
    """The workbook's table of strings, which cells name by number. Past the budget of characters
    the rest are kept empty: the sheet's text stops at the limit before it could need them."""
    paths = [path for kind, path in relationships.values() if kind.endswith("/sharedStrings")]
    strings: list[str] = []
    if not paths or not package.has(paths[0]):
        return strings
    state = {"inside": False, "phonetic": 0, "kept": 0}
    current: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        if local == "rPh":
            state["phonetic"] += 1
        state["inside"] = local == "t" and not state["phonetic"]

    def end(name: str) -> None:
        local = _local(name)
        state["inside"] = False
        if local == "rPh":
            state["phonetic"] -= 1
        elif local == "si":
            string = "".join(current) if state["kept"] < budget else ""
            state["kept"] += len(string)
            strings.append(string)
            current.clear()

    def data(text: str) -> None:
        if state["inside"] and state["kept"] < budget:
            current.append(text)

    package.parse(paths[0], start, end, data)
    return strings


def _sheet(package: _Package, part: str, shared: list[str], words: _Words) -> None:
    cell: dict[str, str] = {}
    row: list[str] = []
    value: list[str] = []
    reading = [False]

    def start(name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        if local == "c":
            cell.clear()
            cell["type"] = attributes.get("t", "n")
            value.clear()
        reading[0] = local == "v" or (local == "t" and cell.get("type") == "inlineStr")

    def end(name: str) -> None:
        local = _local(name)
        reading[0] = False
        if local == "c":
            row.append(_cell_text(cell.get("type", "n"), "".join(value), shared))
        elif local == "row":
            line = "\t".join(row).rstrip("\t")
            row.clear()
            if line:
                words.add(line + "\n")

    def data(text: str) -> None:
        if reading[0]:
            value.append(text)

    package.parse(part, start, end, data)


def _cell_text(kind: str, raw: str, shared: list[str]) -> str:
    if kind == "s":
        index = int(raw) if raw.strip().isdigit() else -1
        return shared[index] if 0 <= index < len(shared) else ""
    if kind == "b":
        return {"1": "TRUE", "0": "FALSE"}.get(raw.strip(), raw)
    return raw


# OpenDocument: content.xml, paragraphs and headings (text:p, text:h), tables a row per line.


def _open_document(package: _Package, words: _Words) -> None:
    state = {"cell": 0, "paragraph": 0, "slide": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        if local in ("p", "h"):
            state["paragraph"] += 1
        elif local == "s" and state["paragraph"]:
            count = _attribute(attributes, "c")
            words.add(" " * min(int(count) if count.isdigit() else 1, 100))
        elif local == "tab" and state["paragraph"]:
            words.add("\t")
        elif local == "line-break":
            words.add("\n")
        elif local == "table-cell":
            state["cell"] += 1
        elif local == "table" and _attribute(attributes, "name"):
            words.add(f"\nSheet: {_attribute(attributes, 'name')}\n")
        elif local == "page":
            state["slide"] += 1
            words.add(f"\nSlide {state['slide']}\n")

    def end(name: str) -> None:
        local = _local(name)
        if local in ("p", "h"):
            state["paragraph"] -= 1
            words.add(" " if state["cell"] else "\n")
        elif local == "table-cell":
            state["cell"] -= 1
            words.add("\t")
        elif local == "table-row":
            words.add("\n")

    def data(text: str) -> None:
        if state["paragraph"]:
            words.add(text)

    package.parse("content.xml", start, end, data)


_READERS: dict[str, Callable[[_Package, _Words], None]] = {
    DOCX: _word, XLSX: _workbook, PPTX: _presentation, ODT: _open_document, ODS: _open_document, ODP: _open_document,
}


def read_text(path: str, content_type: str, limit: int) -> tuple[str, bool]:
    """The file's words, at most `limit` characters, and whether it had more. Raises Unreadable."""
    reader = _READERS.get(content_type)
    if reader is None:
        raise Unreadable(f"no reader for {content_type}")
    words = _Words(limit)
    try:
        with zipfile.ZipFile(path) as archive:
            reader(_Package(archive), words)
    except _Enough:
        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, expat.ExpatError, EOFError,
            NotImplementedError, RuntimeError, ValueError, KeyError, OSError) as error:
        raise Unreadable(f"{type(error).__name__}: {error}"[:180]) from error
    return words.text(), words.cut_short


def _limit_this_process(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes no file
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(arguments: list[str]) -> int:
    path, content_type, limit, memory_bytes, cpu_seconds = arguments
    _limit_this_process(int(memory_bytes), int(cpu_seconds))
    try:
        text, cut_short = read_text(path, content_type, int(limit))
        answer: dict[str, object] = {"text": text, "cut_short": cut_short}
    except (Unreadable, MemoryError) as error:
        # zlib's own allocation failing under the limit (Z_MEM_ERROR, "Error -4") is running out of memory too.
        memory = isinstance(error, MemoryError) or "Error -4 " in str(error.__cause__)
        answer = {"unreadable": "reading it needed more memory than allowed" if memory else str(error)}
    except RecursionError:
        answer = {"unreadable": "the XML is nested too deeply"}
    answer["peak_kib"] = _peak_memory_kib()
    sys.stdout.write(json.dumps(answer))
    return 0


def _peak_memory_kib() -> int | None:
    """This process's peak resident memory since it started reading (VmHWM: counted afresh at exec,
    unlike getrusage, which carries the forking parent's peak)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
