"""Which extractor is this: the package version plus a short hash of the extraction code.

Recorded on every revision (``revisions.extractor_version``), so an analyst can tell which
extractor produced which text, and ``scraper reextract`` knows which captures the current
extractor has already read. Computed once per process from the source files of this package
(about 30 small files: well under a millisecond after the first call).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from scraper import __version__

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def extractor_version() -> str:
    """``0.1.0+3f2a9c1d``: the package version and the first 8 hex digits of a SHA-256 over
    every ``.py`` file of :mod:`scraper.extract` (name and bytes, in name order)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:8]}"

