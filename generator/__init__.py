"""Decision panels for children's social care, kept as Markdown in git and published as a site."""

__version__ = "0.1.0"
