"""Browser journeys in headless Chromium (Playwright, sync API) against a live test
server on the test database.

Writing a journey:

    pytestmark = pytest.mark.e2e

    def test_something(page, shot, staff_user):
        admin_log_in(page, staff_user.username)
        shot(page, "trang-quan-tri")
        axe(page)

`page` is a desktop-sized page whose base URL is the live server (`page.goto("/")`);
`phone_page` is a 375 px phone. Every console error, uncaught exception, failed
request, HTTP error or request to another host on either page fails the test (declare
an expected one with `page_problems.expect_http_error(403)`).

Three choices worth knowing:

* Reference data. A live server needs a transactional test database, and Django
  empties every table after a transactional test: the administrative units, support
  rules and role groups that data migrations load would be gone. Every test that uses
  the live server is therefore marked `django_db(transaction=True,
  serialized_rollback=True)` here (Django then restores the migrated data before the
  test), and after the last transactional test in a row the data is restored once
  more, so the tests that follow, whatever their order, find the database as
  migrations left it.
* DJANGO_ALLOW_ASYNC_UNSAFE. Playwright's sync API keeps its own asyncio loop marked as
  running in the test thread between calls, so Django would refuse every ORM call made
  by the test (factories, assertions on the data) with SynchronousOnlyOperation. No
  Django code ever runs inside that loop: the test's ORM calls are plain synchronous
  calls made while the loop is suspended, and requests are served by the live server's
  own threads, where the check stays on. So the flag is set only while Playwright runs
  (the package-scoped `browser` fixture) and removed afterwards, which keeps the check
  active for the rest of the suite. The same running loop also makes Django look up
  connections per async context instead of per thread; the fixture pins the
  thread's own connection objects, so the test, the data restoration and (on
  SQLite) the live server all use the one test database connection.
* A missing browser skips the journeys with a message saying how to install it, except
  when E2E_REQUIRED=1 (CI), where it fails them.
"""

import os

import pytest
from django.core.management import call_command
from django.db import connections
from pytest_django.plugin import blocking_manager_key

from tests.e2e.support import (
    CHROMIUM,
    DESKTOP,
    LAUNCH_ARGS,
    PHONE,
    PageProblems,
    browser_unavailable,
    e2e_required,
    screenshot_folder,
)

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
LIVE_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _uses_live_server(item) -> bool:
    return "live_server" in getattr(item, "fixturenames", ())


def _empties_database(item) -> bool:
    """A transactional test: Django empties every table after it."""
    marker = item.get_closest_marker("django_db")
    return (
        _uses_live_server(item)
        or "transactional_db" in getattr(item, "fixturenames", ())
        or bool(marker and marker.kwargs.get("transaction"))
    )


def _restores_data_itself(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _uses_live_server(item) and str(item.path).startswith(
            os.path.dirname(__file__)
        ):
            item.add_marker(pytest.mark.e2e)
            if item.get_closest_marker("django_db") is None:
                item.add_marker(LIVE_DB)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # While the test's fixtures are still up, the connections point at the test
    # database: remember which, to touch nothing else afterwards.
    test_databases = {c.alias: c.settings_dict["NAME"] for c in connections.all()}
    result = yield
    # The transactional test just emptied the tables. Unless the next test restores
    # the migrated data itself, restore it now. After the last test the test
    # database is gone (or kept by --reuse-db, with the settings pointing back at
    # the real database): never touch a database then.
    if (
        _empties_database(item)
        and nextitem is not None
        and not _restores_data_itself(nextitem)
    ):
        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                same_database = (
                    connection.settings_dict["NAME"] == test_databases[connection.alias]
                )
                if contents and same_database:
                    # Without serialized rollback the flush re-ran post_migrate
                    # (role groups, permissions): empty again, quietly, then load.
                    call_command(
                        "flush",
                        database=connection.alias,
                        interactive=False,
                        verbosity=0,
                        inhibit_post_migrate=True,
                        # Sequences stay ahead of the restored rows' ids, as
                        # after Django's own flush between tests.
                        reset_sequences=False,
                    )
                    connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    # The test body passed: it still fails if a page logged an error meanwhile.
    problems = getattr(item, "_e2e_problems", None)
    if problems is not None:
        for page in getattr(item, "_e2e_pages", ()):
            if not page.is_closed():
                page.evaluate("1")  # let events still in flight arrive
        problems.assert_none()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        folder = screenshot_folder(item.nodeid)
        for number, page in enumerate(getattr(item, "_e2e_pages", ()), start=1):
            if page.is_closed():
                continue
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"that-bai-{number}.png"
            try:
                page.screenshot(path=path, full_page=True)
            except Exception as exc:  # noqa: BLE001 - a report must not crash
                report.sections.append(("ảnh chụp", f"không chụp được: {exc}"))
            else:
                report.sections.append(("ảnh chụp", str(path)))
    return report


@pytest.fixture(scope="package")
def browser():
    reason = browser_unavailable()
    if reason:
        if e2e_required():
            pytest.fail(f"{reason} (E2E_REQUIRED=1)", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    # Django keeps connections per thread, but while an asyncio loop is marked running
    # in the thread (as Playwright's is) per async context: the test would get a
    # second connection, without the test database's serialized data (SQLite: to a
    # different in-memory database). Pin the thread's own connections there.
    own_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in own_connections.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=LAUNCH_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page_problems(request, live_server):
    problems = PageProblems(origin=live_server.url)
    request.node._e2e_problems = problems
    request.node._e2e_pages = []
    return problems


def _open_page(request, browser, live_server, problems, **options):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        # No animations: screenshots show the finished state, never a transition.
        reduced_motion="reduce",
        **options,
    )
    context.set_default_timeout(10_000)
    request.addfinalizer(context.close)
    page = context.new_page()
    problems.watch(page)
    request.node._e2e_pages.append(page)
    return page


@pytest.fixture
def open_page(request, browser, live_server, page_problems):
    """open_page() opens another desktop browser (own cookies: another person);
    open_page(phone=True) a phone. Both are watched like `page`."""

    def open_(*, phone: bool = False):
        if phone:
            options = {
                "viewport": PHONE,
                "is_mobile": True,
                "has_touch": True,
                "device_scale_factor": 2,
            }
        else:
            options = {"viewport": DESKTOP}
        return _open_page(request, browser, live_server, page_problems, **options)

    return open_


@pytest.fixture
def page(open_page):
    """A desktop browser tab on the live server."""
    return open_page()


@pytest.fixture
def phone_page(open_page):
    """A phone (375 px, touch, honours <meta name=viewport>) with its own cookies."""
    return open_page(phone=True)


@pytest.fixture
def shot(request):
    """shot(page, "trang-chu") saves a full-page screenshot to
    test-artifacts/screenshots/<module>/<test>/NN-trang-chu.png (numbered in order)."""
    folder = screenshot_folder(request.node.nodeid)
    if folder.exists():
        for old in folder.glob("*.png"):
            old.unlink()
    counter = iter(range(1, 1000))

    def take(page, name: str):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
