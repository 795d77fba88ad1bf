"""Input that is not a web page: a PDF, an image, an archive or other binary bytes decoded as
text. The extractor refuses it with the reason instead of returning an empty record."""

from __future__ import annotations

from scraper.extract import tuning

_MAGIC: tuple[tuple[str, str], ...] = (
    ("%PDF-", "a PDF document"),
    ("\x89PNG", "a PNG image"),
    ("‰PNG", "a PNG image"),  # its first byte read as windows-1252
    ("\ufffdPNG", "a PNG image"),  # ...or as invalid UTF-8
    ("GIF87a", "a GIF image"),
    ("GIF89a", "a GIF image"),
    ("\xff\xd8\xff", "a JPEG image"),
    ("ÿØÿ", "a JPEG image"),
    ("PK\x03\x04", "a ZIP archive (or an office document)"),
    ("RIFF", "a RIFF file (WebP, WAV, AVI)"),
    ("\x7fELF", "a program"),
    ("{\\rtf", "an RTF document"),
    ("\xd0\xcf\x11\xe0", "an old office document"),
    ("ÐÏ\x11à", "an old office document"),
)
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f") | {"\ufffd"}


def not_html_reason(text: str) -> str | None:
    """What ``text`` is when it is not a web page ("a PDF document", "binary content"), else
    None. Only the start is read."""
    head = text[: tuning.SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head and sum(map(head.count, _CONTROL)) > tuning.BINARY_SHARE * len(head):
        return "binary content"
    return None
