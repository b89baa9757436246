"""Caching of the public pages, invalidated when data changes.

Public pages (the annual report, the public lists and their exports) are the same for
every visitor and are read far more often than the registers change, so a rendered
page is kept in the cache under a key that carries a *version*. Any save or delete of
a row in the domain apps bumps the version (one `incr` on the cache), so the next
request renders again from the database: a change shows up at once, and nothing has
to know which page shows which row.

What does not send Django's signals — `QuerySet.update()`, `bulk_create()`, raw SQL —
must call `public_pages_changed()` itself (seed_scale does). Workflow steps always
write a WorkflowLog row, which bumps the version. `PUBLIC_CACHE_SECONDS` bounds how old
a page can ever be, whatever happens.

A change bumps the version at once and again when its transaction commits: a page
read between the two (showing the rows as they were before the commit) is cached
under the first bump, and the second makes it stale.

The public downloads (whole registers as CSV and .xlsx) cost 30–260 ms to build at
national size. After a request that changed data has sent its response, the same
worker builds them for the new version (`warm_public_downloads`), so that the next
visitor gets them from the cache; after a burst of changes, the first request once
PUBLIC_WARM_MIN_SECONDS have passed builds the last version. `manage.py
warm_public_cache` does it by hand (after an import from the command line, say).
On a quiet site they are built again before PUBLIC_CACHE_SECONDS drops them, and
after the cache was emptied the first request builds them (`_warm_after_request`).
Warming is only ever a head start: a download not warmed is built on request, from
the database, as before.

With several server processes the cache must be shared (REDIS_URL): a local-memory
cache is per process, and a bump in one process is not seen by the others.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse

logger = logging.getLogger(__name__)

VERSION_KEY = "khuyencong:public-version"
# Apps whose rows appear on public pages (and the core's documents and units).
WATCHED_APPS = ("khuyencong", "villages", "clusters", "programs")
# Rows that never appear on a public page.
IGNORED_MODELS = ("khuyencong.user", "khuyencong.attachment")
# The public downloads built ahead after a change: each list, in each format.
WARM_URL_NAMES = (
    "public-clusters",
    "public-villages",
    "public-projects",
    "public-events",
)
WARM_FORMATS = ("csv", "xlsx")

_pending = threading.local()  # this thread's request changed data
_looked = threading.local()  # when this thread last read WARM_PENDING_KEY
# A change whose version is not built ahead yet (see _warm_after_request).
WARM_PENDING_KEY = "khuyencong:warm-pending"
# Present while the downloads built ahead are younger than refresh_seconds().
REFRESHED_KEY = "khuyencong:refreshed-recently"
# Other figures built ahead with the downloads (the leadership dashboard of the
# current plan year: khuyencong.views registers it): each is called with
# rebuild=True and must then compute its figures again, not read them.
WARMERS: list = []


def warms(function):
    """Register `function` to run when the public downloads are built ahead."""
    WARMERS.append(function)
    return function


def public_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add(): two processes starting at once agree on the first version.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (first start, eviction, cleared)
        cache.set(VERSION_KEY, 2, timeout=None)


def public_pages_changed(**kwargs) -> None:
    """Every cached public page is stale from now on, and again once the current
    transaction commits (one bump per transaction, however many rows it saved)."""
    _bump()
    _pending.warm = True
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is _bump for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(_bump)


def _watched(sender) -> bool:
    opts = getattr(sender, "_meta", None)
    if opts is None or opts.app_label not in WATCHED_APPS:
        return False
    if opts.label_lower in IGNORED_MODELS:
        return False
    # Each historical row comes with a save of the row itself.
    return not opts.model_name.startswith("historical")


def _on_change(sender, **kwargs) -> None:
    if _watched(sender):
        public_pages_changed()


def _on_m2m(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        public_pages_changed()


def _warm_after_request(sender, **kwargs) -> None:
    """After a request that changed data, build the downloads for the new version,
    at most once every PUBLIC_WARM_MIN_SECONDS across processes. A change inside
    that window leaves its version *pending*: the first request of anyone after
    the window builds it, so the end of a burst of saves is built ahead too, not
    left to the next visitor.

    With nothing changed, the downloads are built again once they are
    `refresh_seconds()` old, before PUBLIC_CACHE_SECONDS drops them, and after
    the cache was emptied (a Redis restart): a site with any traffic keeps them
    built. A request that changed nothing reads the cache for this at most once
    every PUBLIC_WARM_CHECK_SECONDS in each worker thread (static files and
    health checks come through here too)."""
    changed = getattr(_pending, "warm", False)
    _pending.warm = False
    if not settings.PUBLIC_WARM_AFTER_CHANGE:
        return
    if changed:
        cache.set(
            WARM_PENDING_KEY, True, timeout=max(settings.PUBLIC_CACHE_SECONDS, 60)
        )
    else:
        now = time.monotonic()
        if now < getattr(_looked, "next", 0.0):
            return
        _looked.next = now + settings.PUBLIC_WARM_CHECK_SECONDS
        found = cache.get_many([WARM_PENDING_KEY, REFRESHED_KEY])
        if not found.get(WARM_PENDING_KEY):
            refresh = refresh_seconds()
            if (
                refresh
                and REFRESHED_KEY not in found
                and cache.add(REFRESHED_KEY, True, timeout=refresh)
            ):
                warm_public_downloads()
            return
    if cache.add(
        "khuyencong:warmed-recently", True, timeout=settings.PUBLIC_WARM_MIN_SECONDS
    ):
        # Cleared before the version is read: a change committed from here on
        # sets it again.
        cache.delete(WARM_PENDING_KEY)
        refresh = refresh_seconds()
        if refresh:
            cache.set(REFRESHED_KEY, True, timeout=refresh)
        warm_public_downloads()


def refresh_seconds() -> int | None:
    """How old the downloads built ahead get before they are built again: four
    fifths of PUBLIC_CACHE_SECONDS, so they are replaced before they expire. None
    (no refresh) when pages are kept less than a minute."""
    if settings.PUBLIC_CACHE_SECONDS < 60:
        return None
    return settings.PUBLIC_CACHE_SECONDS * 4 // 5


def warm_public_downloads() -> int:
    """Build every public download (and what WARMERS build) for the current data
    version into the cache, whether the cache holds them or not (each is then kept
    PUBLIC_CACHE_SECONDS from now), unless another process is already at it; stop
    if the data changes meanwhile. Returns how many downloads were built."""
    version = public_version()
    lock = f"khuyencong:warming:{version}"
    if not cache.add(lock, True, timeout=300):
        return 0
    try:
        return _build_downloads(version)
    finally:
        cache.delete(lock)


def _build_downloads(version: int) -> int:
    from django.contrib.auth.models import AnonymousUser
    from django.urls import resolve, reverse

    built = 0
    for name in WARM_URL_NAMES:
        for fmt in WARM_FORMATS:
            if public_version() != version:
                return built
            path = reverse(name)
            request = HttpRequest()
            request.method = "GET"
            request.path = request.path_info = path
            request.META = {
                "QUERY_STRING": f"tai={fmt}",
                "SERVER_NAME": "localhost",
                "SERVER_PORT": "80",
            }
            request.GET = QueryDict(f"tai={fmt}")
            request.user = AnonymousUser()
            request.rebuild_public_cache = True
            match = resolve(path)
            try:
                response = match.func(request, *match.args, **match.kwargs)
                if response.streaming:
                    for _ in response.streaming_content:  # kept once complete
                        pass
                built += response.status_code == 200
            except Exception:  # a head start only: never break the request
                logger.exception("Không dựng trước được tệp tải về %s", path)
    for warmer in WARMERS:
        if public_version() != version:
            break
        try:
            warmer(rebuild=True)
        except Exception:
            logger.exception("Không dựng trước được %s", warmer.__name__)
    return built


def connect_signals() -> None:
    request_finished.connect(
        _warm_after_request, dispatch_uid="khuyencong-public-cache-warm"
    )
    post_save.connect(_on_change, dispatch_uid="khuyencong-public-cache-save")
    post_delete.connect(_on_change, dispatch_uid="khuyencong-public-cache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="khuyencong-public-cache-m2m")


def cache_public_page(view):
    """Cache a public view's successful GET responses (streamed ones included),
    keyed by the data version and the full path with its query string. Only for
    anonymous visitors: a signed-in user's page carries their name and a CSRF token
    in the header, which must never be served to anyone else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        version = public_version()
        key = f"khuyencong:public:{version}:{request.get_full_path()}"
        # Built again ahead of expiry (warm_public_downloads): not read first.
        rebuild = getattr(request, "rebuild_public_cache", False)
        cached = None if rebuild else cache.get(key)
        if cached is not None:
            content, headers, streaming = cached
            # A streamed export stays streamed (one chunk): same response type
            # whether it came from the cache or not.
            response = (
                StreamingHttpResponse([content])
                if streaming
                else (HttpResponse(content))
            )
            for name, value in headers:
                response[name] = value
            response["X-Cache-Version"] = str(version)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if hasattr(response, "render") and callable(response.render):
            response.render()
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("set-cookie", "vary")
        ]
        if response.streaming:
            # Sent as it is made (the first bytes leave at once), kept whole in
            # the cache once the last piece is out; a download cut short is not
            # kept.
            response.streaming_content = _kept_when_complete(
                response.streaming_content, key, headers
            )
        else:
            cache.set(
                key,
                (response.content, headers, False),
                timeout=settings.PUBLIC_CACHE_SECONDS,
            )
        response["X-Cache-Version"] = str(version)
        return response

    return wrapper


def _kept_when_complete(pieces, key, headers):
    kept = []
    for piece in pieces:
        kept.append(piece)
        yield piece
    cache.set(
        key, (b"".join(kept), headers, True), timeout=settings.PUBLIC_CACHE_SECONDS
    )


def cached_by_version(key: str, compute, *, rebuild: bool = False):
    """`compute()`, kept in the cache until the data changes (the same version as
    the public pages). For figures that many readers ask for and that cost seconds
    at national size, e.g. the dashboard of a year; the result must pickle. With
    `rebuild`, computed and kept again whatever the cache holds."""
    full_key = f"khuyencong:data:{public_version()}:{key}"
    value = None if rebuild else cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=settings.PUBLIC_CACHE_SECONDS)
    return value
