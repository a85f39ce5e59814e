"""A subject access pack as one standalone, printable HTML document (no request outside itself).

The printouts' stylesheet (`assets/printout.css`) is put inside the document, with a few rules
for the marks, so the file can be opened, printed or saved as a PDF on its own. Every value is
escaped; narrative goes through the site's sanitiser (`generator.site.sanitise.body_html`). Each
third party's name is marked where it appears (a highlighted name and its reference, `T3`) and
listed at the front with why it is marked and in which documents, for the redaction review.
"""

from __future__ import annotations

import html
import re
from importlib import resources

from generator.site.sanitise import body_html, escape_html
from generator.views.subject_access import Pack, PackDocument, Party

CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"
"""The pack loads nothing: its one stylesheet is inside it, and it has no script."""

_EXTRA_CSS = """
mark.tp { background: #ffe08a; color: #111; outline: 1px solid #8a6d00; padding: 0 0.1em; }
sup.tp-ref { font-size: 0.7em; font-weight: 700; color: #5c4600; margin-left: 0.1em; }
.pack-document { margin-top: 1.6em; border-top: 2px solid #444; padding-top: 0.6em; }
.pack-document h2 { break-after: avoid; }
.excluded { font-style: italic; }
.review-note { border: 2px solid #8a6d00; background: #fff8e0; padding: 0.5em 0.8em; }
table.fields th { text-align: left; vertical-align: top; white-space: nowrap; padding-right: 1em; }
tr { break-inside: avoid; }
@media print {
  mark.tp, .review-note, .panel-confidentiality { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
_TAG = re.compile(r"(<[^>]*>)")


def _stylesheet() -> str:
    css = resources.files("generator").joinpath("templates/site/assets/printout.css").read_text(encoding="utf-8")
    return css + _EXTRA_CSS


class _Marker:
    """Marks third parties in text and HTML, and remembers in which documents each appeared."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.where: dict[str, list[int]] = {}
        self.document = 0

    def _mark(self, text: str, escape: bool) -> str:
        out: list[str] = []
        at = 0
        for start, end, party in self.pack.marks(text):
            out.append(html.escape(text[at:start], quote=False) if escape else text[at:start])
            out.append(self._one(text[start:end], party, escape))
            at = end
        out.append(html.escape(text[at:], quote=False) if escape else text[at:])
        return "".join(out)

    def _one(self, shown: str, party: Party, escape: bool) -> str:
        seen = self.where.setdefault(party.ref, [])
        if self.document and (not seen or seen[-1] != self.document):
            seen.append(self.document)
        inner = html.escape(shown, quote=False) if escape else shown
        mark = f'<mark class="tp" title="{party.ref}: {party.category}">{inner}</mark>'
        return mark + f'<sup class="tp-ref">{party.ref}</sup>'

    def text(self, value: str) -> str:
        """Plain text, escaped, its third parties marked."""
        return self._mark(value, escape=True)

    def html(self, fragment: str) -> str:
        """Sanitised HTML, its text (never its tags) marked."""
        parts = _TAG.split(fragment)
        return "".join(part if part.startswith("<") else self._mark(html.unescape(part), escape=True) for part in parts)


def pack_html(pack: Pack, *, site_name: str, banner: str) -> bytes:
    """The pack as a UTF-8 HTML document. `site_name` and `banner` are plain text."""
    marker = _Marker(pack)
    sections = [_document(marker, number, document) for number, document in enumerate(pack.documents, 1)]
    marker.document = 0
    who = f"child {pack.child} of case {pack.case}" if pack.child else f"case {pack.case}"
    head = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Subject access pack: {escape_html(who)} - {escape_html(site_name)}</title>",
        f"<style>{_stylesheet()}</style>",
        "</head>",
        "<body>",
        f'<div class="panel-confidentiality" role="note">{escape_html(banner)}</div>',
        "<main>",
        '<article class="printout">',
        f"<h1>Subject access pack: {escape_html(who)}</h1>",
        f"<p>Everything the panel repository held about {escape_html(who)} as of {pack.as_of.isoformat()}: "
        f"{len(pack.documents)} document(s), each with its history from git (who changed it, when, and who signed "
        "it). Other children's cases heard at the same meetings are left out.</p>",
        '<div class="review-note"><p><strong>Not for disclosure as it stands.</strong> Each name that may be a '
        "third party's is marked and listed below. Review each: redact it or record why it is disclosed. Remove "
        "this list and the marks before disclosure.</p>"
        + (
            f"<p>{pack.sealed_notices} sealed section(s) could not be opened by this build (their notices are shown "
            "in place): produce the pack where the text keys are, unless the text was erased.</p>"
            if pack.sealed_notices
            else ""
        )
        + "</div>",
        _front_list(pack, marker),
        "<h2>Contents</h2>",
        "<ol>"
        + "".join(
            f'<li><a href="#doc-{n}">{escape_html(d.kind)}: {escape_html(d.path)}</a></li>'
            for n, d in enumerate(pack.documents, 1)
        )
        + "</ol>",
    ]
    tail = ["</article>", "</main>", "</body>", "</html>", ""]
    return "\n".join([*head, *sections, *tail]).encode("utf-8")


def _front_list(pack: Pack, marker: _Marker) -> str:
    if not pack.parties:
        return "<h2>For redaction review</h2><p>No third-party name was found. Read the pack all the same.</p>"
    rows = []
    for party in pack.parties:
        where = ", ".join(f'<a href="#doc-{n}">{n}</a>' for n in marker.where.get(party.ref, []))
        rows.append(
            f"<tr><td>{party.ref}</td><td>{escape_html(party.text)}</td><td>{escape_html(party.category)}</td>"
            f"<td>{where}</td></tr>"
        )
    return (
        f"<h2>For redaction review ({len(pack.parties)} names)</h2>"
        "<table><thead><tr><th>Mark</th><th>Name</th><th>Why marked</th><th>Documents</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _document(marker: _Marker, number: int, document: PackDocument) -> str:
    marker.document = number
    parts = [
        f'<section class="pack-document" id="doc-{number}">',
        f"<h2>{number}. {escape_html(document.kind)}</h2>",
        f"<p><code>{escape_html(document.path)}</code></p>",
    ]
    if document.excluded:
        parts.append(f'<p class="excluded">Not included: {escape_html(document.excluded)}.</p>')
    if document.fields:
        rows = "".join(f"<tr><th>{escape_html(k)}</th><td>{marker.text(v)}</td></tr>" for k, v in document.fields)
        parts.append(f'<table class="fields"><tbody>{rows}</tbody></table>')
    if document.body.strip():
        parts.append("<h3>Narrative</h3>")
        parts.append(f'<div class="narrative">{marker.html(body_html(document.body, heading_shift=3))}</div>')
    if document.history:
        rows = "".join(
            f"<tr><td>{escape_html(h.when)}</td><td>{escape_html(h.verb)}</td><td>{marker.text(h.author)}</td>"
            f"<td>{marker.text(h.committer)}</td><td>{marker.text(h.signature)}</td><td><code>{h.commit}</code></td></tr>"
            for h in document.history
        )
        parts.append(
            "<h3>History</h3><table><thead><tr><th>When</th><th>Change</th><th>Author</th><th>Committer</th>"
            f"<th>Signature</th><th>Commit</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    else:
        parts.append("<p>No history: the document is not committed.</p>")
    parts.append("</section>")
    return "\n".join(parts)
