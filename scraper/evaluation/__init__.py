"""Measure the extractor against the public benchmark corpora.

``scoring`` holds the pure scorers (one per benchmark method), ``corpus`` reads the four
datasets lazily, ``runner`` runs an extract function over them and ``results`` renders the
figures; ``floors`` checks them against minimums kept in ``floors.toml``.
"""

from __future__ import annotations
