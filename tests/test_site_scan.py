"""The scan of the built site (generator/site/site_scan.py): every HTML page read back before it is published.

A real page of the demo site is planted with each thing no page may carry, and the scan must name
it (code, page, line); the real demo build must scan clean, quickly; and a build whose pages carry
one is not published, with exit status 1 and the diagnostic printed.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DemoSite
from test_site import AS_OF, WORLD, write_world

from generator.cli import cli
from generator.site import build as site_build
from generator.site.build import UnsafePagesError, build_site
from generator.site.content_policy import CONTENT_SECURITY_POLICY, META_TAG, SERVER_POLICY
from generator.site.pages import Page
from generator.site.site_scan import html_files, scan_page, scan_site

CASE_PAGE = "cases/204402.html"


@pytest.fixture
def planted(demo_site: DemoSite, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the demo site to plant things in, and its case page."""
    site = tmp_path / "site"
    shutil.copytree(demo_site.site, site)
    return site, site / CASE_PAGE


def plant(page: Path, markup: str) -> int:
    """Put `markup` into the page's article, after its first heading; the line it is on."""
    text = page.read_text(encoding="utf-8")
    at = text.index("</h1>") + len("</h1>")
    page.write_text(text[:at] + "\n" + markup + "\n" + text[at:], encoding="utf-8")
    return text.count("\n", 0, at) + 2


def codes(site: Path, page: Path) -> list[tuple[str, int]]:
    """What the scan finds on `page`: (code, line)."""
    return [(problem.code, problem.line) for problem in scan_page(site.resolve(), page.resolve())]


def test_the_demo_site_scans_clean_and_fast(demo_site: DemoSite, capsys: pytest.CaptureFixture[str]) -> None:
    """Every page of the real demo build (Material's pages, printouts, 404) passes, at well over 100 pages a second."""
    pages = list(html_files(demo_site.site))
    started = time.perf_counter()
    problems = scan_site(demo_site.site)
    took = time.perf_counter() - started
    size = sum(page.stat().st_size for page in pages) / 1e6
    with capsys.disabled():
        print(f"\nscanned {len(pages)} pages ({size:.1f} MB) in {took:.2f} s")
    assert [] == problems
    assert len(pages) > 200 and {"404.html", "index.html"} <= {p.name for p in pages}
    assert took < len(pages) / 100


PLANTED = [
    ("<script>window.ran = 1</script>", "P131"),
    ("<SCRIPT type=module>import('x')</SCRIPT>", "P131"),
    ('<script src="https://outside.invalid/x.js"></script>', "P131 P133"),
    ('<script src="../assets/not-there.js"></script>', "P131"),
    ('<script src="../../../../etc/x.js"></script>', "P131"),
    ('<img src=x onerror="alert(1)">', "P132"),
    ("<p ONCLICK=alert(1)>x</p>", "P132"),
    ('<svg><a onmouseover="x">y</a></svg>', "P132"),
    ('<a href="javascript:alert(1)">x</a>', "P133"),
    ('<a href="java&#115;cript:alert(1)">x</a>', "P133"),
    ('<a href="java\tscript:alert(1)">x</a>', "P133"),
    ('<a href=" JAVASCRIPT:alert(1)">x</a>', "P133"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "P133"),
    ('<a href="https://outside.invalid/">x</a>', "P133"),
    ('<a href="//outside.invalid/">x</a>', "P133"),
    ('<a href="/\\outside.invalid/">x</a>', "P133"),
    ('<img src="http://outside.invalid/beacon.png">', "P133"),
    ('<img srcset="a.png 1x, https://outside.invalid/b.png 2x">', "P133"),
    ('<form action="https://outside.invalid/"></form>', "P133"),
    ('<button formaction="javascript:x">b</button>', "P133"),
    ('<video poster="https://outside.invalid/p.png"></video>', "P133"),
    ('<svg><image xlink:href="https://outside.invalid/i.png"/></svg>', "P133"),
    ('<base href="https://outside.invalid/">', "P134 P133"),
    ('<meta http-equiv="refresh" content="0;url=https://outside.invalid">', "P134"),
    ('<iframe src="x.html"></iframe>', "P134"),
    ('<object data="x.pdf"></object>', "P134"),
    ('<embed src="x.swf">', "P134"),
    ("<style>article{display:none}</style>", "P134"),
    ("<p>a \u202e reversed</p>", "P136"),
    ("<p>a &#x202E; reversed</p>", "P136"),
    ('<p title="x&zwj;y">z</p>', "P136"),
    ('<p style="background:url(https://outside.invalid/x.png)">x</p>', "P137"),
    ('<p style="display:none">x</p>', "P137"),
]


@pytest.mark.parametrize(("markup", "code"), PLANTED, ids=[m for m, _ in PLANTED])
def test_a_planted_page_is_caught_with_its_line(planted: tuple[Path, Path], markup: str, code: str) -> None:
    """Each thing no page may carry, planted into a real page: the scan names its code (or codes) and line."""
    site, page = planted
    line = plant(page, markup)
    assert sorted((c, line) for c in code.split()) == sorted(codes(site, page))


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="mailto:someone@example.invalid">mail</a>',
        '<a href="../panels/cdm.html#x">rel</a>',
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
        '<td style="text-align: right;">1</td>',
        '<script id="x" type="application/json">{"a": "</p><p onclick=1>"}</script>',
        "<p>the word javascript: and onerror= in text, &lt;script&gt; too</p>",
        "<!-- a comment with <script>alert(1)</script> -->",
        '<p title="a > b, onclick=x">quoted</p>',
    ],
)
def test_what_the_site_does_write_passes(planted: tuple[Path, Path], markup: str) -> None:
    """Relative and mailto links, a data: image, table alignment, data scripts, text that names danger: no problem."""
    site, page = planted
    plant(page, markup)
    assert [] == codes(site, page)


def test_a_page_without_the_policy_or_with_it_too_late(planted: tuple[Path, Path]) -> None:
    """The policy must be there, be the site's, and come before the first script or stylesheet."""
    site, page = planted
    original = page.read_text(encoding="utf-8")
    assert META_TAG in original
    page.write_text(original.replace(META_TAG, ""), encoding="utf-8")
    assert [("P135", 1)] == codes(site, page)
    page.write_text(original.replace(CONTENT_SECURITY_POLICY, "script-src *"), encoding="utf-8")
    assert ["P135"] == [c for c, _ in codes(site, page)]
    late = original.replace(META_TAG, "").replace("</head>", META_TAG + "</head>")
    page.write_text(late, encoding="utf-8")
    assert ["P135"] == [c for c, _ in codes(site, page)]


def test_an_unclosed_comment_or_script_hides_nothing_from_the_scan(planted: tuple[Path, Path]) -> None:
    """Inside a script's text the scan does not look for tags (neither does the browser); after its end it does."""
    site, page = planted
    line = plant(page, "<script>var s = '<img onerror=x>';</script><img src=x onerror=y>")
    assert [("P131", line), ("P132", line)] == codes(site, page)


def _with_planted_page(monkeypatch: pytest.MonkeyPatch, markdown: str) -> None:
    real = site_build.render_site

    def render(workspace: Any) -> Any:
        site = real(workspace)
        page = Page(path="planted.md", title="Planted", markdown=markdown)
        return dataclasses.replace(site, pages=(*site.pages, page))

    monkeypatch.setattr(site_build, "render_site", render)


def test_a_build_with_an_unsafe_page_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that escaped the escaping (planted through the real build, MkDocs and all) stops the swap:
    the previous site stays, the CLI prints P132 with the page and exits 1."""
    root = write_world(tmp_path / "repo", dict(WORLD))
    out = tmp_path / "site"
    build_site(root, out, as_of=AS_OF, work_dir=tmp_path / "work")
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _with_planted_page(monkeypatch, "# Planted\n\n<img src=x onerror=alert(1)>\n")
    with pytest.raises(UnsafePagesError) as raised:
        build_site(root, out, as_of=AS_OF, work_dir=tmp_path / "work")
    assert [("planted.html", "P132")] == [(p.path, p.code) for p in raised.value.problems]
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before == after
    assert [] == [p.name for p in tmp_path.iterdir() if ".building-" in p.name]
    result = CliRunner().invoke(
        cli, ["build", "--repo", str(root), "--out", str(out), "--as-of", AS_OF.isoformat()], catch_exceptions=False
    )
    assert 1 == result.exit_code
    assert re.search(r"planted\.html:\d+: P132", result.output), result.output
    assert "was not published" in result.output


def test_the_web_server_headers_page_carries_the_policy() -> None:
    """docs/site.md gives the web server exactly the policy the pages carry, plus frame-ancestors."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "site.md").read_text(encoding="utf-8")
    assert SERVER_POLICY.startswith(CONTENT_SECURITY_POLICY + ";")
    assert 3 == page.count(SERVER_POLICY)  # the policy, nginx, Apache
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("page-inline-script", "P131"),
        ("page-event-handler", "P132"),
        ("page-outside-url", "P133"),
        ("page-forbidden-element", "P134"),
        ("page-without-policy", "P135"),
        ("page-hidden-character", "P136"),
        ("page-style-attribute", "P137"),
    ],
)
def test_panel_explain_knows_each_rule(name: str, code: str) -> None:
    """`panel explain NAME` prints the scan's rule with its code."""
    result = CliRunner().invoke(cli, ["explain", name])
    assert (0, f"{code} {name}") == (result.exit_code, result.output.splitlines()[0].split(" (")[0])
