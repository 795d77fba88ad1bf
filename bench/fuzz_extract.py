"""Fuzz the extractor by hand (not in CI): bytes -> decode_html -> extract_article must raise
nothing but ExtractError, and no page may take longer than --max-seconds.

Uses atheris (coverage-guided, `pip install atheris`) when it is installed, else a plain
random-mutation loop over the test pages::

    .venv/bin/python bench/fuzz_extract.py --seconds 60
    .venv/bin/python bench/fuzz_extract.py --seconds 60 --plain
    .venv/bin/python bench/fuzz_extract.py --smoke      # does it still run? (CI: 3 s, plain)

A crash prints the input's path (saved under --out) and exits 1.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.encoding import decode_html  # noqa: E402
from scraper.errors import ExtractError  # noqa: E402
from scraper.extract import extract_article  # noqa: E402
from tests import pages  # noqa: E402
from tests.fault_server import article_html  # noqa: E402

SEEDS: list[bytes] = [
    pages.wordpress_jsonld("https://example.com/a/").encode(),
    pages.plain_theme("https://example.com/b/").encode(),
    pages.microdata_theme("https://example.com/c/").encode(),
    pages.legacy_charset("https://example.com/d/"),
    article_html(1).encode(),
]
SMOKE_SECONDS = 3.0
TOKENS = [b"<", b">", b"</div>", b"<p>", b"<script>", b"<!--", b"&#0;", b"\x00", b"\xff\xfe",
          b'<a href="http://[::1">', b'"datePublished":"x"', b"<table>", b"<h1>", b"\xed\xa0\x80"]


class Stats:
    def __init__(self, max_seconds: float, out: Path) -> None:
        self.max_seconds = max_seconds
        self.out = out
        self.runs = 0
        self.extract_errors = 0
        self.slowest = 0.0

    def one(self, data: bytes) -> None:
        self.runs += 1
        started = time.perf_counter()
        try:
            html, _codec = decode_html(data)
            extract_article(html, "https://example.com/2024/03/05/fuzz/")
        except ExtractError:
            self.extract_errors += 1
        except BaseException:
            self.save(data, "crash")
            raise
        elapsed = time.perf_counter() - started
        self.slowest = max(self.slowest, elapsed)
        if elapsed > self.max_seconds:
            path = self.save(data, "slow")
            raise RuntimeError(f"{elapsed:.1f}s on one input (saved to {path})")

    def save(self, data: bytes, kind: str) -> Path:
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / f"{kind}-{hashlib.sha1(data).hexdigest()[:12]}.html"
        path.write_bytes(data)
        print(f"{kind}: input saved to {path}", file=sys.stderr)
        return path

    def report(self, mode: str, seconds: float) -> None:
        print(f"{mode}: {self.runs} inputs in {seconds:.0f}s, {self.extract_errors} ExtractError,"
              f" 0 other exceptions, slowest {self.slowest:.2f}s")


def mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(data))
        end = min(len(data), at + rng.randint(0, 3000))
        choice = rng.randrange(5)
        if choice == 0:
            data = data[:at] + rng.choice(TOKENS) * rng.randint(1, 200) + data[at:]
        elif choice == 1:
            data = data[:at] + data[end:]
        elif choice == 2:
            data = data[:end] + data[at:end] * rng.randint(1, 30) + data[end:]
        elif choice == 3:
            data = data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
        else:
            data = bytes(b ^ 0x20 if rng.random() < 0.01 else b for b in data)
    return data


def plain(stats: Stats, seconds: float, seed: int) -> None:
    rng = random.Random(seed)
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        stats.one(mutate(rng, rng.choice(SEEDS)))
    stats.report("plain random mutation", time.monotonic() - started)


def with_atheris(stats: Stats, seconds: float) -> None:
    import atheris

    corpus = stats.out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(SEEDS):
        (corpus / f"seed-{number}.html").write_bytes(seed)
    # libFuzzer prints its own figures (runs, coverage) and ends the process itself.
    def test_one(data: bytes) -> None:
        stats.one(data)

    atheris.instrument_all()  # coverage feedback from every loaded module, ours and the parsers'
    atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds)}", "-max_len=200000",
                   "-print_final_stats=0", str(corpus)], test_one)
    atheris.Fuzz()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-seconds", type=float, default=10.0,
                        help="Fail when one input takes longer than this.")
    parser.add_argument("--plain", action="store_true", help="Random mutation, even if atheris"
                        " is installed.")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--smoke", action="store_true",
                        help=f"Check the fuzzer still runs: {SMOKE_SECONDS:.0f} s of plain random"
                        " mutation; a crashing input is saved under the temporary folder.")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.plain = SMOKE_SECONDS, True
        if args.out == parser.get_default("out"):
            args.out = Path(tempfile.gettempdir()) / "scraper-fuzz-smoke"  # made on a crash
    stats = Stats(args.max_seconds, args.out)
    try:
        import atheris  # noqa: F401
    except ImportError:
        args.plain = True
    if args.plain:
        plain(stats, args.seconds, args.seed)
    else:
        with_atheris(stats, args.seconds)


if __name__ == "__main__":
    main()
