"""Office and OpenDocument files as their programs save them, made here in memory (the parts that
hold the words, with the relationships that say where they are), and the hostile ones: a zip bomb,
a part whose header lies about its size, an entity bomb. For the document-text tests."""

import io
import struct
import zipfile

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _zip(entries: list[tuple[str, str | bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in entries:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def _relationships(*targets: tuple[str, str, str]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{_TYPE}/{kind}" Target="{target}"/>' for rid, kind, target in targets)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_RELS}">{body}</Relationships>'


_MAIN_TYPES = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}


def _content_types(main: str) -> str:
    """The package's manifest, naming its main part's type: how the upload check tells Word from Excel."""
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{main}" ContentType="{_MAIN_TYPES[main]}"/></Types>'
    )


def _ooxml(main: str, parts: list[tuple[str, str | bytes]]) -> bytes:
    return _zip([
        ("[Content_Types].xml", _content_types(main)),
        ("_rels/.rels", _relationships(("rId1", "officeDocument", main))),
        *parts,
    ])


WORD_BODY = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'
    "<w:p><w:r><w:t>Witness testimony</w:t></w:r></w:p>"
    '<w:p><w:r><w:t xml:space="preserve">Alice supported Mrs B </w:t></w:r><w:r><w:t>to phone her sister.</w:t></w:r>'
    "<w:r><w:br/><w:t>Signed:</w:t><w:tab/><w:t>Wendy Walsh</w:t></w:r></w:p>"
    "<w:p><w:del><w:r><w:delText>A sentence the witness took out.</w:delText></w:r></w:del></w:p>"
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Date</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>14 May</w:t></w:r></w:p></w:tc></w:tr>"
    "<w:tr><w:tc><w:p><w:r><w:t>Place</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Riverside House</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    "</w:body></w:document>"
)


def docx(body: str | bytes = WORD_BODY) -> bytes:
    return _ooxml("word/document.xml", [("word/document.xml", body)])


def xlsx() -> bytes:
    """Two sheets, named in the workbook, with shared strings, a number, an inline string and a yes/no."""
    s = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    workbook = (f'<workbook {s} {_R}><sheets><sheet name="Visits" sheetId="1" r:id="rId1"/>'
                '<sheet name="Notes" sheetId="2" r:id="rId2"/></sheets></workbook>')
    strings = f'<sst {s}><si><t>Person</t></si><si><t>Visits</t></si><si><r><t>Mrs </t></r><r><t>B</t></r></si></sst>'
    visits = (f'<worksheet {s}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
              '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>3</v></c><c r="C2" t="b"><v>1</v></c></row>'
              "</sheetData></worksheet>")
    notes = (f'<worksheet {s}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Phoned her sister</t></is></c></row>'
             "</sheetData></worksheet>")
    return _ooxml("xl/workbook.xml", [
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", _relationships(
            ("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "worksheet", "worksheets/sheet2.xml"),
            ("rId3", "sharedStrings", "sharedStrings.xml"),
        )),
        ("xl/sharedStrings.xml", strings),
        ("xl/worksheets/sheet1.xml", visits),
        ("xl/worksheets/sheet2.xml", notes),
    ])


def pptx() -> bytes:
    """Two slides, the second file shown first: the presentation's own order counts, not the names."""
    p = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'

    def slide(*paragraphs: str) -> str:
        text = "".join(f"<a:p><a:r><a:t>{words}</a:t></a:r></a:p>" for words in paragraphs)
        return f"<p:sld {p} {a}><p:cSld><p:spTree><p:sp><p:txBody>{text}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"

    presentation = f'<p:presentation {p} {_R}><p:sldIdLst><p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/></p:sldIdLst></p:presentation>'
    return _ooxml("ppt/presentation.xml", [
        ("ppt/presentation.xml", presentation),
        ("ppt/_rels/presentation.xml.rels", _relationships(
            ("rId2", "slide", "slides/slide1.xml"), ("rId3", "slide", "slides/slide2.xml"),
        )),
        ("ppt/slides/slide1.xml", slide("What I learned", "Ask before helping")),
        ("ppt/slides/slide2.xml", slide("Supporting a family visit")),
    ])


_ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
)


def _odf(mimetype: str, body: str) -> bytes:
    return _zip([
        ("mimetype", mimetype),
        ("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
        ("content.xml", f"<office:document-content {_ODF}><office:body>{body}</office:body></office:document-content>"),
    ])


def odt() -> bytes:
    return _odf("application/vnd.oasis.opendocument.text", (
        "<office:text><text:h>Reflective account</text:h>"
        '<text:p>I helped Mrs B<text:s text:c="2"/>plan<text:tab/>a visit.</text:p>'
        "<table:table><table:table-row><table:table-cell><text:p>Date</text:p></table:table-cell>"
        "<table:table-cell><text:p>14 May</text:p></table:table-cell></table:table-row></table:table>"
        "</office:text>"
    ))


def ods() -> bytes:
    return _odf("application/vnd.oasis.opendocument.spreadsheet", (
        '<office:spreadsheet><table:table table:name="Rota"><table:table-row>'
        "<table:table-cell><text:p>Monday</text:p></table:table-cell><table:table-cell><text:p>Early</text:p></table:table-cell>"
        "</table:table-row></table:table></office:spreadsheet>"
    ))


def odp() -> bytes:
    return _odf("application/vnd.oasis.opendocument.presentation", (
        '<office:presentation><draw:page draw:name="page1"><draw:frame><draw:text-box><text:p>Boundaries at work</text:p>'
        "</draw:text-box></draw:frame></draw:page><draw:page><draw:frame><draw:text-box><text:p>Saying no kindly</text:p>"
        "</draw:text-box></draw:frame></draw:page></office:presentation>"
    ))


def long_docx(paragraphs: int) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>Paragraph {n} of the account.</w:t></w:r></w:p>" for n in range(paragraphs))
    return docx(f"<w:document {_W}><w:body>{body}</w:body></w:document>")


def zip_bomb_docx(megabytes: int = 200) -> bytes:
    """A Word document whose one paragraph decompresses to `megabytes` MB of the letter A, packed
    into a few hundred kilobytes (deflate shrinks a repeated byte about a thousand times)."""
    head = f"<w:document {_W}><w:body><w:p><w:r><w:t>".encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _content_types("word/document.xml"))
        package.writestr("_rels/.rels", _relationships(("rId1", "officeDocument", "word/document.xml")))
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            block = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(block)
            part.write(tail)
    return buffer.getvalue()


def lying_docx(real_bytes: int = 20 * 1024 * 1024, said_bytes: int = 1000) -> bytes:
    """A Word document whose part says it holds `said_bytes` but decompresses to `real_bytes`: the
    zip bomb that gets past a reader trusting the sizes in the headers."""
    body = f"<w:document {_W}><w:body><w:p><w:r><w:t>".encode() + b"B" * real_bytes
    data = bytearray(docx(body))
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                struct.pack_into("<I", data, at + size_at, said_bytes)
            at += 4
    return bytes(data)


ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    f"<w:document {_W}><w:body><w:p><w:r><w:t>&lol4;</w:t></w:r></w:p></w:body></w:document>"
)
