"""What a browser journey needs besides the browser: finding Chromium, watching a
page for errors, screenshots, axe-core, logging in through the real forms, and the
phone-width check. The fixtures that use these live in conftest.py beside this file.

Journeys import `expect` from here: without Playwright installed it is None, the suite
still collects, and the journeys skip (or, in CI, fail) with a clear message."""

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

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips (or fails) with the reason
    expect = None

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
    "(hoặc `pip install '.[dev]'`)"
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
        # ERR_ABORTED is the browser cancelling a request itself, e.g. the icon of a
        # page the test has already navigated away from: nothing failed.
        if request.failure and "ERR_ABORTED" in request.failure:
            return
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
    page.goto("/dang-nhap/")
    form = page.locator("main form")
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    expect(page.locator("form[action='/dang-xuat/']")).to_have_count(1)


def admin_log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the Django admin's login page and land on the admin index."""
    page.goto("/admin/login/?next=/admin/")
    form = page.locator("#login-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#logout-form")).to_have_count(1)


def log_out(page) -> None:
    """Log out with the header's button (a POST form, as Django requires)."""
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
        """(screen) => {
            const width = window.innerWidth;
            const wide = [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > screen + 0.5)
                .slice(0, 8)
                .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
                     (typeof e.className === "string" && e.className.trim()
                        ? "." + e.className.trim().split(/\\s+/).join(".") : ""));
            return {
                scrollWidth: document.scrollingElement.scrollWidth,
                innerWidth: width,
                wide,
            };
        }""",
        page.viewport_size["width"],
    )
    # A phone zooms out to show wider content, widening innerWidth with it: compare
    # with the screen the page was opened at, too.
    screen = min(metrics["innerWidth"], page.viewport_size["width"])
    assert metrics["scrollWidth"] <= screen, (
        f"{page.url} cuộn ngang ở bề rộng {screen}px: trang rộng "
        f"{metrics['scrollWidth']}px; phần tử tràn: {', '.join(metrics['wide'])}"
    )


def open_phone_menu(page):
    """Open the header's collapsed menu on a phone and return it, fully open."""
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


# --- files a person uploads and downloads ---------------------------------------


def pdf_file(path: Path, text: str = "Tai lieu thu nghiem") -> Path:
    """Write a small, valid one-page PDF (ASCII text) to `path`."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def xlsx_file(path: Path, headers: list[str], rows: list[list]) -> Path:
    """Write a one-sheet .xlsx with a header row, as staff would fill a template."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def download(page, click) -> tuple[str, bytes]:
    """Run `click()` (e.g. `lambda: page.get_by_role("link", name="Tải CSV").click()`)
    and return the downloaded file's suggested name and content."""
    with page.expect_download() as info:
        click()
    result = info.value
    failure = result.failure()
    assert failure is None, f"Tải tệp {result.url} thất bại: {failure}"
    return result.suggested_filename, Path(result.path()).read_bytes()


def csv_rows(content: bytes) -> list[list[str]]:
    """Rows of a downloaded CSV (UTF-8, with or without BOM, comma or semicolon)."""
    import csv
    import io

    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    return list(csv.reader(io.StringIO(text), dialect))


# --- the Django admin -------------------------------------------------------------


def admin_messages(page) -> list[str]:
    """The texts of the admin's message list (success, warning, error)."""
    return [text.strip() for text in page.locator(".messagelist li").all_inner_texts()]


def admin_errors(page) -> list[str]:
    """Form errors on an admin add/change page: the note and every field error."""
    return [
        text.strip()
        for text in page.locator(".errornote, .errorlist li").all_inner_texts()
    ]


def admin_run_action(page, action_label: str, *, rows: list[str]) -> None:
    """On a changelist: tick the rows whose text contains each of `rows`, choose the
    action by its Vietnamese label and press the form's button."""
    for text in rows:
        row = page.locator("#result_list tbody tr", has_text=text)
        expect(row).to_have_count(1)
        row.locator("input.action-select").check()
    page.locator("#changelist-form select[name=action]").select_option(
        label=action_label
    )
    page.locator("#changelist-form button[name=index]").click()
    page.wait_for_load_state()


def admin_autocomplete(page, field: str, search: str, option: str) -> None:
    """Choose `option` in an admin autocomplete (select2) field by typing `search`."""
    page.locator(f"[aria-labelledby=select2-id_{field}-container]").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()
    expect(page.locator(f"#select2-id_{field}-container")).to_contain_text(option)
