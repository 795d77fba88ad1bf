"""scraper: a news article scraper and archiver.

Pipeline stages, one module each, records flowing one way::

    config.toml -> config.Config
    URL --fetch--> models.Page --extract--> models.Article --archive--> SQLite rows
"""

__version__ = "0.1.0"
