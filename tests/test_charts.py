"""The static SVG charts: valid XML, accessible, escaped, self-contained and deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

import pytest

from generator.site.charts import Bar, bar_chart, column_chart, shorten

SVG = "{http://www.w3.org/2000/svg}"
Draw = Callable[[str, str, Sequence[Bar]], str]
DRAWS: list[Draw] = [bar_chart, column_chart]
HOSTILE = [
    "<script>alert(1)</script>",
    "Quote \" and apostrophe ' & ampersand",
    "]]> end of CDATA <![CDATA[",
    "<!-- comment -->",
    "Control \x00\x08\x1b characters",
    "&amp; already escaped",
    "xlink:href=javascript:alert(2)",
]


def parse(svg: str) -> ET.Element:
    """The chart parsed back (without its XML declaration)."""
    return ET.fromstring(svg.split("\n", 1)[1])  # noqa: S314 - the charts this project draws, not outside input


def texts(root: ET.Element) -> list[str]:
    """The text of every `<text>` element, in document order."""
    return [element.text or "" for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("draw", DRAWS)
def test_chart_is_valid_accessible_svg(draw: Draw) -> None:
    """The chart parses as SVG with role img, a title and a description, first among its children."""
    root = parse(draw("Cases heard", "Bars by panel", [Bar("CDM", 3), Bar("CMR", 5)]))
    children = [child.tag for child in root][:2]
    assert (f"{SVG}svg", "img", [f"{SVG}title", f"{SVG}desc"]) == (root.tag, root.get("role"), children)
    assert ("Cases heard", "Bars by panel") == (root.findtext(f"{SVG}title"), root.findtext(f"{SVG}desc"))


@pytest.mark.parametrize("draw", DRAWS)
def test_every_value_is_written_as_text(draw: Draw) -> None:
    """Each bar's number is written on the chart, not only drawn as a length."""
    bars = [Bar("One", 1), Bar("Seven", 7), Bar("Forty-two", 42)]
    written = texts(parse(draw("Numbers", "Three bars", bars)))
    assert all(str(bar.value) in written for bar in bars)


@pytest.mark.parametrize("draw", DRAWS)
@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_are_escaped(draw: Draw, label: str) -> None:
    """Markup in labels and titles stays text: the SVG parses and holds no element but its own."""
    svg = draw(label, label, [Bar(label, 2)])
    root = parse(svg)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "title", "desc", "rect", "text", "line", "g"}
    assert "<script" not in svg
    expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", label)
    assert re.sub(r"\s+", " ", expected).strip() == root.findtext(f"{SVG}title")


@pytest.mark.parametrize("draw", DRAWS)
def test_zero_values_draw_empty_bars(draw: Draw) -> None:
    """All-zero figures draw bars of no length, each still labelled 0."""
    root = parse(draw("Nothing", "All zero", [Bar("A", 0), Bar("B", 0)]))
    sizes = [rect.get("width" if draw is bar_chart else "height") for rect in root.iter(f"{SVG}rect")][1:]
    assert (["0", "0"], 2) == (sizes, texts(root).count("0"))


@pytest.mark.parametrize("draw", DRAWS)
def test_single_value_fills_the_plot(draw: Draw) -> None:
    """One bar takes the whole length of the plot and is labelled with its value."""
    root = parse(draw("One", "Single", [Bar("Only", 9)]))
    bars = list(root.iter(f"{SVG}rect"))[1:]
    assert 1 == len(bars)
    assert float(bars[0].get("width" if draw is bar_chart else "height") or 0) > 100
    assert "9" in texts(root)


@pytest.mark.parametrize("draw", DRAWS)
def test_no_bars_says_so(draw: Draw) -> None:
    """A chart with nothing to draw says so in words."""
    assert "No figures to show" in texts(parse(draw("Empty", "No bars", [])))


@pytest.mark.parametrize("draw", DRAWS)
def test_no_script_or_external_reference(draw: Draw) -> None:
    """The only URL in a chart is the SVG namespace; no script, link, stylesheet or font is referenced."""
    svg = draw("Title", "Description", [Bar("https://evil.example/x.png", 1)])
    root = parse(svg)
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not {a for a in attributes if a.endswith("href") or a in ("src", "style")}
    assert ["http://www.w3.org/2000/svg"] == re.findall(r'"(https?://[^"]*)"', svg)
    assert not re.search(r"<script|<style|<image|<use|<foreignObject|url\(|@import|@font-face", svg)


@pytest.mark.parametrize("draw", DRAWS)
def test_output_is_deterministic(draw: Draw) -> None:
    """The same figures give the same bytes."""
    bars = [Bar(f"Label {n}", n * 3) for n in range(12)]
    assert draw("Same", "Same", bars) == draw("Same", "Same", list(bars))


def test_long_labels_are_shortened_on_the_chart_but_kept_in_the_bar_title() -> None:
    """A long label is cut with an ellipsis where drawn; the bar's tooltip title has it in full."""
    label = "A very long request type name " * 4
    root = parse(bar_chart("Long", "Long labels", [Bar(label, 1)]))
    group_title = root.find(f"{SVG}g/{SVG}title")
    assert group_title is not None and label.strip() in (group_title.text or "")
    assert shorten(label) in texts(root)
    assert shorten(label).endswith("…")


def test_column_labels_wrap_onto_two_lines() -> None:
    """Month labels under columns wrap at a space rather than running into the next column."""
    root = parse(column_chart("Months", "By month", [Bar("November 2026", 1)]))
    assert {"November", "2026"} <= set(texts(root))
