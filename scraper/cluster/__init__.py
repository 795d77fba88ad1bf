"""The same crawl on a Ray cluster, merged into one archive (``docs/cluster.md``).

::

    partition.py  sites -> shards by registrable domain; WARC files, article ids (pure)
    shard.py      one shard, as a worker runs it: a copy of the archive, today's crawl
    progress.py   a crawl shard's events, written to its folder, relayed by the driver
    engine.py     the only module that imports Ray: connect, run the shards, retries
    stopping.py   SIGTERM / Ctrl-C on the driver: noted, the shards cancelled (all three runs)
    crawl.py      run_cluster_crawl: the lock, the runs row, shards, the merge, the report
    imports.py    run_cluster_import: WARC files by size, a shard imports its files
    reextract.py  run_cluster_reextract: article id ranges, a shard re-extracts its range

The merge itself (shard archive -> central archive) is :mod:`scraper.archive.shards`.
Nothing here is imported unless a run asks for a cluster, but ``engine`` (whose
``check_address`` the API's ``cluster=`` goes through); it imports Ray only when one of its
functions is called.
"""
