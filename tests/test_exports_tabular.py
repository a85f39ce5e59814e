"""The tracker as CSV and XLSX: formula injection guarded, dates as dates, the workbook byte-identical."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import DemoSite
from openpyxl import load_workbook
from test_trackers import CP, World, case_file, decision_file, example_data, make_world

from generator.exports.tabular import ACTION_HEADERS, actions_csv, guard, tracker_xlsx

AS_OF = date(2026, 11, 25)


@pytest.fixture
def world(tmp_path: Path) -> World:
    """Small repositories built on the project's panels."""
    return make_world(tmp_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_guard(value: str, expected: str) -> None:
    """Text a spreadsheet would read as a formula gets an apostrophe in front; other text is unchanged."""
    assert expected == guard(value)


def hostile(world: World) -> bytes:
    """A world whose one action's text is a formula, as CSV."""
    formula = "=HYPERLINK('http://example.invalid','Click')"
    what = f'\n  - id: a1\n    what: "{formula}"\n    owner: p-nettlebed-kit\n    due: 2026-11-13'
    files = {"cases/100001/case.md": case_file("100001"), CP: decision_file("cp", "2026-11-06", "100001", actions=what)}
    return actions_csv(world(files, AS_OF))


def test_csv_rows_and_formula_injection(world: World) -> None:
    """UTF-8, a header row, one row per action; the formula is written as text."""
    rows = list(csv.reader(io.StringIO(hostile(world).decode("utf-8"))))
    assert list(ACTION_HEADERS) == rows[0]
    assert 2 == len(rows)
    row = dict(zip(ACTION_HEADERS, rows[1], strict=True))
    assert "'=HYPERLINK('http://example.invalid','Click')" == row["What"]
    assert ("2026-11-13", "overdue", "8") == (row["Due date"], row["Status"], row["Working days overdue"])
    assert row["Escalation step reached"].startswith("step 2: group manager")


def test_xlsx_is_byte_identical_and_dated_as_of(tmp_path: Path) -> None:
    """Two builds give the same bytes; the zip entries and the document properties carry the as_of date."""
    first = tracker_xlsx(example_data(tmp_path, AS_OF))
    second = tracker_xlsx(example_data(tmp_path, AS_OF))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "[Content_Types].xml" == infos[0].filename
    assert {(2026, 11, 25, 0, 0, 0)} == {info.date_time for info in infos}
    assert "2026-11-25T00:00:00Z" in core
    assert first != tracker_xlsx(example_data(tmp_path, date(2026, 11, 26)))


def test_xlsx_sheets_headers_and_cells(tmp_path: Path) -> None:
    """Four sheets with bold, frozen header rows; dates are real dates; counts match the trackers."""
    book = load_workbook(io.BytesIO(tracker_xlsx(example_data(tmp_path, AS_OF))))
    assert ["Actions", "Reviews due", "Duties", "Drift radar"] == book.sheetnames
    for sheet in book.worksheets:
        assert "A2" == sheet.freeze_panes
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.max_row >= 2
        assert sheet.column_dimensions["A"].width > 0
    actions = book["Actions"]
    assert list(ACTION_HEADERS) == [c.value for c in actions[1]]
    due = actions.cell(row=2, column=ACTION_HEADERS.index("Due date") + 1)
    assert isinstance(due.value, datetime)
    assert "yyyy-mm-dd" == due.number_format
    overdue = [row for row in actions.iter_rows(min_row=2, values_only=True) if row[9] == "overdue"]
    assert any(row[13] and "group manager" in str(row[13]) for row in overdue)


def test_xlsx_keeps_formulas_as_text(world: World) -> None:
    """A formula in an action's text is stored as a string cell, never as a formula."""
    what = '\n  - id: a1\n    what: "=1+1"\n    owner: p-nettlebed-kit\n    due: 2026-11-13'
    files = {"cases/100001/case.md": case_file("100001"), CP: decision_file("cp", "2026-11-06", "100001", actions=what)}
    sheet = load_workbook(io.BytesIO(tracker_xlsx(world(files, AS_OF))))["Actions"]
    cell = sheet.cell(row=2, column=ACTION_HEADERS.index("What") + 1)
    assert ("'=1+1", "s") == (cell.value, cell.data_type)


def test_demo_site_links_the_downloads(demo_site: DemoSite) -> None:
    """The actions page links the CSV and the workbook, and both are published under trackers/."""
    page = (demo_site.docs / "trackers" / "actions.md").read_text(encoding="utf-8")
    assert "(actions.csv)" in page
    assert "(tracker.xlsx)" in page
    assert (demo_site.site / "trackers" / "actions.csv").read_bytes().startswith(b"Panel,Meeting,Case")
    assert zipfile.is_zipfile(demo_site.site / "trackers" / "tracker.xlsx")
