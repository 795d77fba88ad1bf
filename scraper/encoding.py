"""Bytes -> text for HTML: BOM, then the declared charset (HTTP header, then <meta>),
checked against the bytes, then UTF-8, then detection. Shared by the fetcher and by
commands that read saved pages, so a file and a fetch decode the same way.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG: these labels mean windows-1252 on the web.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso8859-1": "cp1252",
    "l1": "cp1252",
}


def normalise_charset(label: str | None) -> str | None:
    """A charset label -> a Python codec name, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    return normalise_charset(match.group(1)) if match else None


def sniff_meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    return normalise_charset(match.group(1).decode("ascii", "ignore")) if match else None


def decode_html(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML document. Returns (text, codec name used).

    ``declared`` is the charset from the HTTP Content-Type header, if any.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    candidates = [c for c in (normalise_charset(declared), sniff_meta_charset(data)) if c]
    for codec in candidates:
        if codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            continue  # without a BOM a UTF-16 label on ASCII-compatible bytes is a lie
        # A single-byte label on bytes that are valid, non-ASCII UTF-8 is the commonest lie.
        if codec == "cp1252" and _is_utf8(data) and not data.isascii():
            return data.decode("utf-8"), "utf-8"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    if _is_utf8(data):
        return data.decode("utf-8"), "utf-8"
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        codec = normalise_charset(best.encoding) or "cp1252"
        return data.decode(codec, errors="replace"), codec
    if candidates:
        return data.decode(candidates[0], errors="replace"), candidates[0]
    return data.decode("cp1252", errors="replace"), "cp1252"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
