"""Hand-run benchmark: what the inline-link pass (``scraper/extract/links.py``) costs, as a
share of the whole extraction, measured in one process on the same pages.

For each page of the corpus (the first N of zyte and of wcxb-dev), the CPU time of
``extract_article`` and, separately, of the link pass over the same part of the page
(parsed and cleaned of chrome as the extractor does, outside the clock). The share is
link-pass time / extraction time, over all pages; R rounds, the median quoted.

    .venv/bin/python bench/links_cost.py                   # 50 + 50 pages, 3 rounds
    .venv/bin/python bench/links_cost.py --pages 150 --rounds 5
    .venv/bin/python bench/links_cost.py --smoke   # does it still run? (CI, seconds)

Not a test: figures depend on the machine. ``--smoke`` runs one round on 3 pages of each
dataset (the test suite's own pages when the corpus is absent) and means nothing as a figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ("zyte", "wcxb-dev")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--pages", type=int, default=50, help="pages from each dataset")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--smoke", action="store_true",
                        help="Check the bench still runs: 3 pages of each dataset, one round"
                        " (the test pages if the corpus is absent); figures mean nothing.")
    args = parser.parse_args()
    if args.smoke:
        args.pages, args.rounds = 3, 1
    sys.path.insert(0, str(ROOT))
    from selectolax.lexbor import LexborHTMLParser

    from scraper.evaluation.corpus import iter_pages
    from scraper.extract import extract_article
    from scraper.extract.chrome import remove_chrome
    from scraper.extract.container import content_container, paragraph_lengths
    from scraper.extract.links import with_links
    from scraper.extract.tuning import MAIN_CONTENT_MIN_PARAGRAPH

    pages = [(page.read_html(), page.url or None) for name in DATASETS
             for page in iter_pages(args.corpus, name, limit=args.pages)]
    if not pages and args.smoke:
        from tests.fixture_site import make_article, render_article

        urls = [f"https://news.example/2024/03/story-{n}/" for n in range(2 * args.pages)]
        pages = [(render_article(make_article(n), url, []), url) for n, url in enumerate(urls)]
    if not pages:
        raise SystemExit(f"no pages under {args.corpus}")
    for html, url in pages[:5]:  # warm-up: lazy imports, dateparser's locales
        extract_article(html, url)
    shares: list[float] = []
    for _ in range(args.rounds):
        extracting = linking = 0.0
        links = 0
        for html, url in pages:
            start = time.process_time()
            article = extract_article(html, url)
            extracting += time.process_time() - start
            tree = LexborHTMLParser(html)
            remove_chrome(tree)
            lengths = paragraph_lengths(tree)
            long_prose = sum(n for n in lengths if n >= MAIN_CONTENT_MIN_PARAGRAPH)
            part = content_container(tree, long_prose) or tree.body
            start = time.process_time()
            linked = with_links(list(article.blocks), part, url)
            linking += time.process_time() - start
            links += sum(len(getattr(b, "links", ())) for b in linked)
        shares.append(linking / extracting)
        print(f"pages {len(pages)}  extraction {extracting:.2f}s  link pass {linking:.3f}s"
              f"  share {100 * linking / extracting:.2f} %  links found {links}")
    print(f"median share of extraction time: {100 * statistics.median(shares):.2f} %")


if __name__ == "__main__":
    main()
