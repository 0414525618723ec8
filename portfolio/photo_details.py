"""What a photo says about itself in its details (EXIF) that could identify the people a candidate
supports: where it was taken (GPS) and descriptive text ("Resident John Smith").

Read once, when the upload is checked (portfolio/uploads.py), from the header Pillow reads on
opening: no picture is decoded for it. The stored original is never changed (it is what a sign-off
signs); the evidence page tells the candidate, and the preview is the thumbnail made without any
details (portfolio/thumbnails.py).
"""

from dataclasses import dataclass

from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
GPS_LATITUDE, GPS_LONGITUDE = 0x0002, 0x0004
# ImageDescription, Artist, and Windows' XPTitle, XPComment, XPAuthor, XPSubject.
DESCRIPTIVE_TAGS = (0x010E, 0x013B, 0x9C9B, 0x9C9C, 0x9C9D, 0x9C9F)
USER_COMMENT = 0x9286  # in the Exif IFD
# UserComment starts with 8 bytes naming its character code.
_CHARACTER_CODES = (b"ASCII\0\0\0", b"UNICODE\0", b"JIS\0\0\0\0\0", b"\0" * 8)


@dataclass(frozen=True)
class PhotoDetails:
    location: bool = False
    description: bool = False

    def __bool__(self) -> bool:
        return self.location or self.description


NO_DETAILS = PhotoDetails()

def _has_text(value: object) -> bool:
    """Cameras write blank descriptions ("          ", NULs); only real text counts."""
    if isinstance(value, bytes):
        for code in _CHARACTER_CODES:
            if value.startswith(code):
                value = value[len(code):]
                break
        value = value.replace(b"\0", b"").decode("latin-1")
    return isinstance(value, str) and bool(value.replace("\0", "").strip())


def _exif(image: Image.Image) -> Image.Exif:
    if image.format == "PNG":
        # Pillow decodes a whole PNG looking for an eXIf chunk after its pixels: only one before them counts.
        exif = Image.Exif()
        if isinstance(image.info.get("exif"), bytes):
            exif.load(image.info["exif"])
        return exif
    return image.getexif()


def photo_details(image: Image.Image) -> PhotoDetails:
    """The identifying details of an opened, not yet decoded picture. Damaged details count as none."""
    try:
        exif = _exif(image)
        gps = exif.get_ifd(GPS_IFD)
        location = GPS_LATITUDE in gps or GPS_LONGITUDE in gps
        description = any(_has_text(exif.get(tag)) for tag in DESCRIPTIVE_TAGS) or _has_text(
            exif.get_ifd(EXIF_IFD).get(USER_COMMENT)
        )
    except Exception:  # Pillow raises many kinds of error for damaged EXIF; the picture itself was checked
        return NO_DETAILS
    return PhotoDetails(location=location, description=description)


def described(*, location: bool, description: bool) -> str:
    """What the details hold, in words: "its location (GPS) and a description"."""
    parts = (["its location (GPS)"] if location else []) + (["a description"] if description else [])
    return " and ".join(parts)
