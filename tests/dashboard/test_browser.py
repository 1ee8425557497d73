"""The leader dashboard in a real browser: ECharts draws every chart from the API, filters reload it."""

import pytest
from django.conf import settings

from tests.clients import VerifiedClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "main[data-state='ready']"


def log_in(page, live_server, user):
    client = VerifiedClient()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def series_counts(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries(Object.entries(window.minshengDashboard.charts).map(
            ([id, chart]) => [id, chart.getOption().series.length]))"""
    )


def table_codes(page, table) -> list[str]:
    return page.eval_on_selector_all(
        f"#{table} tbody tr td:nth-child(2)", "cells => cells.map(c => c.textContent)"
    )


# Every text ECharts drew (axis labels, names, legends) whose box leaves its chart's canvas: clipped.
CLIPPED = """() => Object.entries(window.minshengDashboard.charts).flatMap(([id, chart]) => {
    const width = chart.getWidth(), height = chart.getHeight();
    return chart.getZr().storage.getDisplayList(true)
        .filter(el => el.type === "text" && !el.ignore && !el.invisible && el.style && el.style.text)
        .map(el => {
            const box = el.getBoundingRect().clone();
            const transform = el.getComputedTransform();
            if (transform) box.applyTransform(transform);
            return {id, text: String(el.style.text), x: box.x, y: box.y,
                    right: box.x + box.width, bottom: box.y + box.height, width, height};
        })
        .filter(b => b.x < -1 || b.y < -1 || b.right > b.width + 1 || b.bottom > b.height + 1);
})"""


def trend_completion(page) -> list:
    return page.evaluate("() => window.minshengDashboard.charts['chart-trend'].getOption().series[0].data")


def test_leader_sees_every_chart_drawn(live_server, browser_page, org, dashboard_data):
    log_in(browser_page, live_server, org.leader)
    browser_page.goto(live_server.url + "/dashboard/?year=2016")
    browser_page.wait_for_selector(READY)
    assert series_counts(browser_page) == {
        "chart-lights": 1,
        "chart-categories": 2,
        "chart-trend": 3,
        "chart-units": 2,
        "chart-funds": 4,
        "chart-funds-months": 2,
    }
    # ECharts drew on a canvas inside each chart's box (no CDN: the script came from static/vendor).
    for chart in (
        "chart-lights",
        "chart-categories",
        "chart-trend",
        "chart-units",
        "chart-funds",
        "chart-funds-months",
    ):
        assert browser_page.locator(f"#{chart} canvas").count() >= 1
    assert browser_page.locator("#kpi-projects").inner_text() == "5"
    assert browser_page.locator("#kpi-lights").inner_text() == "2 / 1 / 2"
    assert table_codes(browser_page, "table-projects") == ["01", "02", "03", "04", "L01"]
    lagging = browser_page.locator("#table-lagging tbody tr")
    assert lagging.count() == 3
    assert "红灯" in lagging.first.inner_text()
    pie = browser_page.evaluate(
        "() => window.minshengDashboard.charts['chart-lights'].getOption().series[0].data.map(d => d.value)"
    )
    assert pie == [2, 1, 2, 0]
    assert browser_page.locator("#kpi-problems").inner_text() == "2"
    assert browser_page.locator("#kpi-overdue-orders").inner_text() == "1"
    assert "超期" in browser_page.locator("#table-orders tbody tr").first.inner_text()
    funds = browser_page.locator("#table-funds tbody tr")
    assert funds.count() == 2
    assert "43.8%" in funds.first.inner_text()
    # January had no report: a gap in the line, not 0%; February is drawn.
    completion = trend_completion(browser_page)
    assert completion[0] is None
    assert completion[1] is not None
    assert browser_page.evaluate(CLIPPED) == []
    assert browser_page.js_errors == []


def test_filters_reload_the_figures(live_server, browser_page, org, dashboard_data):
    log_in(browser_page, live_server, org.staff)
    browser_page.goto(live_server.url + "/dashboard/?year=2016")
    browser_page.wait_for_selector(READY)
    browser_page.select_option("select[name=region]", "371302")
    browser_page.wait_for_function("() => document.querySelector('#kpi-projects').textContent === '1'")
    browser_page.wait_for_selector(READY)
    assert table_codes(browser_page, "table-projects") == ["L01"]
    assert "region=371302" in browser_page.url  # the filtered view can be bookmarked

    browser_page.select_option("select[name=region]", "")
    browser_page.select_option("select[name=category]", "education")
    browser_page.wait_for_function("() => document.querySelector('#kpi-projects').textContent === '2'")
    browser_page.wait_for_selector(READY)
    assert table_codes(browser_page, "table-projects") == ["02", "03"]
    categories = browser_page.evaluate(
        "() => window.minshengDashboard.charts['chart-categories'].getOption().xAxis[0].data"
    )
    assert categories == ["改善教育"]
    assert browser_page.js_errors == []


def test_dashboard_in_a_phone_viewport(live_server, phone_page, org, dashboard_data):
    log_in(phone_page, live_server, org.leader)
    phone_page.goto(live_server.url + "/dashboard/")
    phone_page.wait_for_selector(READY)
    width = phone_page.evaluate("() => document.getElementById('chart-trend').getBoundingClientRect().width")
    assert 300 < width <= 390
    phone_page.goto(live_server.url + "/dashboard/?year=2016")
    phone_page.wait_for_selector(READY)
    assert phone_page.evaluate(CLIPPED) == []
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone_page.js_errors == []
