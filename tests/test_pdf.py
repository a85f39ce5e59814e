"""`panel pdf`: meeting packs and decision sheets printed to PDF by Debian's chromium, never a downloaded browser.

The browser tests print one meeting date of the demo site (read-only; PDFs go to a temporary
folder) and a tiny fake site whose page asks for things outside it. The failures (no chromium, not
a built site, filters matching nothing, an unusable output folder) need no browser and always run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner, Result
from conftest import PROJECT_ROOT, DemoSite, write_files

from generator.cli import cli
from generator.site.build import SITE_MARKER
from generator.tools.pdf import PDF_MARKER, Kind, Printable, _Guard, normalise, printable_pages

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason=f"{CHROMIUM} is not installed (apt-get install chromium); CI never skips this test",
)
TIMEOUT_S = 180
"""How long the subprocess run may take before the test fails instead of hanging."""


# --- reading a PDF ----------------------------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_TEXT_OPS = re.compile(rb"/([\w.+-]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|\[([^\]]*)\]\s*TJ")


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(number): body for number, body in _OBJECT.findall(pdf)}


def _stream(body: bytes) -> bytes | None:
    match = _STREAM.search(body)
    if match is None:
        return None
    try:
        return zlib.decompress(match.group(1))
    except zlib.error:
        return None


def _cmap(text: bytes) -> dict[int, str]:
    """A ToUnicode CMap: glyph code → text."""
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(int(target, 16) + offset)
    return table


def pdf_text(pdf: bytes) -> str:
    """The text Chromium drew, decoded through each font's ToUnicode map (enough for Chromium's own PDFs)."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for resources in re.findall(rb"/Font\s*<<(.*?)>>", pdf, re.S):
        for name, number in re.findall(rb"/([\w.+-]+)\s+(\d+) 0 R", resources):
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(int(number), b""))
            cmap = _stream(objects.get(int(to_unicode.group(1)), b"")) if to_unicode else None
            fonts[name] = _cmap(cmap) if cmap else {}
    pieces: list[str] = []
    for body in objects.values():
        content = _stream(body)
        if content is None or b"Tf" not in content:
            continue
        table: dict[int, str] = {}
        for match in _TEXT_OPS.finditer(content):
            if match.group(1) is not None:
                table = fonts.get(match.group(1), {})
                continue
            hexes = [match.group(2)] if match.group(2) is not None else re.findall(rb"<([0-9A-Fa-f]*)>", match.group(3))
            for run in hexes:
                pieces.extend(table.get(int(run[i : i + 4], 16), "\ufffd") for i in range(0, len(run), 4))
        pieces.append("\n")
    return "".join(pieces)


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has (`/Type /Page`, not `/Pages`)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


# --- small worlds ---------------------------------------------------------------------------------


def fake_site(root: Path, pages: dict[str, str] | None = None) -> Path:
    """A folder that passes for a built site: the marker and, by default, one meeting's pack and sheet."""
    files: dict[str, str] = {SITE_MARKER: "Built by `panel build`.\n"}
    default = {
        "meetings/clam/2026-01-08/pack.html": _html("Meeting pack: CLAM 2026-01-08", "<p>Case 100001</p>"),
        "meetings/clam/2026-01-08/100001.html": _html("Decision sheet: case 100001", "<p>Case 100001</p>"),
        "meetings/clam/2026-01-08/100001.txt": "Case 100001.\n",
    }
    files.update(pages if pages is not None else default)
    write_files(root, files)
    return root


def _html(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head><body>"
        "<div class='panel-confidentiality'>OFFICIAL-SENSITIVE: test marking.</div>"
        f"<h1>{title}</h1>{body}</body></html>"
    )


def run_pdf(*args: str, env: dict[str, str] | None = None) -> Result:
    """`panel pdf ARGS` in this process."""
    return CliRunner().invoke(cli, ["pdf", *args], env=env)


# --- the demo site ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """One run of `panel pdf --meeting DATE` over the demo site."""

    site: Path
    out: Path
    meeting: date
    result: Result
    seconds: float


def chosen_meeting(site: Path) -> date:
    """The demo's meeting date with the fewest printable pages among those with a per-child copy of a sheet."""
    candidates: dict[str, int] = {}
    for folder in sorted((site / "meetings").glob("*/*")):
        if folder.is_dir() and (folder / "pack.html").is_file() and any(folder.glob("*-*.txt")):
            candidates[folder.name] = len(list((site / "meetings").glob(f"*/{folder.name}/*.html")))
    assert candidates, "the demo has no meeting with a pack and a child's copy of a decision sheet"
    return date.fromisoformat(min(sorted(candidates), key=lambda name: candidates[name]))


def expected_pdfs(site: Path, meeting: date) -> list[str]:
    """The PDFs a run for `meeting` must make, from the site's files: packs, and sheets beside their case notes."""
    found = []
    for page in sorted((site / "meetings").glob(f"*/{meeting.isoformat()}/*.html")):
        if page.name == "pack.html" or page.with_suffix(".txt").is_file():
            found.append(page.relative_to(site).with_suffix(".pdf").as_posix())
    return found


@pytest.fixture(scope="module")
def printed(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The demo's chosen meeting date printed once for the module's tests."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
    meeting = chosen_meeting(demo_site.site)
    out = tmp_path_factory.mktemp("pdf") / "out"
    started = time.perf_counter()
    result = run_pdf(str(demo_site.site), "--out", str(out), "--meeting", meeting.isoformat())
    return Printed(demo_site.site, out, meeting, result, time.perf_counter() - started)


@needs_chromium
def test_prints_every_pack_and_sheet_of_a_meeting(printed: Printed, capsys: pytest.CaptureFixture[str]) -> None:
    """Every pack and decision sheet (children's copies too) of the chosen date is a PDF at the page's path."""
    expected = expected_pdfs(printed.site, printed.meeting)
    made = sorted(p.relative_to(printed.out).as_posix() for p in printed.out.rglob("*.pdf"))
    with capsys.disabled():
        print(f"\n{len(made)} PDFs for {printed.meeting} in {printed.seconds:.1f} s")
    assert (0, "") == (printed.result.exit_code, printed.result.stderr)
    assert any(re.search(r"/[0-9]+-[\w-]+\.pdf$", name) for name in expected), "no child's copy in the chosen meeting"
    assert expected == made
    assert (printed.out / PDF_MARKER).is_file()
    packs = sum(1 for name in expected if name.endswith("/pack.pdf"))
    assert f"{packs} meeting pack" in printed.result.stdout


@needs_chromium
def test_pdfs_hold_the_case_marking_and_page_numbers(printed: Printed) -> None:
    """Each PDF has pages, the case id in its text, the marking and page numbers, and no file:// link."""
    problems = []
    for name in expected_pdfs(printed.site, printed.meeting):
        data = (printed.out / name).read_bytes()
        text = pdf_text(data)
        stem = PurePosixPath(name).stem
        wanted = ["Page 1 of", "OFFICIAL-SENSITIVE"]
        wanted += ["Meeting pack"] if stem == "pack" else [f"Decision sheet: case {stem.split('-')[0]}"]
        if "-" in stem:
            wanted.append(f"child {stem.split('-', 1)[1]}")
        missing = [w for w in wanted if w not in text]
        if not data.startswith(b"%PDF-") or page_count(data) < 1 or missing:
            problems.append(f"{name}: starts {data[:8]!r}, {page_count(data)} pages, missing {missing}")
        if b"file:" in data or str(printed.site).encode() in data:
            problems.append(f"{name}: links to or names this machine's copy of the site")
        # The marking is in the header of every page as well as in the banner on the first.
        if text.count("OFFICIAL-SENSITIVE") < page_count(data) + 1:
            problems.append(f"{name}: the marking is not on every page")
    assert [] == problems


@needs_chromium
def test_a_second_run_gives_the_same_bytes_and_drops_stale_pdfs(printed: Printed, tmp_path: Path) -> None:
    """Printing the same meeting again (filtered by panel too) gives identical PDFs and removes a stale one."""
    expected = expected_pdfs(printed.site, printed.meeting)
    panel = PurePosixPath(expected[0]).parts[1]
    out = tmp_path / "again"
    shutil.copytree(printed.out, out)
    stale = out / "meetings" / panel / printed.meeting.isoformat() / "999999.pdf"
    stale.write_bytes(b"%PDF-stale")
    result = run_pdf(str(printed.site), "--out", str(out), "--panel", panel, "--meeting", printed.meeting.isoformat())
    assert 0 == result.exit_code, result.output
    mine = [name for name in expected if PurePosixPath(name).parts[1] == panel]
    changed = [name for name in mine if (out / name).read_bytes() != (printed.out / name).read_bytes()]
    assert ([], False) == (changed, stale.exists())


@needs_chromium
def test_requests_outside_the_site_are_blocked_and_reported(tmp_path: Path) -> None:
    """A page asking for a web address or a file outside the site prints, without fetching either, and says so."""
    hits: list[str] = []

    class Counter(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}/beacon.png"
    outside = tmp_path / "outside.css"
    outside.write_text("body { color: red; }\n")
    body = (
        '<img src="http://example.invalid/x.png" alt="x">'
        f'<img src="{local}" alt="y"><link rel="stylesheet" href="{outside.as_uri()}">'
        '<img src="../../../../outside.png" alt="z"><p>Case 100001</p>'
    )
    site = fake_site(
        tmp_path / "site",
        {"meetings/clam/2026-01-08/pack.html": _html("Meeting pack: CLAM 2026-01-08", body)},
    )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "pdf", str(site), "--out", str(tmp_path / "out")],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
            cwd=PROJECT_ROOT,
        )
    finally:
        server.shutdown()
        server.server_close()
    reported = sorted(set(re.findall(r"blocked a request outside the site: (\S+)", done.stderr)))
    expected_blocked = sorted(
        ["http://example.invalid/x.png", local, outside.as_uri(), (tmp_path / "outside.png").as_uri()]
    )
    assert (0, [], expected_blocked) == (done.returncode, hits, reported), done.stderr
    data = (tmp_path / "out" / "meetings" / "clam" / "2026-01-08" / "pack.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    assert "Case 100001" in pdf_text(data)


# --- failures (no browser needed) ---------------------------------------------------------------------


def test_no_chromium_names_the_debian_package(tmp_path: Path) -> None:
    """No `chromium` on PATH: exit 2, a message naming `apt-get install chromium`, no traceback, nothing written."""
    site = fake_site(tmp_path / "site")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_pdf(str(site), "--out", str(tmp_path / "out"), env={"PATH": str(empty)})
    assert 2 == result.exit_code
    assert "apt-get install chromium" in result.stderr
    assert isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out").exists()


def test_a_chromium_that_fails_to_start_is_reported_and_removes_nothing(tmp_path: Path) -> None:
    """A `chromium` that exits at once: exit 2 naming it, and the PDFs of an earlier run are kept."""
    site = fake_site(tmp_path / "site")
    bin_dir = tmp_path / "bin"
    write_files(bin_dir, {"chromium": "#!/bin/sh\necho broken >&2\nexit 1\n"})
    (bin_dir / "chromium").chmod(0o755)
    out = tmp_path / "out"
    write_files(out, {PDF_MARKER: "", "meetings/clam/2026-01-08/pack.pdf": "%PDF-earlier"})
    result = run_pdf(str(site), "--out", str(out), env={"PATH": f"{bin_dir}:/usr/bin:/bin"})
    assert 2 == result.exit_code
    assert f"Chromium ({bin_dir / 'chromium'}) failed to start" in result.stderr
    assert "%PDF-earlier" == (out / "meetings/clam/2026-01-08/pack.pdf").read_text()


def test_a_folder_that_is_not_a_built_site_is_refused(tmp_path: Path) -> None:
    """A folder without `panel build`'s marker, or no folder at all: exit 2 with a message."""
    bare = tmp_path / "bare"
    write_files(bare, {"meetings/clam/2026-01-08/pack.html": _html("Pack", "")})
    unmarked = run_pdf(str(bare), "--out", str(tmp_path / "out"))
    missing = run_pdf(str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert (2, 2) == (unmarked.exit_code, missing.exit_code)
    assert f"not a site built by `panel build` (it has no {SITE_MARKER} file)" in unmarked.stderr
    assert "is not a folder" in missing.stderr


def test_a_filter_matching_nothing_exits_1(tmp_path: Path) -> None:
    """A panel or a date with no pack or sheet in the site: exit 1 with a message naming the filter."""
    site = fake_site(tmp_path / "site")
    no_panel = run_pdf(str(site), "--out", str(tmp_path / "out"), "--panel", "cdm")
    no_date = run_pdf(str(site), "--out", str(tmp_path / "out"), "--meeting", "2030-01-01")
    assert (1, 1) == (no_panel.exit_code, no_date.exit_code)
    assert "no meeting pack or decision sheet for panel 'cdm'" in no_panel.stderr
    assert "for a meeting on 2030-01-01" in no_date.stderr


def test_a_site_with_nothing_to_print_exits_1(tmp_path: Path) -> None:
    """A built site with no meetings at all: exit 1, not an empty folder of PDFs."""
    site = fake_site(tmp_path / "site", {"index.html": _html("Home", "")})
    result = run_pdf(str(site), "--out", str(tmp_path / "out"))
    assert 1 == result.exit_code
    assert "no meeting pack or decision sheet" in result.stderr


def test_a_bad_meeting_date_is_a_usage_error(tmp_path: Path) -> None:
    """`--meeting` takes YYYY-MM-DD only: exit 2 naming the value."""
    result = run_pdf(str(fake_site(tmp_path / "site")), "--meeting", "12/11/2026")
    assert 2 == result.exit_code
    assert "'12/11/2026' is not a date" in result.stderr


@pytest.mark.parametrize("where", ["site", "site/pdf", "."])
def test_an_output_folder_overlapping_the_site_is_refused(tmp_path: Path, where: str) -> None:
    """The PDFs never go into the site, the site itself, or a folder that holds the site: exit 2."""
    site = fake_site(tmp_path / "site")
    result = run_pdf(str(site), "--out", str(tmp_path / where))
    assert 2 == result.exit_code
    assert "the output folder" in result.stderr
    assert [] == list(site.rglob("*.pdf"))


def test_an_output_folder_it_did_not_make_is_left_alone(tmp_path: Path) -> None:
    """A non-empty folder without `panel pdf`'s marker is refused (exit 2) and its files are untouched."""
    site = fake_site(tmp_path / "site")
    out = tmp_path / "documents"
    write_files(out, {"keep.txt": "mine\n"})
    result = run_pdf(str(site), "--out", str(out))
    assert 2 == result.exit_code
    assert "was not made by `panel pdf`" in result.stderr
    assert "mine\n" == (out / "keep.txt").read_text()


# --- the pieces -------------------------------------------------------------------------------------


def test_printable_pages_are_packs_and_sheets_only(tmp_path: Path) -> None:
    """Packs and pages with a case note beside them; never minutes, meeting pages, other folders or links."""
    site = fake_site(
        tmp_path / "site",
        {
            "meetings/cdm/2026-02-02/pack.html": "",
            "meetings/cdm/2026-02-02/minutes.html": "",
            "meetings/cdm/2026-02-02/200001.html": "",
            "meetings/cdm/2026-02-02/200001.txt": "",
            "meetings/cdm/2026-02-02/200001-c1.html": "",
            "meetings/cdm/2026-02-02/200001-c1.txt": "",
            "meetings/cdm/2026-02-02.html": "",
            "meetings/cdm/notes/pack.html": "",
            "meetings/cp/2026-02-02/pack.html": "",
        },
    )
    (site / "meetings" / "cp" / "2026-03-03").symlink_to(site / "meetings" / "cp" / "2026-02-02")
    expected = [
        Printable(PurePosixPath("meetings/cdm/2026-02-02/pack.html"), Kind.PACK),
        Printable(PurePosixPath("meetings/cdm/2026-02-02/200001-c1.html"), Kind.SHEET),
        Printable(PurePosixPath("meetings/cdm/2026-02-02/200001.html"), Kind.SHEET),
    ]
    assert expected == printable_pages(site, panel="cdm")
    assert ["meetings/cp/2026-02-02/pack.pdf"] == [str(p.pdf) for p in printable_pages(site, panel="cp")]
    assert 4 == len(printable_pages(site, meeting=date(2026, 2, 2)))


def test_the_guard_lets_through_only_files_inside_the_site(tmp_path: Path) -> None:
    """Files inside the site pass; the web, other hosts, files outside, `..` and links leading out do not."""
    site = fake_site(tmp_path / "site").resolve()
    (tmp_path / "secret.txt").write_text("no\n")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    guard = _Guard(site)
    inside = (site / "meetings/clam/2026-01-08/pack.html").as_uri()
    refused = [
        "http://example.invalid/x.png",
        "https://127.0.0.1/",
        (tmp_path / "secret.txt").as_uri(),
        site.as_uri() + "/../secret.txt",
        (site / "link.txt").as_uri(),
        "file://otherhost" + str(site / "meetings/clam/2026-01-08/pack.html"),
        site.as_uri() + "/",
    ]
    assert (True, []) == (guard.allows(inside), [url for url in refused if guard.allows(url)])
    assert guard.allows("data:image/png;base64,AAAA")


def test_normalise_numbers_nodes_in_the_order_of_the_structure_tree() -> None:
    """Two prints whose node counter ran in a different order (the header cell of the second table counted
    first) normalise to the same bytes, with the id tree still sorted by id and of the same length."""

    def tagged(first: int, second: int, third: int) -> bytes:
        elements = b"".join(
            b"%d 0 obj\n<</S /TH\n/ID (node%08d)>>\nendobj\n" % (number, node)
            for number, node in ((68, first), (70, second), (93, third))
        )
        pairs = sorted(((first, 68), (second, 70), (third, 93)))
        names = b" ".join(b"(node%08d) %d 0 R" % pair for pair in pairs)
        tree = b"<</Limits [(node%08d) (node%08d)]\n/Names [%s]>>" % (pairs[0][0], pairs[-1][0], names)
        return elements + tree

    one, other = tagged(906, 911, 915), tagged(1007, 1010, 1003)
    tree = b"<</Limits [(node00000000) (node00000002)]\n/Names [(node00000000) 68 0 R (node00000001) 70 0 R"
    tree += b" (node00000002) 93 0 R]>>"
    assert (normalise(one), len(other), tree) == (normalise(other), len(normalise(other)), normalise(one)[-len(tree) :])


def test_normalise_removes_the_print_time_and_renumbers_nodes() -> None:
    """Two prints differing only in time stamps and node counters normalise to the same bytes, same length."""
    first = b"<</CreationDate (D:20261122082424+00'00')\n/ModDate (D:20261122082424+00'00')>>"
    first += b" /ID (node00000906) /ID (node00000911)"
    second = b"<</CreationDate (D:20271231235959+00'00')\n/ModDate (D:20271231235959+00'00')>>"
    second += b" /ID (node00001006) /ID (node00001020)"
    assert normalise(first) == normalise(second)
    assert (len(first), b"/ID (node00000000) /ID (node00000001)") == (
        len(normalise(first)),
        normalise(first)[-37:],
    )
