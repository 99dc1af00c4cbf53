"""The timeline chart's year labels, as Chromium draws them, never overlap: an estimate spanning the
whole range the schema allows (1900 to 2200) on the wide and the narrow drawing."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build_site, copy_fixture, serve
from playwright.sync_api import Browser

WIDE_SPAN = """\
title: 時間軸
title_en: Timeline
base_year: 1900
groups:
  - title: AGI
    title_en: AGI
    estimates:
      - id: whole-range
        label: 1900年から2200年まで
        label_en: From 1900 to 2200
        claim: agi-decade
        quote: 1
        evidence: 10年以上先
        start: 1900
        end: 2200
        derivation: 軸の目盛りの試験のための推定。
        derivation_en: An estimate for testing the axis ticks.
"""


@pytest.fixture(scope="module")
def wide_span_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("wide-span")
    kb = copy_fixture("small", root)
    (kb / "estimates.yaml").write_text(WIDE_SPAN, encoding="utf-8")
    yield from serve(build_site(kb, root / "site"))


LABEL_BOXES = """figure => {
    const svg = figure.querySelector('.kb-chart-svg').getBoundingClientRect();
    const labels = [...figure.querySelectorAll('.kb-chart-axis text')].map(t => t.getBoundingClientRect());
    return {svg: [svg.left, svg.right], labels: labels.map(b => [b.left, b.right, b.width])};
}"""


@pytest.mark.parametrize(("width", "figure"), [(1280, ".kb-figure-wide"), (390, ".kb-figure-narrow")])
def test_year_labels_do_not_overlap(browser: Browser, wide_span_url: str, width: int, figure: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(wide_span_url)
    boxes = page.locator(f"{figure}:has(.kb-chart-svg)").evaluate(LABEL_BOXES)
    context.close()
    labels = sorted(boxes["labels"])
    assert len(labels) >= 4
    assert all(box[2] > 0 for box in labels), "labels are drawn"
    for before, after in itertools.pairwise(labels):
        assert after[0] - before[1] >= 2, f"year labels overlap or touch: {before} {after}"
    assert boxes["svg"][0] <= labels[0][0] and labels[-1][1] <= boxes["svg"][1]


def test_real_chart_keeps_five_year_ticks(real_site: Path) -> None:
    """The real estimates (2025 to 2040) keep their labels every five years."""
    home = (real_site / "index.html").read_text(encoding="utf-8")
    chart = home[home.index('class="kb-chart-svg"'):]
    axis = chart[chart.index('class="kb-chart-axis"'):chart.index("</g>")]
    assert [year for year in ("2025", "2030", "2035", "2040") if f">{year}</text>" in axis] == ["2025", "2030", "2035", "2040"]
