"""The `write` stage: the gathered pages and files written into the docs folder, each path once."""

from __future__ import annotations

from pathlib import Path

from generator.site.pages import DuplicatePageError, Site


def write_site(site: Site, docs_dir: Path) -> list[Path]:
    """Write every page and asset under `docs_dir` (which must exist); the files written, in order.

    Never writes one path twice; refuses paths that would leave `docs_dir`.
    """
    root = docs_dir.resolve()
    written: list[Path] = []
    seen: set[str] = set()
    outputs = [(p.path, p.markdown.encode("utf-8")) for p in site.pages] + [(a.path, a.data) for a in site.assets]
    for path, data in outputs:
        target = (root / path).resolve()
        if path.casefold() in seen:
            raise DuplicatePageError(f"{path!r} would be written twice")
        if not target.is_relative_to(root):
            raise ValueError(f"page path {path!r} leaves the docs folder")
        seen.add(path.casefold())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written
