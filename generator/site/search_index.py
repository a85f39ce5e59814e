"""The site's search index, minimised: of a page of case material it keeps only the title and the case ids.

Material's search plugin indexes every heading and paragraph of every page, which would put each
child's name and the narratives in `search/search_index.json` (and its copy inlined in
`search/search_index.js` for searching from file://). Unless the audience's `search` is `full`,
the build rewrites both files after MkDocs: every entry of a page of case material is replaced by
one entry holding the page's title (which never carries a name) and its `search_text` (case ids
and panels). The rewrite works from an allow-list: Material's entries are kept only for the pages the renderer
made and marked as holding no case material (a panel's terms); every other entry goes.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.site.pages import Page
from generator.site.printout import built_path

INDEX = Path("search") / "search_index.json"
"""Where Material's search plugin writes the index, in the built site."""
INLINED = Path("search") / "search_index.js"
"""The offline plugin's copy of the index, as a script (`var __index = ...`)."""
_INLINED_PREFIX = "var __index = "


class SearchIndexError(ValueError):
    """The built site's search index is missing or not what Material writes."""


def minimise_index(site_dir: Path, pages: Iterable[Page]) -> int:
    """Rewrite the built site's search index: one entry of title and case ids per page of case material.

    Returns how many entries the index holds after. Raises SearchIndexError if the index is
    missing or unreadable: a site whose index could not be minimised must not be published.
    """
    index_file = site_dir / INDEX
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
        docs = index["docs"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SearchIndexError(f"the search index {index_file} cannot be read: {error}") from None
    by_location: dict[str, list[dict[str, Any]]] = {}
    for entry in docs:
        location = str(entry.get("location", "")).split("#", 1)[0] if isinstance(entry, dict) else ""
        by_location.setdefault(location, []).append(entry)
    kept: list[dict[str, Any]] = []
    for page in pages:
        location = built_path(page.path)
        if page.case_material:
            # Escaped as Material escapes what it indexes: the search page shows these as HTML.
            title, text = html.escape(page.title, quote=False), html.escape(page.search_text, quote=False)
            kept.append({"location": location, "title": title, "text": text})
        else:
            kept += by_location.get(location, [])
    index["docs"] = kept
    # As Material writes it: compact, ASCII-escaped.
    data = json.dumps(index, separators=(",", ":"), default=str)
    index_file.write_text(data, encoding="utf-8")
    inlined = site_dir / INLINED
    if inlined.exists():
        inlined.write_text(f"{_INLINED_PREFIX}{data}", encoding="utf-8")
    return len(kept)
