from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.filters import PublicClusterFilter
from khuyencong import report_selectors as selectors
from khuyencong import tables
from khuyencong.cache import cache_public_page, cached_by_version, warms
from khuyencong.dashboard_links import unit_cell_links
from khuyencong.exports import (
    EXPORT_FORMATS,
    table_response,
    workbook_bytes,
    xlsx_bytes_response,
)
from khuyencong.models import Attachment
from khuyencong.navigation import can_see_dashboard, is_officer
from khuyencong.report_text import report_paragraphs
from khuyencong.selectors import attachment_visible_to
from programs.filters import PublicEventFilter, PublicProjectFilter
from villages.filters import PublicVillageFilter

MIN_YEAR, MAX_YEAR = 2000, 2100
PAGE_SIZE = 25


def home(request):
    return render(request, "khuyencong/home.html")


@login_required
def attachment_download(request, uid):
    attachment = get_object_or_404(
        Attachment.objects.select_related("content_type"), uid=uid
    )
    if not attachment_visible_to(attachment, request.user):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        content_type=attachment.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------- helpers


def _chart_list(charts: dict) -> list[dict]:
    return [{"id": key, "data": data} for key, data in charts.items()]


def _year_param(request, years: list[int]) -> int:
    """?nam=2019; otherwise the newest plan year, or this year."""
    default = years[0] if years else timezone.localdate().year
    try:
        year = int(request.GET.get("nam", default))
    except (TypeError, ValueError):
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


# ------------------------------------------------------------------------- dashboard


def _dashboard_scope(request):
    """Leadership and staff see the whole city; a district officer sees their unit."""
    user = request.user
    if not can_see_dashboard(user):
        raise PermissionDenied
    if is_officer(user):
        if user.administrative_unit_id is None:
            raise PermissionDenied(_("Tài khoản chưa được gán đơn vị hành chính."))
        return user.administrative_unit
    return None


def _dashboard_board(*, year: int, unit, rebuild: bool = False):
    """The dashboard's figures, computed once per data version (every reader of
    the same year and unit sees the same)."""
    return cached_by_version(
        f"dashboard:{year}:{unit.pk if unit else 'all'}",
        lambda: selectors.dashboard(year=year, unit=unit),
        rebuild=rebuild,
    )


@warms
def warm_dashboard(*, rebuild: bool = False) -> None:
    """The city-wide dashboard of the newest plan year, built ahead after a change
    and before it expires (khuyencong.cache): what leadership opens first."""
    years = selectors.plan_years()
    if years:
        _dashboard_board(year=years[0], unit=None, rebuild=rebuild)


@login_required
def dashboard(request):
    unit = _dashboard_scope(request)
    year = _year_param(request, selectors.plan_years())
    board = _dashboard_board(year=year, unit=unit)
    context = {
        "board": board,
        "charts": _chart_list(tables.dashboard_charts(board)),
        "unit_indicators": tables.UNIT_INDICATORS,
        "unit_table": unit_cell_links(board, request),
        "trend_indicators": tables.UNIT_INDICATORS,
    }
    return render(request, "khuyencong/dashboard.html", context)


@login_required
def dashboard_export(request):
    unit = _dashboard_scope(request)
    year = _year_param(request, selectors.plan_years())
    suffix = f"-{unit.code}" if unit else ""
    # The workbook itself is kept (60 KB of bytes): a hit then neither unpickles
    # the board's model instances nor writes the sheets again (147 ms → a few).
    content = cached_by_version(
        f"dashboard-xlsx:{year}:{unit.pk if unit else 'all'}",
        lambda: workbook_bytes(
            tables.dashboard_sheets(_dashboard_board(year=year, unit=unit))
        ),
    )
    return xlsx_bytes_response(
        content, filename=f"bang-dieu-hanh-khuyen-cong-{year}{suffix}"
    )


# ---------------------------------------------------------------------- public pages


@cache_public_page
def public_report_index(request):
    return render(
        request,
        "khuyencong/public/index.html",
        {"years": selectors.plan_years()},
    )


@cache_public_page
def public_report(request, year: int):
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    report = selectors.annual_report(year=year)
    if not report.has_data:
        raise Http404(_("Chưa có số liệu khuyến công của năm này."))
    context = {
        "report": report,
        "paragraphs": report_paragraphs(report),
        "charts": _chart_list(tables.report_charts(report)),
        "trend_indicators": tables.UNIT_INDICATORS,
        "unit_indicators": tables.UNIT_INDICATORS,
    }
    return render(request, "khuyencong/public/report.html", context)


PUBLIC_LISTS = {
    "clusters": {
        "title": _("Cụm công nghiệp"),
        "intro": _(
            "Các cụm công nghiệp trong quy hoạch của Thành phố: tình trạng hiện nay, "
            "diện tích, tỷ lệ lấp đầy và trạm xử lý nước thải tập trung."
        ),
        "queryset": selectors.public_clusters,
        "filterset": PublicClusterFilter,
        "columns": tables.CLUSTER_COLUMNS,
        "filename": "cum-cong-nghiep",
    },
    "villages": {
        "title": _("Làng nghề"),
        "intro": _("Các làng nghề, làng nghề truyền thống của Hà Nội."),
        "queryset": selectors.public_villages,
        "filterset": PublicVillageFilter,
        "columns": tables.VILLAGE_COLUMNS,
        "filename": "lang-nghe",
    },
    "projects": {
        "title": _("Dự án được hỗ trợ máy móc thiết bị"),
        "intro": _(
            "Các cơ sở công nghiệp nông thôn được UBND Thành phố phê duyệt hỗ trợ "
            "ứng dụng máy móc thiết bị, công nghệ tiên tiến vào sản xuất."
        ),
        "queryset": selectors.public_projects,
        "filterset": PublicProjectFilter,
        "columns": tables.PROJECT_COLUMNS,
        "filename": "du-an-ho-tro-may-moc-thiet-bi",
    },
    "events": {
        "title": _("Hội chợ, triển lãm, kết nối cung cầu"),
        "intro": _(
            "Các hội chợ, triển lãm và hoạt động kết nối cung cầu trong chương trình "
            "khuyến công."
        ),
        "queryset": selectors.public_events,
        "filterset": PublicEventFilter,
        "columns": tables.EVENT_COLUMNS,
        "filename": "hoi-cho-trien-lam",
    },
}


@cache_public_page
def public_list(request, kind: str):
    spec = PUBLIC_LISTS[kind]
    filterset = spec["filterset"](request.GET or None, queryset=spec["queryset"]())
    queryset = filterset.qs
    fmt = request.GET.get("tai")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt,
            title=spec["title"],
            columns=spec["columns"],
            rows=queryset,
            filename=spec["filename"],
        )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "spec": spec,
        "filter": filterset,
        "page": page,
        "headers": [c.header for c in spec["columns"]],
        "rows": tables.table_cells(spec["columns"], page.object_list),
        "list_kind": kind,
    }
    return render(request, "khuyencong/public/list.html", context)
