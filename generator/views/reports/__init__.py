"""Management reports: pure computation over the repository, no rendering.

- `annual_report`: the panel chair's annual report to the senior management team (financial year);
- `lac_reduction_report`: the monthly looked-after children reduction report (12 months).

Every number is a `Figure` that carries the case ids behind it; `Measure` groups figures into a
table with its definition, which the site renders as a chart, a table and the cases behind them.
"""

from generator.views.reports.annual import AnnualReport, annual_report
from generator.views.reports.figures import Figure, Measure, Period, Row, financial_year, months_to
from generator.views.reports.lac import LacReport, lac_reduction_report

__all__ = [
    "AnnualReport",
    "Figure",
    "LacReport",
    "Measure",
    "Period",
    "Row",
    "annual_report",
    "financial_year",
    "lac_reduction_report",
    "months_to",
]
