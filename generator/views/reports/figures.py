"""The shapes every management report shares: a figure with the cases behind it, tables of figures, periods."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from generator.schedule.workdays import add_months

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_FINANCIAL_YEAR_START = 4


@dataclass(frozen=True, slots=True)
class Figure:
    """One number in a report, and the cases it counts."""

    label: str
    """What is counted, in words (plain text)."""
    value: int
    """The number."""
    cases: tuple[str, ...]
    """The case ids behind the number, sorted, each once (a case may count more than once in `value`)."""
    detail: tuple[str, ...] = ()
    """Anything else that identifies what was counted, such as meeting dates (plain text)."""


def figure(label: str, case_ids: Iterable[str], detail: Iterable[str] = ()) -> Figure:
    """A figure counting each of `case_ids` (repeats count again), with the distinct cases listed."""
    ids = list(case_ids)
    return Figure(label, len(ids), tuple(sorted(set(ids))), tuple(sorted(set(detail))))


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a table: a label and one figure per column."""

    label: str
    """The row's label (plain text)."""
    figures: tuple[Figure, ...]
    """One figure per column of the measure."""


def row(
    label: str, columns: Sequence[str], groups: Sequence[Iterable[str]], details: Sequence[Iterable[str]] = ()
) -> Row:
    """A row whose figures count `groups[i]` under `columns[i]`; figures are labelled "row: column"."""
    extra = list(details) or [()] * len(columns)
    figures = tuple(
        figure(f"{label}: {column}" if len(columns) > 1 else label, ids, more)
        for column, ids, more in zip(columns, groups, extra, strict=True)
    )
    return Row(label, figures)


@dataclass(frozen=True, slots=True)
class Measure:
    """A table of figures with its definition: what the report shows under one heading."""

    key: str
    """A short id, unique within its report (used for chart file names)."""
    title: str
    """The heading."""
    definition: str
    """What is counted and how, stated on the page."""
    row_heading: str
    """The heading of the label column."""
    columns: tuple[str, ...]
    """The headings of the figure columns."""
    rows: tuple[Row, ...]
    """The rows, in order."""
    total: Row | None = None
    """A total row, where adding up the rows means something."""

    def figures(self) -> tuple[Figure, ...]:
        """Every figure of the rows (not the total), row by row."""
        return tuple(f for r in self.rows for f in r.figures)

    def column(self, index: int) -> tuple[tuple[str, int], ...]:
        """(row label, value) of one column, row by row: what a chart of that column draws."""
        return tuple((r.label, r.figures[index].value) for r in self.rows)

    def totals(self) -> tuple[tuple[str, int], ...]:
        """(column heading, total) for each column; empty without a total row."""
        if self.total is None:
            return ()
        return tuple((c, f.value) for c, f in zip(self.columns, self.total.figures, strict=True))


def total_row(columns: Sequence[str], rows: Sequence[Row], label: str = "Total") -> Row:
    """The column-by-column sum of `rows`, with every case of each column."""
    figures = []
    for index, column in enumerate(columns):
        cells = [r.figures[index] for r in rows]
        cases = sorted({case for cell in cells for case in cell.cases})
        detail = sorted({d for cell in cells for d in cell.detail})
        figures.append(Figure(f"{label}: {column}", sum(c.value for c in cells), tuple(cases), tuple(detail)))
    return Row(label, tuple(figures))


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period; a report made before its end covers it to `as_of` only."""

    label: str
    """The period's name ("2026/27", "November 2026")."""
    start: date
    """First day."""
    end: date
    """Last day of the whole period."""
    as_of: date
    """The date the report describes."""

    @property
    def to(self) -> date:
        """The last day the report covers: the period's end, or `as_of` if earlier."""
        return min(self.end, self.as_of)

    @property
    def partial(self) -> bool:
        """Whether the period was still running on `as_of`."""
        return self.as_of < self.end

    def holds(self, day: date) -> bool:
        """Whether `day` falls in the part of the period the report covers (start to `to`)."""
        return self.start <= day <= self.to

    def spans(self, day: date) -> bool:
        """Whether `day` falls anywhere in the whole period, after `as_of` included."""
        return self.start <= day <= self.end


def financial_year(as_of: date) -> Period:
    """The financial year (1 April to 31 March) that contains `as_of`, labelled "2026/27"."""
    first = as_of.year if as_of.month >= _FINANCIAL_YEAR_START else as_of.year - 1
    return Period(f"{first}/{(first + 1) % 100:02d}", date(first, 4, 1), date(first + 1, 3, 31), as_of)


def month_of(day: date, as_of: date) -> Period:
    """The calendar month that contains `day`, labelled "November 2026"."""
    start = day.replace(day=1)
    end = add_months(start, 1) - timedelta(days=1)
    return Period(f"{_MONTH_NAMES[start.month - 1]} {start.year}", start, end, as_of)


def months_to(as_of: date, count: int = 12) -> tuple[Period, ...]:
    """The `count` calendar months ending with the one that contains `as_of`, oldest first."""
    first = add_months(as_of.replace(day=1), 1 - count)
    return tuple(month_of(add_months(first, i), as_of) for i in range(count))


def short_month(period: Period) -> str:
    """A month's label in three letters and the year ("Nov 2026"), for chart axes."""
    return f"{period.label[:3]} {period.start.year}"


def whole_months(start: date, end: date) -> int:
    """Complete calendar months from `start` to `end` (a month from 31 January is 28 or 29 February)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True, slots=True)
class Band:
    """A range of lengths of time in whole months."""

    label: str
    """The band in words."""
    low: int
    """Fewest whole months in the band."""
    high: int | None
    """Whole months the band stops short of (None: no upper limit)."""

    def holds(self, months: int) -> bool:
        """Whether a length of `months` whole months falls in the band."""
        return self.low <= months and (self.high is None or months < self.high)


LENGTH_BANDS = (
    Band("Under 3 months", 0, 3),
    Band("3 months to under 6", 3, 6),
    Band("6 months to under 12", 6, 12),
    Band("12 months to under 24", 12, 24),
    Band("24 months or more", 24, None),
)
"""How lengths of time (plans, time to permanence) are grouped: the bands the DfE's statistics use, by whole months."""


def band_of(start: date, end: date, bands: Sequence[Band] = LENGTH_BANDS) -> Band:
    """The band the time from `start` to `end` falls in."""
    months = whole_months(start, end)
    return next(b for b in bands if b.holds(months))


def median(values: Sequence[int]) -> float | None:
    """The median of `values` (None for none)."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2
