"""The site: the repository rendered as Markdown pages and built into HTML by MkDocs with the Material theme."""
