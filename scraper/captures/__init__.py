"""Captures: every HTTP exchange kept as WARC/1.1 (written and read by warcio), re-read by
today's extractor, other archives' WARC files taken in, ours handed out. See
docs/captures.md.

::

    records.py     a raw exchange -> request + response (or revisit) records, gzip members
    warcfiles.py   the files a writer appends to: rotation, flock, close-off of torn tails
    recorder.py    the Recorder a crawl or fetch --save gives its HTTP client
    reader.py      a record at an offset, parsed; a page decoded to text
    warcread.py    finding the records of a foreign file, damaged or not, in any layout
    filters.py     which imported records to take
    imports.py     scraper import
    jobs.py        what the extraction workers run for reextract and import
    reextract.py   scraper reextract
    export.py      scraper export --format warc
    verify.py      scraper verify

The index (``captures``, ``warc_files``) is SQL, in :mod:`scraper.archive.captures`.
"""
