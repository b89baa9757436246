"""The journeys are only as trustworthy as their guards: these prove that a console
error, a failed or outside request, an accessibility violation or a page wider than a
phone does fail a test, and that a missing browser says how to install it."""

import pytest

from tests.e2e import support
from tests.e2e.support import assert_fits_phone, axe


@pytest.mark.e2e
def test_page_guard_catches_console_errors_http_errors_and_outside_hosts(
    page, page_problems
):
    page.goto("/")
    page.evaluate("() => console.error('lỗi ghi ra console')")
    page.evaluate("() => fetch('/khong-co-trang-nay/')")
    page.evaluate(
        "() => { const i = document.createElement('img');"
        " i.src = 'http://example.invalid/anh.png'; document.body.append(i); }"
    )
    page.evaluate("() => { setTimeout(() => { throw new Error('lỗi chưa bắt'); }); }")
    page.evaluate("() => new Promise(done => setTimeout(done, 50))")

    with pytest.raises(AssertionError) as failure:
        page_problems.assert_none()

    message = str(failure.value)
    assert "console.error: lỗi ghi ra console" in message
    assert "HTTP 404: GET " in message and "/khong-co-trang-nay/" in message
    assert "example.invalid/anh.png" in message
    assert "lỗi JavaScript: lỗi chưa bắt" in message
    page_problems.assert_none()  # reported once, then cleared


@pytest.mark.e2e
def test_an_expected_http_error_passes_only_if_it_happens(page, page_problems):
    with page_problems.expect_http_error(404):
        page.goto("/khong-co-trang-nay/")
    page.goto("/")
    page_problems.assert_none()

    with pytest.raises(AssertionError, match="HTTP 404"):
        with page_problems.expect_http_error(404):
            page.goto("/")


@pytest.mark.e2e
def test_axe_fails_on_serious_accessibility_violations(page):
    page.goto("/")
    axe(page)
    page.evaluate(
        "() => { const i = document.createElement('img');"
        " i.src = '/static/img/favicon.svg'; document.querySelector('main').append(i);"
        " document.querySelector('main').append(document.createElement('button')); }"
    )

    with pytest.raises(AssertionError) as failure:
        axe(page)

    assert "[critical] image-alt" in str(failure.value)
    assert "[critical] button-name" in str(failure.value)


@pytest.mark.e2e
def test_phone_check_names_the_element_that_sticks_out(phone_page):
    assert_fits_phone(phone_page, "/")
    phone_page.evaluate(
        "() => { const d = document.createElement('div'); d.id = 'qua-rong';"
        " d.style.width = '600px'; d.textContent = 'rộng';"
        " document.querySelector('main').append(d); }"
    )

    with pytest.raises(AssertionError, match="div#qua-rong"):
        support.assert_no_horizontal_scroll(phone_page)


def test_missing_chromium_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(support, "CHROMIUM", "/khong-co/chromium")

    assert support.browser_unavailable() in (
        "Chromium không có: cài bằng `apt-get install -y chromium`",
        support.MISSING_PLAYWRIGHT,
    )


@pytest.mark.parametrize(
    ("value", "required"), [(None, False), ("", False), ("0", False), ("1", True)]
)
def test_e2e_required_only_when_the_environment_says_so(monkeypatch, value, required):
    if value is None:
        monkeypatch.delenv("E2E_REQUIRED", raising=False)
    else:
        monkeypatch.setenv("E2E_REQUIRED", value)

    assert support.e2e_required() is required
