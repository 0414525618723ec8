"""PDFs of a current-layout standard for the tests, made with WeasyPrint the way the UK Standards
site lays them out: headings in a left column beside their text, each criterion's number in a cell
beside its statement, the code and title at the foot of every page with its number, so the PDF has
a real text layer, real page breaks and real headers and footers."""

import html
import io
import re

import weasyprint
from PIL import Image

from standards.importing.current_extras import DETAIL_LABELS

HEADINGS = [
    "Overview",
    "Performance criteria",
    "Knowledge and understanding",
    "Additional Information",
    "Scope/range related to performance criteria",
    "Scope/range related to knowledge and understanding",
    "Values",
    "Behaviours",
    "Glossary",
    "Links to other NOS",
]
_ITEM = re.compile(r"^([PK]\d+) (.*)$")
_DETAIL = re.compile(r"^(" + "|".join(DETAIL_LABELS) + r") (.*)$")

_CSS = """
@page { size: A5; margin: 1.6cm 1.2cm 2cm;
  @bottom-left { content: "SCDHSC0041 Maintain safety and security practices in health and social care"; font-size: 7pt }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 7pt } }
body { font: 9pt sans-serif; %s }
table { border-collapse: collapse; width: 100%% }
th { width: 6.5em; text-align: left; vertical-align: top; padding-right: 0.6em }
td { vertical-align: top }
td.n { width: 2.5em }
p { margin: 0 0 0.3em }
p.bullet { padding-left: 1em; text-indent: -0.8em }
"""


def standard_pdf(text: str, *, hyphenate: bool = False) -> bytes:
    """The standard's text (in the tests' clean shape) laid out as its PDF."""
    lines = [line for line in text.splitlines() if line.strip()]
    code, title, body = lines[0], lines[1], lines[2:]
    rows = [f"<tr><th>{code}</th><td><h1>{html.escape(title)}</h1></td></tr>"]
    heading, cell = "", list[str]()
    for line in body:
        if line in HEADINGS:
            rows.append(_row(heading, cell))
            heading, cell = line, []
        elif _DETAIL.match(line) and heading != "details":
            rows.append(_row(heading, cell))
            heading, cell = "details", [line]
        else:
            cell.append(line)
    rows.append(_row(heading, cell))
    style = "hyphens: auto" if hyphenate else ""
    page = f'<html lang="en-GB"><head><style>{_CSS % style}</style></head><body><table>{"".join(rows)}</table></body></html>'
    return weasyprint.HTML(string=page).write_pdf()


def _row(heading: str, cell: list[str]) -> str:
    if not heading:
        return ""
    if heading == "details":
        return "".join(
            f"<tr><th>{html.escape(found.group(1))}</th><td>{html.escape(found.group(2))}</td></tr>"
            for found in map(_DETAIL.match, cell)
            if found
        )
    return f"<tr><th>{html.escape(heading)}</th><td>{_cell(cell)}</td></tr>"


def _cell(lines: list[str]) -> str:
    parts = []
    for line in lines:
        item = _ITEM.match(line)
        if item:
            parts.append(
                f'<table><tr><td class="n">{item.group(1)}</td><td>{html.escape(item.group(2))}</td></tr></table>'
            )
        elif line.startswith("• "):
            # The bullet is part of the text, as in the published PDFs (pypdf gives a list
            # marker drawn by CSS apart from its item, at the end of the page).
            parts.append(f'<p class="bullet">{html.escape(line)}</p>')
        else:
            parts.append(f"<p>{html.escape(line)}</p>")
    return "".join(parts)


def image_only_pdf() -> bytes:
    """A page that is a picture: what a scanned standard is."""
    picture = Image.new("RGB", (600, 800), "white")
    for x in range(100, 500):
        picture.putpixel((x, 200), (0, 0, 0))
    out = io.BytesIO()
    picture.save(out, format="PDF")
    return out.getvalue()
