"""kiptui: the koordinerende indsatsplan in the terminal (core, no Textual)."""

__version__ = "0.1.0"
