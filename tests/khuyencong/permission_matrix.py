"""The permission matrix: what each role gets from every URL of the site.

`test_permission_matrix.py` walks the URL configuration (admin included) and
requests every URL as each role. Where the answer comes from:

- URLS: an explicit entry per URL name (or, for an unnamed pattern, its route),
  with the expected outcome per role, and how to fill the URL's parameters from
  the objects the test creates (`Objects`).
- Model admin URLs (`admin:<app>_<model>_<action>`) need no entry: their outcome
  is derived from the role's permissions (khuyencong/roles.py) by ADMIN_ACTIONS,
  and their object is made by the model's factory in tests/<app>/factories.py
  (found automatically) or by OBJECT_MAKERS. An admin that restricts more than
  the permissions do gets an explicit URLS entry, which wins.

A new URL with neither fails `test_every_url_has_an_entry_in_the_permission_matrix`
with the URL named. To add one: put its name in URLS with `expect(...)` (and
`kwargs=` if it has parameters).

Objects are made in unit A (Chương Mỹ, 277); officer B (Phú Xuyên, 280) must get
404 for them, never the data.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anonymous", "officer_a", "officer_b", "staff", "leadership", "administrator")
ADMIN_ROLES = ("staff", "leadership", "administrator")


@dataclass(frozen=True)
class Outcome:
    status: int | tuple[int, ...]
    # A redirect's target starts with this: a URL name without parameters, or a
    # path beginning with "/".
    location: str | None = None

    @property
    def location_path(self) -> str | None:
        if self.location is None or self.location.startswith("/"):
            return self.location
        return reverse(self.location)

    def describe(self) -> str:
        status = (
            " or ".join(map(str, self.status))
            if isinstance(self.status, tuple)
            else str(self.status)
        )
        if self.location:
            return f"{status} → {self.location_path}"
        return status

    def matches(self, response) -> bool:
        allowed = self.status if isinstance(self.status, tuple) else (self.status,)
        if response.status_code not in allowed:
            return False
        if self.location is None:
            return True
        target = urlsplit(response["Location"]).path
        if self.location.startswith("/"):
            return target.startswith(self.location)
        return target == self.location_path


OK = Outcome(200)
LOGIN = Outcome(302, "login")
ADMIN_LOGIN = Outcome(302, "admin:login")
TO_ADMIN_INDEX = Outcome(302, "admin:index")
FORBIDDEN = Outcome(403)
NOT_FOUND = Outcome(404)
NOT_ALLOWED = Outcome(405)
# Refused without saying whether the record exists (the admin's row scope hides it
# from some roles, others are refused the step).
DENIED = Outcome((403, 404))


def redirect(to: str) -> Outcome:
    """302 to a URL name (without parameters) or to a path starting with "/"."""
    return Outcome(302, to)


def expect(default: Outcome | None = None, **per_role: Outcome) -> dict[str, Outcome]:
    """`expect(OK, anonymous=LOGIN)`: OK for every role but the ones named."""
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    result = {role: per_role.get(role, default) for role in ROLES}
    missing = [role for role, outcome in result.items() if outcome is None]
    assert not missing, f"no outcome for {missing}"
    return result


def admin_only(outcome: Outcome = OK, **per_role: Outcome) -> dict[str, Outcome]:
    """An admin page: anonymous users and district officers (not staff) are sent
    to the admin login."""
    not_staff = {"anonymous": ADMIN_LOGIN, "officer_a": ADMIN_LOGIN}
    not_staff["officer_b"] = ADMIN_LOGIN
    return expect(outcome, **{**not_staff, **per_role})


def PORTAL(officer_a: Outcome, officer_b: Outcome) -> dict[str, Outcome]:  # noqa: N802
    """A district-portal page: login first; department roles are refused (403)."""
    return expect(FORBIDDEN, anonymous=LOGIN, officer_a=officer_a, officer_b=officer_b)


@dataclass
class Objects:
    """What the matrix requests URLs about, all belonging to unit A."""

    users: dict[str, object]
    unit_a: object
    unit_b: object
    attachment_a: object
    admin_objects: dict[type, object] = field(default_factory=dict)
    made: dict[str, object] = field(default_factory=dict)

    def get(self, name: str):
        """A named object of UNIT_A_OBJECTS, made on first use."""
        if name not in self.made:
            self.made[name] = UNIT_A_OBJECTS[name](self)
        return self.made[name]


# Objects of unit A that portal URLs are about; made on first use.
def _village_a(o: Objects):
    from tests.villages.factories import CraftVillageFactory

    return CraftVillageFactory(administrative_unit=o.unit_a)


def _application_a(o: Objects):
    from tests.villages.factories import BrandingApplicationFactory

    return BrandingApplicationFactory(
        village=o.get("village_a"), filed_by=o.users["officer_a"]
    )


def _application_document_a(o: Objects):
    from django.core.files.base import ContentFile

    from khuyencong.models import Attachment

    attachment = Attachment(
        target=o.get("application_a"),
        kind=Attachment.Kind.HOUSEHOLD_LIST,
        original_name="danh-sach-ho.pdf",
        size=9,
        mime_type="application/pdf",
        uploaded_by=o.users["officer_a"],
    )
    attachment.file.save("danh-sach-ho.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def _plan_year(o: Objects) -> int:
    from tests.programs.factories import PlanFactory

    return PlanFactory(year=2019).year


UNIT_A_OBJECTS: dict[str, Callable[[Objects], object]] = {
    "village_a": _village_a,
    "application_a": _application_a,
    "application_document_a": _application_document_a,
}


@dataclass(frozen=True)
class Entry:
    expected: dict[str, Outcome]
    kwargs: Callable[[Objects], dict] | None = None
    query: str = ""
    # For a URL with parameters that reverse() cannot build (unnamed patterns).
    path: Callable[[Objects], str] | None = None


# ---------------------------------------------------------------------------
# Explicit entries: one per URL name (or route, for unnamed patterns).
# ---------------------------------------------------------------------------
URLS: dict[str, Entry] = {
    # Core pages
    "home": Entry(expect(OK)),
    # A permanent redirect to the static icon, for everyone.
    "favicon.ico": Entry(
        expect(Outcome(301, "/static/")), path=lambda o: "/favicon.ico"
    ),
    "login": Entry(expect(OK)),
    # Leadership dashboard: staff and leadership see everything, officers their
    # own unit; the IT administrator has no business there.
    "dashboard": Entry(expect(OK, anonymous=LOGIN, administrator=FORBIDDEN)),
    "dashboard-export": Entry(expect(OK, anonymous=LOGIN, administrator=FORBIDDEN)),
    # Public pages: open to everyone, logged in or not.
    "public-report-index": Entry(expect(OK)),
    "public-report": Entry(expect(OK), kwargs=lambda o: {"year": _plan_year(o)}),
    "public-clusters": Entry(expect(OK)),
    "public-villages": Entry(expect(OK)),
    "public-projects": Entry(expect(OK)),
    "public-events": Entry(expect(OK)),
    # Logging out is a POST (a GET could be forged by any link or image).
    "logout": Entry(expect(NOT_ALLOWED)),
    "khuyencong:attachment-download": Entry(
        expect(OK, anonymous=LOGIN, officer_b=NOT_FOUND),
        kwargs=lambda o: {"uid": o.attachment_a.uid},
    ),
    # Django admin, site-wide pages
    "admin:index": Entry(admin_only(OK)),
    "admin:login": Entry(
        expect(
            TO_ADMIN_INDEX,
            anonymous=OK,
            # Logged in but not staff: the login page says so and offers another
            # account.
            officer_a=OK,
            officer_b=OK,
        )
    ),
    # Logging out is a POST; someone who is not staff is sent to the admin index
    # (which then asks them to log in).
    "admin:logout": Entry(
        expect(
            NOT_ALLOWED,
            anonymous=TO_ADMIN_INDEX,
            officer_a=TO_ADMIN_INDEX,
            officer_b=TO_ADMIN_INDEX,
        )
    ),
    "admin:password_change": Entry(admin_only(OK)),
    "admin:password_change_done": Entry(admin_only(OK)),
    "admin:jsi18n": Entry(admin_only(OK)),
    "admin:autocomplete": Entry(
        admin_only(OK),
        # Support rules pick their legal basis by autocomplete: every admin role
        # may view legal documents.
        query="?app_label=khuyencong&model_name=supportrule&field_name=legal_basis",
    ),
    "admin:view_on_site": Entry(
        admin_only(redirect("/tep/")),
        kwargs=lambda o: {
            "content_type_id": _content_type_id(o.attachment_a),
            "object_id": o.attachment_a.pk,
        },
    ),
    # Django's UserAdmin: set another user's password (IT only).
    "admin:auth_user_password_change": Entry(
        admin_only(FORBIDDEN, administrator=OK),
        kwargs=lambda o: {"id": o.users["officer_a"].pk},
    ),
    "admin:app_list": Entry(
        # The administrator has no permission in the "auth" app's models beyond
        # viewing groups, so every admin role sees the app page.
        admin_only(OK),
        kwargs=lambda o: {"app_label": "khuyencong"},
    ),
    # District portal (villages): officers only, their own unit only.
    "villages:portal-home": Entry(PORTAL(OK, OK)),
    "villages:village-detail": Entry(
        PORTAL(OK, NOT_FOUND), kwargs=lambda o: {"pk": o.get("village_a").pk}
    ),
    "villages:application-create": Entry(PORTAL(OK, OK)),
    "villages:application-detail": Entry(
        PORTAL(OK, NOT_FOUND), kwargs=lambda o: {"pk": o.get("application_a").pk}
    ),
    "villages:application-update": Entry(
        PORTAL(OK, NOT_FOUND), kwargs=lambda o: {"pk": o.get("application_a").pk}
    ),
    # POST only: a GET changes nothing.
    "villages:application-submit": Entry(
        PORTAL(NOT_ALLOWED, NOT_ALLOWED),
        kwargs=lambda o: {"pk": o.get("application_a").pk},
    ),
    "villages:application-document-add": Entry(
        PORTAL(NOT_ALLOWED, NOT_ALLOWED),
        kwargs=lambda o: {"pk": o.get("application_a").pk},
    ),
    "villages:application-document-remove": Entry(
        PORTAL(NOT_ALLOWED, NOT_ALLOWED),
        kwargs=lambda o: {
            "pk": o.get("application_a").pk,
            "uid": o.get("application_document_a").uid,
        },
    ),
    # The admin's catch-all: unknown admin URLs are 404 for staff, login for others.
    "admin/(?P<url>.*)$": Entry(
        admin_only(NOT_FOUND), path=lambda o: "/admin/khong-ton-tai/"
    ),
}

# ---------------------------------------------------------------------------
# Model admin URLs: outcome derived from permissions.
# action suffix -> the permissions any one of which opens the page.
# ---------------------------------------------------------------------------
ADMIN_ACTIONS: dict[str, tuple[str, ...]] = {
    "changelist": ("view", "change"),
    "add": ("add",),
    "change": ("view", "change"),
    "delete": ("delete",),
    "history": ("view", "change"),
    # django-simple-history: a past version, shown to revert to.
    "simple_history": ("view", "change"),
    # django-import-export (khuyencong/importing): import needs a declared
    # resource too (see _importable); the blank template follows import.
    "import": ("import",),
    "import_template": ("import",),
    "export": ("export",),
    # POST only, after the admin's staff check: a GET is 405 for every admin role.
    "process_import": (),
    # khuyencong.workflow_admin: the confirmation page of a workflow step, one URL
    # per declared transition; open to the roles the transition names, and only
    # to those who may see the record at all.
    "workflow_step": ("view", "change"),
}


def _content_type_id(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# Models whose factory cannot be found in tests/<app>/factories.py.
def _group(o: Objects):
    from django.contrib.auth.models import Group

    from khuyencong.models import Role
    from khuyencong.roles import group_name

    return Group.objects.get(name=group_name(Role.STAFF))


def _access_attempt(o: Objects):
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        username="ke-gian",
        ip_address="127.0.0.9",
        user_agent="matrix",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/dang-nhap/",
        failures_since_start=3,
    )


def _access_log(o: Objects):
    from axes.models import AccessLog

    return AccessLog.objects.create(
        username=o.users["staff"].username,
        ip_address="127.0.0.9",
        user_agent="matrix",
        http_accept="*/*",
        path_info="/dang-nhap/",
    )


def _access_failure_log(o: Objects):
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects.create(
        username="ke-gian",
        ip_address="127.0.0.9",
        user_agent="matrix",
        http_accept="*/*",
        path_info="/dang-nhap/",
        locked_out=False,
    )


def _wastewater_plant(o: Objects):
    from tests.clusters.factories import (
        IndustrialClusterFactory,
        WastewaterPlantFactory,
    )

    # A plant serves at least one cluster (the admin refuses a save without one).
    cluster = IndustrialClusterFactory(administrative_unit=o.unit_a)
    return WastewaterPlantFactory(serves=[cluster])


OBJECT_MAKERS: dict[str, Callable[[Objects], object]] = {
    "clusters.wastewaterplant": _wastewater_plant,
    "khuyencong.user": lambda o: o.users["officer_a"],
    "khuyencong.administrativeunit": lambda o: o.unit_a,
    "auth.group": _group,
    "axes.accessattempt": _access_attempt,
    "axes.accesslog": _access_log,
    "axes.accessfailurelog": _access_failure_log,
}


def factory_for(model):
    """The factory_boy factory of a model, from tests/<app_label>/factories.py."""
    app_label = model._meta.app_label
    try:
        module = importlib.import_module(f"tests.{app_label}.factories")
    except ModuleNotFoundError:
        return None
    candidates = [
        obj
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if getattr(getattr(obj, "_meta", None), "model", None) is model
    ]
    preferred = [c for c in candidates if c.__name__ == f"{model.__name__}Factory"]
    return (preferred or candidates or [None])[0]


def make_admin_object(model, objects: Objects):
    maker = OBJECT_MAKERS.get(model._meta.label_lower)
    if maker is not None:
        return maker(objects)
    factory = factory_for(model)
    if factory is None:
        raise LookupError(
            f"Model {model._meta.label} is in the admin but the permission matrix "
            f"cannot make one: add a {model.__name__}Factory to "
            f"tests/{model._meta.app_label}/factories.py or an entry in "
            "OBJECT_MAKERS (tests/khuyencong/permission_matrix.py)."
        )
    return factory()


# ---------------------------------------------------------------------------
# Walking the URL configuration
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    pattern: URLPattern

    @property
    def key(self) -> str:
        return self.name or self.route


def walk(patterns=None, prefix: str = "", namespace: str | None = None):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            if ns:
                ns = f"{namespace}:{ns}" if namespace else ns
            else:
                ns = namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            name = p.name
            if name and namespace:
                name = f"{namespace}:{name}"
            route = (prefix + str(p.pattern)).lstrip("^")
            yield Route(name=name, route=route, pattern=p)


# The admin's old-style object URL, admin/<app>/<model>/<id>/: a redirect to the
# change page for any staff user (the change page then checks permissions).
OBJECT_REDIRECT = "object_redirect"


def model_admin_urls() -> dict[str, tuple[object, str]]:
    """admin URL name (or route) -> (model, action) for every model admin."""
    result = {}
    for model in admin.site._registry:
        opts = model._meta
        for action in ADMIN_ACTIONS:
            result[f"admin:{opts.app_label}_{opts.model_name}_{action}"] = (
                model,
                action,
            )
        route = f"admin/{opts.app_label}/{opts.model_name}/<path:object_id>/"
        result[route] = (model, OBJECT_REDIRECT)
    return result


def all_routes() -> list[Route]:
    return list(walk())


def routes_without_entry() -> list[str]:
    derived = model_admin_urls()
    missing = []
    for route in all_routes():
        if route.key in URLS or route.key in derived:
            continue
        missing.append(route.key)
    return missing


def admin_expectation(
    model, action: str, users: dict, transition=None
) -> dict[str, Outcome]:
    opts = model._meta
    if action == OBJECT_REDIRECT:
        change = f"/admin/{opts.app_label}/{opts.model_name}/"
        return admin_only(redirect(change))
    from django.contrib.auth import get_permission_codename

    if action == "process_import":
        return admin_only(NOT_ALLOWED)
    perms = [
        f"{opts.app_label}.{get_permission_codename(a, opts)}"
        for a in ADMIN_ACTIONS[action]
    ]
    expected = {}
    for role in ROLES:
        if role not in ADMIN_ROLES:
            expected[role] = ADMIN_LOGIN
            continue
        user = users[role]
        allowed = any(user.has_perm(p) for p in perms)
        if action in ("import", "import_template"):
            allowed = allowed and _importable(model)
        if transition is not None:
            if not allowed:
                expected[role] = DENIED
                continue
            allowed = user.role in transition.roles
        expected[role] = OK if allowed else FORBIDDEN
    return expected


def _importable(model) -> bool:
    """A register can be imported only when it declares an import resource that
    allows import (an application, say, is exported but never imported)."""
    try:
        from khuyencong.importing.registry import resource_for
    except ImportError:
        return True
    resource = resource_for(model)
    return resource is not None and getattr(resource, "import_allowed", True)


def workflow_transitions(model) -> list:
    """The transitions of a model admin's workflow (WorkflowAdminMixin)."""
    workflow = getattr(admin.site._registry[model], "workflow", None)
    return list(workflow.transitions) if workflow is not None else []


def admin_object(model, objects: Objects):
    obj = objects.admin_objects.get(model)
    if obj is None:
        obj = make_admin_object(model, objects)
        objects.admin_objects[model] = obj
    return obj


def admin_url(model, route: Route, objects: Objects) -> str:
    """The route's URL about the model's object (made once per test)."""
    regex = route.pattern.pattern.regex
    if not regex.groups:
        return reverse(route.name) if route.name else "/" + route.route
    obj = admin_object(model, objects)
    values = [obj.pk]
    if regex.groups > 1:  # django-simple-history: object, then version
        if not obj.history.exists():  # reference data loaded by a migration
            obj.save()
        values.append(obj.history.order_by("-history_date")[0].pk)
    names = list(regex.groupindex)
    prefix = "/" + route.route.split("<", 1)[0].split("(", 1)[0]
    if route.name is None:
        return f"{prefix}{obj.pk}/"
    if names:
        return reverse(route.name, kwargs=dict(zip(names, values, strict=True)))
    return reverse(route.name, args=values)


def app_labels_with_admin() -> set[str]:
    return {m._meta.app_label for m in admin.site._registry} & {
        c.label for c in apps.get_app_configs()
    }
