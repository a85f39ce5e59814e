"""The site's Content-Security-Policy: what every page may load and run, and nothing from outside.

Every built page carries the policy as a meta tag (Material's pages through the theme override in
`templates/site/overrides/`, printouts through their own template), so it holds wherever the site
is opened: from an intranet web server or from the file system. Scripts come only from the site's
own files (Material's inline scripts are moved to files by the override), styles only from its own
stylesheets, plus the three `style="text-align: ..."` attributes Python-Markdown writes on table
cells, allowed by hash. A meta tag cannot carry `frame-ancestors` (nor report anything): the
headers the web server should send as well are in docs/site.md, from `SERVER_POLICY`.
"""

from __future__ import annotations

import base64
import hashlib

STYLE_ATTRIBUTES = ("text-align: left;", "text-align: right;", "text-align: center;")
"""The only `style` attribute values a page carries: table column alignment from Python-Markdown."""


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


_DIRECTIVES = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("style-src-attr", " ".join(("'unsafe-hashes'", *(_hash(value) for value in STYLE_ATTRIBUTES)))),
    # Material's icons are data: SVGs in its stylesheet.
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    # The search worker over http; over file:// the worker shim runs it in a hidden frame.
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("frame-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'none'"),
)

CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in _DIRECTIVES)
"""The policy every page's meta tag carries."""

SERVER_POLICY = CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'"
"""The policy the web server should send as a header: the same, plus what only a header can say."""

META_TAG = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
"""The meta tag, as the pages carry it."""
