"""The reports area of the site: the chair's annual report and the monthly LAC reduction report.

The figures come from `generator.views.reports`; this module draws each chart as an `.svg` file next to the
page (shown with a Markdown image, so MkDocs checks the path in strict mode and it prints as vector
graphics) and renders the pages, where every figure is also in a table with the cases behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from generator.pipeline.workspace import Workspace
from generator.site.charts import Bar, bar_chart, column_chart
from generator.site.pages import Asset, NavItem, NavLink, NavSection, Page, Safe
from generator.site.paths import case_page, has_case_page, relative_link
from generator.site.sanitise import escape_markdown
from generator.site.templates import PageBuilder, Renderer
from generator.views.reports import AnnualReport, LacReport, Measure, annual_report, lac_reduction_report
from generator.views.reports.annual import LIMITATIONS as ANNUAL_LIMITATIONS
from generator.views.reports.figures import short_month
from generator.views.reports.lac import LAC_REDUCTION
from generator.views.reports.lac import LIMITATIONS as LAC_LIMITATIONS

ANNUAL = "reports/annual.md"
"""The chair's annual report page."""
LAC = "reports/lac-reduction.md"
"""The monthly LAC reduction report page."""
CHARTS = "reports/charts"
"""Where the charts' SVG files go."""


@dataclass(frozen=True, slots=True)
class _Chart:
    """A chart to draw for a measure: its file and the bars."""

    key: str
    """The measure the chart belongs to (a measure may have more than one chart)."""
    title: str
    bars: tuple[Bar, ...]
    columns: bool = False
    part: str = ""
    """Tells apart the file names of a measure's charts."""


def annual_data(data: Workspace) -> AnnualReport:
    """The annual report's figures, computed once per build."""
    return data.view(_annual_view)


def _annual_view(data: Workspace) -> AnnualReport:
    return annual_report(
        data.repo,
        as_of=data.as_of,
        calendar=data.calendar,
        diagnostics=data.diagnostics,
        arrivals=data.arrivals,
    )


def lac_data(data: Workspace) -> LacReport:
    """The LAC reduction report's figures, computed once per build."""
    return data.view(_lac_view)


def _lac_view(data: Workspace) -> LacReport:
    return lac_reduction_report(data.repo, as_of=data.as_of)


def _rows(measure: Measure, column: int = 0) -> tuple[Bar, ...]:
    return tuple(Bar(label, value) for label, value in measure.column(column))


def _totals(measure: Measure) -> tuple[Bar, ...]:
    return tuple(Bar(label, value) for label, value in measure.totals())


def _draw(prefix: str, chart: _Chart, description: str) -> Asset:
    draw = column_chart if chart.columns else bar_chart
    svg = draw(chart.title, description, chart.bars)
    name = f"{prefix}-{chart.key}-{chart.part}" if chart.part else f"{prefix}-{chart.key}"
    return Asset(f"{CHARTS}/{name}.svg", svg.encode("utf-8"))


def _images(page: str, prefix: str, charts: Sequence[_Chart]) -> tuple[list[Asset], dict[str, Safe]]:
    """Each chart as an SVG file, and the Markdown images that show a measure's charts on `page`, by measure key."""
    assets: list[Asset] = []
    images: dict[str, list[str]] = {}
    for chart in charts:
        kind = "Column chart" if chart.columns else "Bar chart"
        alt = f"{kind}: {chart.title}. The same figures are in the table below."
        asset = _draw(prefix, chart, f"{kind}; each bar is labelled with its number. {chart.title}.")
        assets.append(asset)
        images.setdefault(chart.key, []).append(f"![{escape_markdown(alt)}]({relative_link(page, asset.path)})")
    return assets, {key: Safe("\n\n".join(markdown)) for key, markdown in images.items()}


def _case_links(data: Workspace, page: str) -> Callable[[Iterable[str]], Safe]:
    """Links from `page` to each case's page (plain text for a case that has no page)."""

    def links(case_ids: Iterable[str]) -> Safe:
        parts = [
            f"[{escape_markdown(case_id)}]({relative_link(page, case_page(case_id))})"
            if has_case_page(data, case_id)
            else escape_markdown(case_id)
            for case_id in case_ids
        ]
        return Safe(", ".join(parts))

    return links


def percent(part: int, whole: int) -> str:
    """`part` of `whole` as a whole percentage ("25%"); "0%" when `whole` is 0."""
    return f"{round(100 * part / whole)}%" if whole else "0%"


def days(value: float | None) -> str:
    """A number of days in words ("6 days", "12.5 days"); "no days" for None."""
    if value is None:
        return "no days"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} day" + ("" if text == "1" else "s")


def _annual_charts(report: AnnualReport) -> list[_Chart]:
    return [
        _Chart(report.heard.key, "Cases heard by panel", _rows(report.heard)),
        _Chart(report.outcome_kinds.key, "Outcomes by kind", _rows(report.outcome_kinds)),
        _Chart(report.referrals.key, "Referrals by timeliness", _totals(report.referrals)),
        _Chart(report.decision_sheets.key, "Decision sheets on the child's record", _totals(report.decision_sheets)),
        _Chart(report.minutes.key, "Minutes duties, by timeliness", _totals(report.minutes)),
        _Chart(report.deferrals.key, "Cases deferred, by panel", _rows(report.deferrals, 1)),
        _Chart(report.repeats.key, "Referrals and repeat referrals", _totals(report.repeats)),
        _Chart(report.plans.started.key, "Child protection plans started", _rows(report.plans.started)),
        _Chart(report.plans.ended.key, "Length of child protection plans that ended", _rows(report.plans.ended)),
        _Chart(report.plans.open.key, "Open child protection plans, length so far", _rows(report.plans.open)),
        _Chart(report.care.entered.key, "Children entering care under section 20", _rows(report.care.entered)),
        _Chart(report.care.permanence.key, "Time to permanence (reached in the period)", _rows(report.care.permanence)),
    ]


def _annual(r: Renderer) -> Iterator[Page | Asset]:
    report = annual_data(r.data)
    assets, images = _images(ANNUAL, "annual", _annual_charts(report))
    yield from assets
    yield r.page(
        "report_annual.md.j2",
        ANNUAL,
        f"Chair's annual report {report.period.label}",
        report=report,
        images=images,
        cases=_case_links(r.data, ANNUAL),
        percent=percent,
        days=days,
        limitations=ANNUAL_LIMITATIONS,
        case_page=case_page,
        lac_page=LAC if has_lac_report(r.data) else None,
    )


def _lac_charts(report: LacReport) -> list[_Chart]:
    def months(measure: Measure, column: int) -> tuple[Bar, ...]:
        return tuple(
            Bar(short_month(m), r.figures[column].value) for m, r in zip(report.months, measure.rows, strict=True)
        )

    charts = [
        _Chart(m.key, f"{m.title}: children considered, month by month", months(m, 0), True) for m in report.routes
    ]
    charts += [
        _Chart(report.events.key, f"{column}, month by month", months(report.events, index), True, str(index + 1))
        for index, column in enumerate(report.events.columns)
    ]
    return charts


def has_lac_report(data: Workspace) -> bool:
    """Whether the site has the LAC reduction report: not in a site for an audience that may not see that panel."""
    panels = data.audience.panels
    return panels is None or LAC_REDUCTION in panels


def _lac(r: Renderer) -> Iterator[Page | Asset]:
    if not has_lac_report(r.data):
        return
    report = lac_data(r.data)
    assets, images = _images(LAC, "lac", _lac_charts(report))
    yield from assets
    yield r.page(
        "report_lac.md.j2",
        LAC,
        "Looked-after children reduction report",
        report=report,
        images=images,
        cases=_case_links(r.data, LAC),
        limitations=LAC_LIMITATIONS,
        case_page=case_page,
        annual_page=ANNUAL,
    )


BUILDERS: tuple[PageBuilder, ...] = (_annual, _lac)
"""The builders of this area's pages and files."""


def nav(data: Workspace) -> tuple[NavItem, ...]:
    """This area's navigation entries: the two reports."""
    links = (NavLink("Chair's annual report", ANNUAL), NavLink("LAC reduction report", LAC))
    return (NavSection("Reports", links if has_lac_report(data) else links[:1]),)
