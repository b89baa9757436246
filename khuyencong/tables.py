"""The columns of the public lists and of the dashboard workbook, declared once for the
HTML table, the CSV and the .xlsx (khuyencong.exports.Column), and the chart data the
pages hand to static/js/charts.js. Only public fields appear here: no representative,
phone, tax code, ID number, contact, note or review comment."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from khuyencong.exports import Column
from programs.indicators import Indicator


def _unit(obj):
    return obj.name if obj is not None else ""


def _yes_no(value) -> str:
    return str(_("Có")) if value else str(_("Không"))


CLUSTER_COLUMNS = (
    Column(_("Tên cụm công nghiệp"), lambda c: c.name),
    Column(_("Quận, huyện, thị xã"), lambda c: _unit(c.administrative_unit)),
    Column(_("Loại cụm"), lambda c: c.get_kind_display()),
    Column(_("Diện tích quy hoạch (ha)"), lambda c: c.planned_area_ha),
    Column(_("Đất công nghiệp (ha)"), lambda c: c.industrial_land_ha),
    Column(_("Đã cho thuê (ha)"), lambda c: c.leased_land_ha),
    Column(_("Tỷ lệ lấp đầy (%)"), lambda c: c.occupancy),
    Column(_("Chủ đầu tư hạ tầng"), lambda c: c.investor),
    Column(_("Tình trạng hiện nay"), lambda c: _cluster_status(c.status_today)),
    Column(_("Ngày thành lập"), lambda c: c.established_on),
    Column(_("Hoạt động từ"), lambda c: c.operating_from),
    Column(_("Có trạm xử lý nước thải tập trung"), lambda c: _yes_no(c.has_wwtp_today)),
)


def _cluster_status(value) -> str:
    from clusters.models import ClusterStatus

    return str(ClusterStatus(value).label) if value else ""


VILLAGE_COLUMNS = (
    Column(_("Tên làng nghề"), lambda v: v.name),
    Column(_("Quận, huyện, thị xã"), lambda v: _unit(v.administrative_unit)),
    Column(_("Thôn, xã"), lambda v: v.hamlet),
    Column(_("Nghề"), lambda v: v.crafts),
    Column(_("Danh hiệu"), lambda v: v.get_title_display()),
    Column(
        _("Quyết định công nhận"),
        lambda v: v.recognition_document.number if v.recognition_document else "",
    ),
    Column(
        _("Năm công nhận"),
        lambda v: str(v.recognition_year) if v.recognition_year else "",
    ),
    Column(_("Tổng số hộ"), lambda v: v.households_total),
    Column(_("Số hộ làm nghề"), lambda v: v.households_in_trade),
    Column(_("Số lao động"), lambda v: v.workers),
    Column(_("Nhãn hiệu tập thể (số văn bằng)"), lambda v: v.trademark_number),
)


PROJECT_COLUMNS = (
    Column(_("Năm kế hoạch"), lambda p: str(p.plan.year)),
    Column(_("Cơ sở được hỗ trợ"), lambda p: p.establishment.name),
    Column(
        _("Quận, huyện, thị xã"),
        lambda p: _unit(p.establishment.administrative_unit),
    ),
    Column(_("Tên dự án"), lambda p: p.title),
    Column(_("Nội dung hỗ trợ"), lambda p: p.get_activity_display()),
    Column(_("Nguồn kinh phí"), lambda p: p.get_funding_source_display()),
    Column(_("Tổng chi phí (đồng)"), lambda p: p.total_cost),
    Column(_("Kinh phí hỗ trợ được duyệt (đồng)"), lambda p: p.approved_support),
    Column(
        _("Quyết định phê duyệt"), lambda p: p.decision.number if p.decision else ""
    ),
    Column(_("Tình trạng"), lambda p: p.get_status_display()),
)


EVENT_COLUMNS = (
    Column(_("Năm kế hoạch"), lambda e: str(e.plan.year)),
    Column(_("Tên sự kiện"), lambda e: e.name),
    Column(_("Loại"), lambda e: e.get_kind_display()),
    Column(_("Trong nước/nước ngoài"), lambda e: e.get_location_display()),
    Column(_("Từ ngày"), lambda e: e.start_date),
    Column(_("Đến ngày"), lambda e: e.end_date),
    Column(_("Địa điểm"), lambda e: e.venue),
    Column(_("Đơn vị tổ chức"), lambda e: e.organiser),
    Column(_("Số gian hàng"), lambda e: e.booths),
    Column(_("Gian hàng được hỗ trợ"), lambda e: e.supported_booths),
    Column(_("Kinh phí hỗ trợ (đồng)"), lambda e: e.support_amount),
)


# --------------------------------------------------------------- dashboard workbook

PROGRESS_COLUMNS = (
    Column(_("Chỉ tiêu"), lambda p: p.label),
    Column(_("Đơn vị tính"), lambda p: p.measure),
    Column(_("Kế hoạch"), lambda p: p.target),
    Column(_("Thực hiện"), lambda p: p.actual),
    Column(_("Tỷ lệ (%)"), lambda p: p.share),
)

# The indicators shown per unit and over the years (all but the budget, which is
# spent by the City, not by a unit).
UNIT_INDICATORS = (
    Indicator.CRAFT_CLASSES,
    Indicator.CRAFT_TRAINEES,
    Indicator.MGMT_COURSES,
    Indicator.MGMT_PARTICIPANTS,
    Indicator.EQUIPMENT_PROJECTS,
    Indicator.EQUIPMENT_SUPPORT_VND,
    Indicator.BRANDING_VILLAGES,
    Indicator.TRADE_EVENTS,
    Indicator.CLUSTERS_OPERATING,
    Indicator.CLUSTERS_ESTABLISHED,
    Indicator.CLUSTERS_WITH_WWTP,
)


def unit_columns() -> tuple[Column, ...]:
    return (
        Column(_("Đơn vị hành chính"), lambda r: str(r.unit)),
        *(
            Column(ind.label, lambda r, code=ind.value: r.values.get(code))
            for ind in UNIT_INDICATORS
        ),
    )


def trend_columns() -> tuple[Column, ...]:
    return (
        Column(_("Năm"), lambda t: str(t.year)),
        *(
            Column(ind.label, lambda t, code=ind.value: t.values.get(code))
            for ind in UNIT_INDICATORS
        ),
    )


PIPELINE_COLUMNS = (
    Column(_("Trạng thái"), lambda s: s.label),
    Column(_("Số hồ sơ"), lambda s: s.count),
)

CLUSTER_UNIT_COLUMNS = (
    Column(_("Đơn vị hành chính"), lambda r: r.name),
    Column(_("Trong quy hoạch"), lambda r: r.in_plan),
    Column(_("Đang hoạt động"), lambda r: r.operating),
    Column(_("Thành lập trong năm"), lambda r: r.established_in_year),
    Column(_("Có trạm xử lý nước thải"), lambda r: r.with_wwtp),
    Column(_("Diện tích quy hoạch (ha)"), lambda r: r.planned_area_ha),
    Column(_("Tỷ lệ lấp đầy (%)"), lambda r: r.occupancy_percent),
)


def dashboard_sheets(board) -> list:
    title = str(_("Chỉ tiêu %(year)s")) % {"year": board.year}
    return [
        (title, PROGRESS_COLUMNS, board.progress),
        (str(_("Theo đơn vị")), unit_columns(), board.units),
        (str(_("Qua các năm")), trend_columns(), board.trend),
        (str(_("Đề án máy móc thiết bị")), PIPELINE_COLUMNS, board.equipment_pipeline),
        (str(_("Hồ sơ thương hiệu")), PIPELINE_COLUMNS, board.branding_pipeline),
        (str(_("Cụm công nghiệp")), CLUSTER_UNIT_COLUMNS, board.cluster_units),
    ]


def table_cells(columns, rows) -> list[list]:
    """The values of a page of rows, column by column, for the HTML table."""
    return [[column.value(row) for column in columns] for row in rows]


# ----------------------------------------------------------------------- chart data


@dataclass(frozen=True)
class Series:
    code: str
    label: str


TREND_CHARTS = (
    (
        "dao-tao",
        _("Lớp đào tạo, cơ sở, làng nghề và hội chợ"),
        (
            Indicator.CRAFT_CLASSES,
            Indicator.MGMT_COURSES,
            Indicator.EQUIPMENT_PROJECTS,
            Indicator.BRANDING_VILLAGES,
            Indicator.TRADE_EVENTS,
        ),
    ),
    (
        "hoc-vien",
        _("Người được đào tạo"),
        (Indicator.CRAFT_TRAINEES, Indicator.MGMT_PARTICIPANTS),
    ),
)


def trend_chart(points, indicators) -> dict:
    """Bars per year, one series per indicator, plan as a second series when the
    plan has a target."""
    return {
        "type": "bar",
        "labels": [str(p.year) for p in points],
        "datasets": [
            {
                "label": str(ind.label),
                "data": [float(p.values.get(ind.value, 0) or 0) for p in points],
            }
            for ind in indicators
        ],
    }


def progress_chart(progress, codes) -> dict:
    rows = [p for p in progress if p.code in {str(c) for c in codes}]
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [p.label for p in rows],
        "datasets": [
            {
                "label": str(_("Kế hoạch")),
                "data": [
                    float(p.target) if p.target is not None else None for p in rows
                ],
            },
            {"label": str(_("Thực hiện")), "data": [float(p.actual) for p in rows]},
        ],
    }


def pipeline_chart(steps, label) -> dict:
    return {
        "type": "bar",
        "labels": [s.label for s in steps],
        "datasets": [{"label": str(label), "data": [s.count for s in steps]}],
    }


COUNT_CODES = (
    Indicator.CRAFT_CLASSES,
    Indicator.MGMT_COURSES,
    Indicator.EQUIPMENT_PROJECTS,
    Indicator.BRANDING_VILLAGES,
    Indicator.TRADE_EVENTS,
)


def report_charts(report) -> dict:
    return {
        "chart-plan": progress_chart(report.progress, COUNT_CODES),
        **{
            f"chart-trend-{key}": trend_chart(report.trend, indicators)
            for key, _title, indicators in TREND_CHARTS
        },
    }


def dashboard_charts(board) -> dict:
    return {
        "chart-plan": progress_chart(board.progress, COUNT_CODES),
        **{
            f"chart-trend-{key}": trend_chart(board.trend, indicators)
            for key, _title, indicators in TREND_CHARTS
        },
        "chart-equipment": pipeline_chart(
            board.equipment_pipeline, _("Đề án máy móc thiết bị")
        ),
        "chart-branding": pipeline_chart(
            board.branding_pipeline, _("Hồ sơ xây dựng thương hiệu")
        ),
    }
