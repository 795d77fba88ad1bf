"""Near-duplicate detection: MinHash over body word-shingles, LSH band keys kept in SQLite.

A body becomes the set of its word 3-shingles. Its MinHash signature (``NUM_PERM`` values)
estimates the Jaccard similarity of two such sets as the fraction of equal values. The
signature is cut into ``BANDS`` bands of ``ROWS`` values; each band hashes to one integer key
in ``article_lsh`` (primary-key indexed). Articles sharing a band key are *candidates*, and
only candidates are compared: a save costs a few indexed lookups however large the archive
(no pairwise scan), and the index lives in the archive file, so it survives restarts.
With 20 bands of 6 rows a pair at similarity 0.8 becomes a candidate with probability
0.998, at 0.7 with 0.92, at 0.3 with 0.015.

Links are recorded, never merged (columns of ``articles``)::

    duplicate_of          the article this one copies
    duplicate_similarity  estimated Jaccard similarity of the two bodies (None if unknown)
    duplicate_method      'source_link': the copy names the original in its source_link
                          'minhash':     similarity >= LINK_SIMILARITY with an earlier article

A source link wins over a sketch match, in both arrival orders: a copy saved after its
original is linked on save, and an original saved after its copies adopts them.
The MinHash is the classic one (as in ``datasketch.MinHash``: random affine maps modulo the
Mersenne prime 2**61 - 1 over 32-bit shingle hashes), written on numpy so that saving does
not pay datasketch's one-second scipy import; shingle hashes are mixed from per-word CRC-32s,
so a 5 KB body is sketched in about 1.5 ms. Stored signatures depend on every constant below
(and on the seeded permutations): changing one needs a migration that re-sketches.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from sqlite_utils import Database

from scraper.archive.lookup import article_for_keys
from scraper.urls import url_key

SHINGLE_SIZE = 3
"""Words per shingle: small enough that a one-word edit disturbs few shingles."""
NUM_PERM = 120
BANDS = 20
ROWS = NUM_PERM // BANDS
LINK_SIMILARITY = 0.7
"""Lowest estimated similarity recorded as a ``minhash`` link."""
MIN_SHINGLES = 20
"""Bodies with fewer shingles are too short to compare meaningfully; they get no sketch."""
MAX_ANCESTORS = 100

_WORD = re.compile(r"\w+")
_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_MIX_PRIME = np.uint64(1_099_511_628_211)
_SEED = 1

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class Sketch:
    """A body's MinHash signature, made where the body is (a crawl's extraction worker) so
    that saving it in the single writer costs only the lookups."""

    signature: Signature | None

    @classmethod
    def of(cls, text: str) -> Sketch:
        return cls(signature(text))


def _permutations() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    gen = np.random.RandomState(_SEED)
    a = gen.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
    b = gen.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
    return a, b


_A, _B = _permutations()


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """The set of lower-cased word ``size``-grams of ``text``."""
    words = _WORD.findall(text.lower())
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def _shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """Distinct 32-bit hashes of the word shingles (the set ``shingles`` returns, hashed):
    each distinct word is hashed once (CRC-32), shingles are mixed from word hashes on numpy."""
    words = _WORD.findall(text.lower())
    count = len(words) - SHINGLE_SIZE + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    table = {word: zlib.crc32(word.encode()) for word in set(words)}
    ids = np.fromiter((table[word] for word in words), dtype=np.uint64, count=len(words))
    mixed = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE_SIZE):
            mixed = mixed * _MIX_PRIME + ids[offset:offset + count]
        # splitmix64 finaliser: spreads CRC-32's linear structure over all bits
        mixed ^= mixed >> np.uint64(30)
        mixed *= np.uint64(0xBF58476D1CE4E5B9)
        mixed ^= mixed >> np.uint64(27)
        mixed *= np.uint64(0x94D049BB133111EB)
        mixed ^= mixed >> np.uint64(31)
    return np.unique(mixed & _MAX_HASH)


def signature(text: str) -> Signature | None:
    """MinHash signature of the body's shingles; None when the body is too short."""
    hashes = _shingle_hashes(text)
    if len(hashes) < MIN_SHINGLES:
        return None
    with np.errstate(over="ignore"):
        values = (np.outer(hashes, _A) + _B) % _PRIME & _MAX_HASH
    sig: Signature = values.min(axis=0).astype(np.uint32)
    return sig


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two bodies behind the signatures."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def band_keys(sig: Signature) -> list[int]:
    """One signed 64-bit key per band (band number folded in), for the ``article_lsh`` index."""
    return list(_band_keys(sig.astype("<u4", copy=False).tobytes()))


@lru_cache(maxsize=16)
def _band_keys(raw: bytes) -> tuple[int, ...]:
    """A save asks twice (to store the keys, then to find candidates): hashed once."""
    step = ROWS * 4  # bytes of one band: ROWS uint32 values
    return tuple(
        int.from_bytes(
            hashlib.blake2b(band.to_bytes(2, "little") + raw[band * step:(band + 1) * step],
                            digest_size=8).digest(),
            "little", signed=True,
        )
        for band in range(BANDS)
    )


def stored_sketch(db: Database, article_id: int) -> Sketch:
    """The sketch saved for an article (no signature: its body was too short): what a save
    elsewhere can reuse instead of making it again (the cluster's merge)."""
    return Sketch(_load(db, article_id))


def _load(db: Database, article_id: int) -> Signature | None:
    row = db.execute(
        "SELECT signature FROM article_minhash WHERE article_id = ?", [article_id]
    ).fetchone()
    return np.frombuffer(row[0], dtype=np.uint32) if row else None


def _store(db: Database, article_id: int, sig: Signature | None) -> None:
    old = _load(db, article_id)
    if old is not None:
        db.conn.executemany(
            "DELETE FROM article_lsh WHERE key = ? AND article_id = ?",
            [(key, article_id) for key in band_keys(old)],
        )
        db.execute("DELETE FROM article_minhash WHERE article_id = ?", [article_id])
    if sig is None:
        return
    db.execute(
        "INSERT INTO article_minhash (article_id, signature) VALUES (?, ?)",
        [article_id, sig.tobytes()],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO article_lsh (key, article_id) VALUES (?, ?)",
        [(key, article_id) for key in band_keys(sig)],
    )


def _reaches(db: Database, start: int, target: int) -> bool:
    """Does following ``duplicate_of`` from ``start`` arrive at ``target``? (cycle guard)"""
    seen: set[int] = set()
    current: int | None = start
    while current is not None and current not in seen and len(seen) < MAX_ANCESTORS:
        if current == target:
            return True
        seen.add(current)
        row = db.execute("SELECT duplicate_of FROM articles WHERE id = ?", [current]).fetchone()
        current = row[0] if row else None
    return False


def _pair_similarity(db: Database, sig: Signature | None, other_id: int) -> float | None:
    other = _load(db, other_id)
    return similarity(sig, other) if sig is not None and other is not None else None


def _adopt_copies(db: Database, article_id: int, sig: Signature | None) -> None:
    """Link the already-archived articles whose source_link points at this one."""
    copies = db.execute(
        "SELECT id FROM articles WHERE source_link_key IN"
        " (SELECT url_key FROM article_urls WHERE article_id = ?) AND id != ?",
        [article_id, article_id],
    ).fetchall()
    for (copy_id,) in copies:
        db.execute(
            "UPDATE articles SET duplicate_of = ?, duplicate_similarity = ?,"
            " duplicate_method = 'source_link' WHERE id = ?",
            [article_id, _pair_similarity(db, sig, copy_id), copy_id],
        )


def candidates(db: Database, article_id: int, sig: Signature) -> list[tuple[int, Signature]]:
    """The only articles a signature is compared with: earlier ones (ids below
    ``article_id``) sharing a band key with ``sig``, with their signatures (one query)."""
    keys = band_keys(sig)
    rows = db.execute(
        "SELECT m.article_id, m.signature FROM article_minhash m WHERE m.article_id IN"
        f" (SELECT article_id FROM article_lsh WHERE key IN ({','.join('?' * len(keys))})"
        " AND article_id < ?) ORDER BY m.article_id",
        [*keys, article_id],
    ).fetchall()
    return [(candidate, np.frombuffer(blob, dtype=np.uint32)) for candidate, blob in rows]


def _best_match(db: Database, article_id: int, sig: Signature) -> tuple[int, float] | None:
    """The most similar earlier article sharing a band key, if similar enough."""
    best: tuple[int, float] | None = None
    for candidate, other in candidates(db, article_id, sig):
        score = similarity(sig, other)
        if score < LINK_SIMILARITY or (best and score <= best[1]):
            continue
        if not _reaches(db, candidate, article_id):
            best = (candidate, score)
    return best


def index_article(db: Database, article_id: int, sketch: Sketch | None = None) -> None:
    """Sketch one saved article (unless ``sketch`` of its body is given) and (re)record its
    duplicate links; call inside the save transaction for every new or changed article."""
    row = db.execute("SELECT body, source_link FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return
    body, source_link = row
    sig = sketch.signature if sketch is not None else signature(body or "")
    _store(db, article_id, sig)
    _adopt_copies(db, article_id, sig)
    link_key = url_key(source_link) if source_link else None
    link: tuple[int | None, float | None, str | None] = (None, None, None)
    original = article_for_keys(db, [link_key]) if link_key else None
    if original is not None and original != article_id and not _reaches(db, original, article_id):
        link = (original, _pair_similarity(db, sig, original), "source_link")
    elif sig is not None and (match := _best_match(db, article_id, sig)):
        link = (match[0], match[1], "minhash")
    db.execute(
        "UPDATE articles SET source_link_key = ?, duplicate_of = ?, duplicate_similarity = ?,"
        " duplicate_method = ? WHERE id = ?",
        [link_key, *link, article_id],
    )
