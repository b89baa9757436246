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

With several server processes the cache must be shared (REDIS_URL): a local-memory
cache is per process, and a bump in one process is not seen by the others.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, StreamingHttpResponse

VERSION_KEY = "khuyencong:public-version"
# Apps whose rows appear on public pages (and the core's documents and units).
WATCHED_APPS = ("khuyencong", "villages", "clusters", "programs")
# Rows that never appear on a public page.
IGNORED_MODELS = ("khuyencong.user", "khuyencong.attachment")


def public_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add(): two processes starting at once agree on the first version.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def public_pages_changed(**kwargs) -> None:
    """Every cached public page is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (first start, eviction, cleared)
        cache.set(VERSION_KEY, 2, timeout=None)


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


def connect_signals() -> None:
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
        cached = cache.get(key)
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


def cached_by_version(key: str, compute):
    """`compute()`, kept in the cache until the data changes (the same version as
    the public pages). For figures that many readers ask for and that cost seconds
    at national size, e.g. the dashboard of a year; the result must pickle."""
    full_key = f"khuyencong:data:{public_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=settings.PUBLIC_CACHE_SECONDS)
    return value
