"""Small real files, made once and stored once per evidence file, each under its own key."""

# Made-up data from a seed, reproducible on purpose: nothing random here is a secret.
# ruff: noqa: S311

import hashlib
import io
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class SampleFile:
    name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _png(size: tuple[int, int], seed: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "#f4efe6")
    draw = ImageDraw.Draw(image)
    shapes = random.Random(seed)
    width, height = size
    for _ in range(6):
        x, y = shapes.randrange(width), shapes.randrange(height)
        draw.rectangle((x, y, x + width // 6, y + height // 6), outline="#1d4f6e", width=max(1, width // 100))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def camera_photo() -> bytes:
    """A JPEG the size a phone takes (12 megapixels), with enough detail to weigh what one does."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.effect_noise((4000, 3000), 48).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    draw = ImageDraw.Draw(image)
    for n in range(12):
        draw.ellipse((300 * n, 200 + 150 * n, 300 * n + 700, 900 + 150 * n), outline="#b35c1e", width=12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    """A one-page PDF with a line of text, written by hand: correct offsets, no drawing library."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def sample_files() -> dict[str, SampleFile]:
    return {
        "photo": SampleFile("photo.png", "image/png", _png((160, 120), 1)),
        "notes": SampleFile("notes.txt", "text/plain", (
            b"Notes written for a generated centre. No real person is described.\n"
            b"Person A chose to phone their sister on Sunday afternoons.\n"
        )),
        "record": SampleFile("record.pdf", "application/pdf", _pdf("Record written for a generated centre.")),
    }
