"""What a browser journey needs besides the browser: finding Chromium, watching a
page for errors, screenshots, axe-core, logging in through the real forms, and the
phone-width check. The fixtures that use these live in conftest.py beside this file.

Nothing here imports Playwright at module level, so the suite still collects (and the
journeys skip with a clear message) on a machine without it."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from tests.khuyencong.factories import PASSWORD

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Quiet, deterministic Chromium: no sandbox (CI runs as root), no GPU, and none of the
# background traffic (updates, sync, QUIC probes) that would show up as requests.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
MISSING_CHROMIUM = "Chromium không có: cài bằng `apt-get install -y chromium`"
MISSING_PLAYWRIGHT = (
    "Gói Python playwright không có: cài bằng `make install` "
    "(hoặc `pip install -e .[dev]`)"
)
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
AXE_PATH = "vendor/axe-core/axe.min.js"
AXE_FAILING_IMPACTS = ("serious", "critical")


def e2e_required() -> bool:
    """CI sets E2E_REQUIRED=1: there a missing browser fails the run."""
    return os.environ.get("E2E_REQUIRED", "") not in ("", "0")


def browser_unavailable() -> str | None:
    """Why the journeys cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return MISSING_PLAYWRIGHT
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        return MISSING_CHROMIUM
    return None


# --- errors on the page ---------------------------------------------------------


@dataclass
class PageProblems:
    """Everything that went wrong in the test's pages: console errors, uncaught
    exceptions, requests that failed, HTTP errors and requests leaving the test server
    (the portal must work without any outside host). The test fails on any of them,
    unless the test declared it expected with `expect_http_error`."""

    origin: str
    problems: list[str] = field(default_factory=list)
    _expected: list[int] = field(default_factory=list)
    _seen_expected: list[int] = field(default_factory=list)
    _expected_urls: set[str] = field(default_factory=set)

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.problems.append(f"lỗi JavaScript: {exc}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.on("request", self._on_request)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url")
        # Chromium also logs "Failed to load resource" for an expected HTTP error,
        # sometimes after the block that expected it has ended.
        if url in self._expected_urls and "Failed to load resource" in message.text:
            return
        self.problems.append(f"console.error: {message.text} ({url})")

    def _on_request_failed(self, request) -> None:
        self.problems.append(
            f"yêu cầu thất bại: {request.method} {request.url}: {request.failure}"
        )

    def _on_response(self, response) -> None:
        if response.status < 400:
            return
        if response.status in self._expected:
            self._seen_expected.append(response.status)
            self._expected_urls.add(response.url)
            return
        self.problems.append(
            f"HTTP {response.status}: {response.request.method} {response.url}"
        )

    def _on_request(self, request) -> None:
        scheme = urlsplit(request.url).scheme
        if scheme in ("data", "blob", "about"):
            return
        if not request.url.startswith(self.origin):
            self.problems.append(f"yêu cầu ra ngoài máy chủ thử: {request.url}")

    @contextlib.contextmanager
    def expect_http_error(self, status: int) -> Iterator[None]:
        """Inside the block a response with `status` is expected (e.g. a page the user
        may not see); the block fails if none came."""
        self._expected.append(status)
        seen_before = self._seen_expected.count(status)
        try:
            yield
        finally:
            self._expected.remove(status)
        assert self._seen_expected.count(status) > seen_before, (
            f"Đã chờ một phản hồi HTTP {status} nhưng không có."
        )

    def assert_none(self) -> None:
        if self.problems:
            found, self.problems = self.problems, []
            raise AssertionError(
                "Trang có lỗi trong trình duyệt:\n  " + "\n  ".join(found)
            )


# --- screenshots ------------------------------------------------------------------


def screenshot_folder(nodeid: str) -> Path:
    """test-artifacts/screenshots/<module>/<test>/ for a pytest node id."""
    path, _, name = nodeid.partition("::")
    module = Path(path).stem
    safe = re.sub(r"[^\w.-]+", "_", name.replace("::", "."))
    return SCREENSHOT_DIR / module / safe


# --- accessibility ------------------------------------------------------------------


def axe_violations(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations.

    The script is loaded from the portal's own static files (same origin), so a
    Content-Security-Policy of `script-src 'self'` does not need to be relaxed."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"/{settings.STATIC_URL.strip('/')}/{AXE_PATH}")
    return page.evaluate(
        """async (exclude) => {
            const context = exclude.length
                ? {exclude: exclude.map(s => [s])} : document;
            const result = await axe.run(context, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.slice(0, 5).map(n => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            }));
        }""",
        list(exclude),
    )


def axe(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Fail on any serious or critical axe-core violation on the current page; return
    the lesser ones (moderate, minor) for the test to look at if it wants."""
    violations = axe_violations(page, exclude=exclude)
    failing = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
    if failing:
        lines = []
        for v in failing:
            lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"]:
                summary = " ".join((node["summary"] or "").split())
                lines.append(f"    {node['target']}: {summary}")
        raise AssertionError(
            f"axe-core: {len(failing)} vi phạm nghiêm trọng trên {page.url}:\n"
            + "\n".join(lines)
        )
    return [v for v in violations if v["impact"] not in AXE_FAILING_IMPACTS]


# --- logging in through the real forms ------------------------------------------------


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the portal's login page (/dang-nhap/), as a person would."""
    from playwright.sync_api import expect

    page.goto("/dang-nhap/")
    form = page.locator("main form")
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    expect(page.locator("form[action='/dang-xuat/']")).to_have_count(1)


def admin_log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the Django admin's login page and land on the admin index."""
    from playwright.sync_api import expect

    page.goto("/admin/login/?next=/admin/")
    form = page.locator("#login-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#logout-form")).to_have_count(1)


def log_out(page) -> None:
    """Log out with the header's button (a POST form, as Django requires)."""
    from playwright.sync_api import expect

    form = page.locator("form[action='/dang-xuat/'], #logout-form").first
    # At phone width the header's menu is collapsed: submit the form as the button
    # would, without first opening the menu.
    if form.locator("[type=submit]").is_visible():
        form.locator("[type=submit]").click()
    else:
        form.evaluate("f => f.requestSubmit()")
    page.wait_for_load_state()
    expect(page.locator("form[action='/dang-xuat/'], #logout-form")).to_have_count(0)


# --- phone width ------------------------------------------------------------------


def assert_no_horizontal_scroll(page) -> None:
    """At the page's current viewport nothing pushes the page wider than the screen.
    On failure the message names the elements that stick out."""
    metrics = page.evaluate(
        """() => {
            const width = window.innerWidth;
            const wide = [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .slice(0, 8)
                .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
                     (typeof e.className === "string" && e.className.trim()
                        ? "." + e.className.trim().split(/\\s+/).join(".") : ""));
            return {
                scrollWidth: document.scrollingElement.scrollWidth,
                innerWidth: width,
                wide,
            };
        }"""
    )
    assert metrics["scrollWidth"] <= metrics["innerWidth"], (
        f"{page.url} cuộn ngang ở bề rộng {metrics['innerWidth']}px: rộng "
        f"{metrics['scrollWidth']}px; phần tử tràn: {', '.join(metrics['wide'])}"
    )


def open_phone_menu(page):
    """Open the header's collapsed menu on a phone and return it, fully open."""
    from playwright.sync_api import expect

    page.locator("header .navbar-toggler").click()
    menu = page.locator("#nav-main")
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    return menu


def assert_fits_phone(page, path: str) -> None:
    """Open `path` on a phone-sized page (see the `phone_page` fixture) and check it
    neither scrolls sideways nor is laid out wider than the phone."""
    page.goto(path)
    width = page.evaluate("() => window.innerWidth")
    assert width == PHONE["width"], (
        f"{page.url}: bố cục rộng {width}px trên điện thoại {PHONE['width']}px "
        "(thiếu <meta name=viewport>?)"
    )
    assert_no_horizontal_scroll(page)
