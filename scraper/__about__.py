"""The package version, alone so that anything may import it without the API."""

__version__ = "0.1.0"
