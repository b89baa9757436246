"""The public report and the dashboard in a browser: the charts are drawn from the
JSON data (no inline script), nothing fails in the console, and the pages pass axe."""

import pytest

from tests.e2e.support import axe, expect, log_in
from tests.khuyencong.world import World

pytestmark = pytest.mark.e2e


def _charts_drawn(page) -> int:
    return page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".filter(c => window.Chart && window.Chart.getChart(c)).length"
    )


def test_visitor_reads_the_annual_report_with_its_charts(page, shot):
    World(year=2018).grow(1)
    World(year=2019).grow(2)
    page.goto("/bao-cao/2019/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kết quả chương trình khuyến công Hà Nội năm 2019"
    )
    expect(page.get_by_test_id("report-text")).to_contain_text("2 lớp truyền nghề")
    assert _charts_drawn(page) == 3
    shot(page, "bao-cao-2019")
    axe(page)


def test_leadership_sees_the_dashboard_charts(page, shot, leadership_user):
    World(year=2018).grow(1)
    World().grow(2)
    log_in(page, leadership_user.username)
    page.goto("/dashboard/")
    expect(page.get_by_test_id("scope")).to_contain_text("Số liệu toàn Thành phố.")
    assert _charts_drawn(page) == 5
    # The category axes name the years and the states, not their positions.
    labels = page.evaluate(
        "window.Chart.getChart(document.querySelector("
        "'canvas[data-chart=chart-equipment]')).scales.x.getLabels()"
    )
    assert labels[0] == "Đăng ký"
    shot(page, "bang-dieu-hanh")
    axe(page)
