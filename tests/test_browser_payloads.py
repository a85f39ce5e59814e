"""Hostile text in every field, in a real browser: nothing runs, nothing loads, nothing is hidden.

A repository is seeded with payloads (each tries to run script, open a dialog, fetch or load from
outside, or cut off and hide what follows it) in children's names, event notes, what a referral
seeks, document locations and narratives. The real build makes its site; Debian's Chromium (launched
as tests/test_browser.py launches it) opens every page holding one over http and records: dialogs,
a script flag, requests leaving the site, Content-Security-Policy violations, and whether each
payload's sentinel, and every heading of the page, is visible.
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from test_browser import _Quiet, context, guarded  # noqa: F401 - `context` is the fixture
from test_site import AS_OF, CASE, REFERRAL, WORLD, write_world

from generator.site.build import build_site

RUNS = [
    "<script>window.__ran=1</script>",
    '<img src=x onerror="window.__ran=1">',
    '<svg onload="window.__ran=1"></svg>',
    '"><img src=x onerror=window.__ran=1>',
    "'><script>window.__ran=1</script>",
    '<a href="javascript:window.__ran=1">click</a>',
    "[click](javascript:window.__ran=1)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<details open ontoggle="window.__ran=1">',
    "<math><style><img src=x onerror=window.__ran=1></style></math>",
    "<svg><style><img src=x onerror=window.__ran=1></style></svg>",
    '<noscript><p title="</noscript><img src=x onerror=window.__ran=1>">',
    '<iframe srcdoc="<script>parent.__ran=1</script>"></iframe>',
    "{{ 7*7 }} {% raw %} ${7*7}",
]
LOADS = [
    '<iframe src="https://outside.invalid/frame"></iframe>',
    '<img src="https://outside.invalid/beacon.png">',
    "![beacon](https://outside.invalid/beacon.png)",
    '<link rel=stylesheet href="https://outside.invalid/x.css">',
    "<style>@import url(https://outside.invalid/x.css);</style>",
    '<object data="https://outside.invalid/x.swf"></object>',
    '<meta http-equiv="refresh" content="0;url=https://outside.invalid/">',
    '<base href="https://outside.invalid/">',
    '<form action="https://outside.invalid/"><button>go</button></form>',
    '<script>fetch("https://outside.invalid/x")</script>',
    '<p style="background:url(https://outside.invalid/bg.png)">x</p>',
]
CUTS = ["<style>", "<math><style>", "<svg><style>", "<textarea>", "<title>", "<noscript>", "<xmp>", "<plaintext>"]
CUTS += ["<noembed>", "<iframe>", "<script>", "<!--", "<![CDATA[", "`", "``", "```", "```\ncode", "<table>"]
CUTS += ["<details>", "<select>", "</div></article>", "<template>", "<a href='", '<p title="', "<div", "*[x]: y"]
PAYLOADS = RUNS + LOADS + CUTS
FIRST_CASE = 300100


def case_id(index: int) -> str:
    """The case holding payload `index`."""
    return str(FIRST_CASE + index)


def sentinel(index: int, where: str) -> str:
    """The word written right after payload `index` in field `where`."""
    return f"SENT{index:03d}{where}"


def _quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def seeded_world(root: Path) -> Path:
    """The small test world plus one case per payload: the payload in the child's name, an event's
    note, what is sought, a document's location and a narrative, each followed by its sentinel; and a
    second, plain referral after the payload's, whose heading and text must stay visible."""
    files = dict(WORLD)
    for index, payload in enumerate(PAYLOADS):
        cid = case_id(index)
        case = CASE.replace('id: "123456"', f'id: "{cid}"')
        case = case.replace(
            'name: "Ada <script>alert(4)</script> Child"',
            f"name: {_quoted(f'Ada {payload} ' + sentinel(index, 'NAME'))}",
        )
        case = case.replace(
            'note: "first | second <!-- hidden"', f"note: {_quoted(f'{payload} ' + sentinel(index, 'NOTE'))}"
        )
        referral = REFERRAL.replace('case: "123456"', f'case: "{cid}"')
        referral = referral.replace(
            'sought: "A decision <!-- on everything that follows"',
            f"sought: {_quoted(f'A decision {payload} ' + sentinel(index, 'SOUGHT'))}",
        )
        referral = referral.replace(
            'location: "Mosaic > Documents | `chronology`"',
            f"location: {_quoted(f'Mosaic {payload} ' + sentinel(index, 'PLACE'))}",
        )
        head, _, _ = referral.partition("## Summary")
        # In the middle of the narrative, and at its very end (nothing after it closes anything).
        narrative = f"## Summary\n\nBefore it.\n\n{payload}\n\n{sentinel(index, 'MIDDLE')} after it.\n\n{payload}"
        later = (
            head.replace("meeting: 2026-03-09", "meeting: 2026-03-16") + f"## Summary\n\n{sentinel(index, 'FOLLOWS')}\n"
        )
        files[f"cases/{cid}/case.md"] = case
        files[f"cases/{cid}/referrals/2026-03-09-tp.md"] = head + narrative + "\n"
        files[f"cases/{cid}/referrals/2026-03-16-tp.md"] = later
    return write_world(root, files)


class _Served:
    def __init__(self, site: Path, docs: Path, base: str) -> None:
        self.site, self.docs, self.base = site, docs, base


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Served]:
    """The seeded world built by the real build and served over http from a thread."""
    root = tmp_path_factory.mktemp("payloads")
    repo = seeded_world(root / "repo")
    result = build_site(repo, root / "site", as_of=AS_OF, work_dir=root / "work")
    handler = functools.partial(_Quiet, directory=str(result.out_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _Served(result.out_dir, result.work_dir, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


_SENTINEL = re.compile(r"SENT[0-9]{3}[A-Z]+")
_HEADING = re.compile(r"^#{1,6} (.*?)(?:\s*\{[^}]*\})?\s*$", re.MULTILINE)
# Injected before any page script: every violation of the policy is recorded, the page's own included.
_WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(' ')), true);
"""
_INVISIBLE = """
(sentinels) => {
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const inert = 'script,style,textarea,title,noscript,template,xmp,iframe,noembed,noframes,select,option';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const s of sentinels) {
      const element = node.parentElement;
      if (node.data.includes(s) && !element.closest(inert)
          && element.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) seen.add(s);
    }
  }
  return sentinels.filter(s => !seen.has(s));
}
"""
_HEADINGS = """
() => [...document.querySelectorAll('article h1, article h2, article h3, article h4, article h5, article h6')]
  .filter(h => h.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
  .map(h => h.textContent.replace(/\\u00b6$/, '').trim())
"""


CASE_PAGE_SHOWS = {
    f"cases/{case_id(i)}.html": [
        sentinel(i, where) for where in ("NAME", "NOTE", "SOUGHT", "PLACE", "MIDDLE", "FOLLOWS")
    ]
    for i in range(len(PAYLOADS))
}
"""What each payload's case page shows: the child's name, the event's note, what is sought, the
document's location, the narrative's text after the payload, and the next referral's narrative."""


def pages_with_payloads(site: Path) -> list[str]:
    """Every built HTML page whose body holds a sentinel, by path in the site."""
    found = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if _SENTINEL.search(text.partition("<body")[2]):
            found.append(page.relative_to(site).as_posix())
    return found


def expected_headings(served: _Served, path: str) -> list[str]:
    """The headings the page's Markdown has (none for a printout, which has no Markdown page)."""
    source = served.docs / path.replace(".html", ".md")
    if not source.is_file():
        return []
    return [
        html.unescape(re.sub(r"&#([0-9]+);", lambda m: chr(int(m.group(1))), h))
        for h in _HEADING.findall(source.read_text())
    ]


def test_seeded_pages_run_nothing_load_nothing_hide_nothing(context, served: _Served) -> None:  # noqa: F811
    """On every page holding a payload: no dialog, no script flag, no request outside the site, no
    policy violation (the site's own scripts are not blocked either), every sentinel visible, and every
    heading of the page (what follows each narrative) rendered and visible."""
    page, guard = guarded(context, served.base)
    context.add_init_script(_WATCH)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = pages_with_payloads(served.site)
    assert {f"cases/{case_id(i)}.html" for i in range(len(PAYLOADS))} <= set(paths)
    assert any(p.endswith("/pack.html") for p in paths) and any(p.startswith("meetings/tp/") for p in paths)
    problems: dict[str, list[str]] = {}
    for path in paths:
        page.goto(served.base + path)
        page.wait_for_load_state("load")
        source = (served.site / path).read_text(encoding="utf-8").partition("<body")[2]
        # A case page must show every field of its case: a sentinel a payload swallowed is missing.
        sentinels = sorted(set(_SENTINEL.findall(source)) | set(CASE_PAGE_SHOWS.get(path, ())))
        found: list[str] = []
        if page.evaluate("() => window.__ran !== undefined || (window.parent && window.parent.__ran !== undefined)"):
            found.append("a payload's script ran")
        found += [f"violation: {v}" for v in page.evaluate("() => window.__violations")]
        found += [f"hidden: {s}" for s in page.evaluate(_INVISIBLE, sentinels)]
        shown = page.evaluate(_HEADINGS)
        found += [f"heading not shown: {h}" for h in expected_headings(served, path) if not any(h in s for s in shown)]
        if found:
            problems[path] = found
    assert ({}, [], []) == (problems, dialogs, guard.outside)
    assert len(paths) > len(PAYLOADS)


def test_the_search_still_works_on_the_seeded_site(context, served: _Served) -> None:  # noqa: F811
    """The policy blocks none of the site's own scripts: search finds a seeded case, with no violation."""
    page, guard = guarded(context, served.base)
    context.add_init_script(_WATCH)
    page.goto(served.base + "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(case_id(3))
    page.locator(".md-search-result__item", has_text=case_id(3)).first.wait_for(state="visible")
    assert ([], []) == (page.evaluate("() => window.__violations"), guard.outside)


def test_the_watch_sees_a_violation_and_a_flag(context, served: _Served) -> None:  # noqa: F811
    """The recorder is not blind: an inline script injected at run time is blocked and reported."""
    page, _ = guarded(context, served.base)
    context.add_init_script(_WATCH)
    page.goto(served.base + "index.html")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    violations = page.evaluate("() => window.__violations")
    assert (False, ["script-src-elem"]) == (
        page.evaluate("() => window.__ran !== undefined"),
        [v.split(" ")[0] for v in violations],
    )
