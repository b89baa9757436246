"""The columns of the public lists and of the dashboard workbook, declared once for the
HTML table, the CSV and the .xlsx (khuyencong.exports.Column), and the chart data the
pages hand to static/js/charts.js. Only public fields appear here: no representative,
phone, tax code, ID number, contact, note or review comment."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterStatus, IndustrialCluster
from khuyencong import exports
from khuyencong.exports import Column, Labels
from programs.indicators import Indicator
from programs.models import EquipmentProject, TradeEvent
from villages.models import CraftVillage


class _YesNo:
    """Yes/no in words, translated once per table (see exports.Labels)."""

    def prepare(self):
        yes, no = str(_("Có")), str(_("Không"))
        return lambda value: yes if value else no


def _year(value) -> str:
    return str(value) if value else ""


# Sources are field paths of the public_* querysets (report_selectors), read with
# one values_list(); a foreign key that is empty reads as None, shown blank.
CLUSTER_COLUMNS = (
    Column(_("Tên cụm công nghiệp"), "name"),
    Column(_("Quận, huyện, thị xã"), "administrative_unit__name"),
    Column(_("Loại cụm"), "kind", Labels.of(IndustrialCluster, "kind")),
    Column(_("Diện tích quy hoạch (ha)"), "planned_area_ha"),
    Column(_("Đất công nghiệp (ha)"), "industrial_land_ha"),
    Column(_("Đã cho thuê (ha)"), "leased_land_ha"),
    Column(_("Tỷ lệ lấp đầy (%)"), "occupancy"),
    Column(_("Chủ đầu tư hạ tầng"), "investor"),
    Column(_("Tình trạng hiện nay"), "status_today", Labels(ClusterStatus)),
    Column(_("Ngày thành lập"), "established_on"),
    Column(_("Hoạt động từ"), "operating_from"),
    Column(_("Có trạm xử lý nước thải tập trung"), "has_wwtp_today", _YesNo()),
)


VILLAGE_COLUMNS = (
    Column(_("Tên làng nghề"), "name"),
    Column(_("Quận, huyện, thị xã"), "administrative_unit__name"),
    Column(_("Thôn, xã"), "hamlet"),
    Column(_("Nghề"), "crafts"),
    Column(_("Danh hiệu"), "title", Labels.of(CraftVillage, "title")),
    Column(_("Quyết định công nhận"), "recognition_document__number"),
    Column(_("Năm công nhận"), "recognition_year", _year),
    Column(_("Tổng số hộ"), "households_total"),
    Column(_("Số hộ làm nghề"), "households_in_trade"),
    Column(_("Số lao động"), "workers"),
    Column(_("Nhãn hiệu tập thể (số văn bằng)"), "trademark_number"),
)


PROJECT_COLUMNS = (
    Column(_("Năm kế hoạch"), "plan__year", _year),
    Column(_("Cơ sở được hỗ trợ"), "establishment__name"),
    Column(_("Quận, huyện, thị xã"), "establishment__administrative_unit__name"),
    Column(_("Tên dự án"), "title"),
    Column(_("Nội dung hỗ trợ"), "activity", Labels.of(EquipmentProject, "activity")),
    Column(
        _("Nguồn kinh phí"),
        "funding_source",
        Labels.of(EquipmentProject, "funding_source"),
    ),
    Column(_("Tổng chi phí (đồng)"), "total_cost"),
    Column(_("Kinh phí hỗ trợ được duyệt (đồng)"), "approved_support"),
    Column(_("Quyết định phê duyệt"), "decision__number"),
    Column(_("Tình trạng"), "status", Labels.of(EquipmentProject, "status")),
)


EVENT_COLUMNS = (
    Column(_("Năm kế hoạch"), "plan__year", _year),
    Column(_("Tên sự kiện"), "name"),
    Column(_("Loại"), "kind", Labels.of(TradeEvent, "kind")),
    Column(_("Trong nước/nước ngoài"), "location", Labels.of(TradeEvent, "location")),
    Column(_("Từ ngày"), "start_date"),
    Column(_("Đến ngày"), "end_date"),
    Column(_("Địa điểm"), "venue"),
    Column(_("Đơn vị tổ chức"), "organiser"),
    Column(_("Số gian hàng"), "booths"),
    Column(_("Gian hàng được hỗ trợ"), "supported_booths"),
    Column(_("Kinh phí hỗ trợ (đồng)"), "support_amount"),
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


def unit_header(per_province: bool) -> str:
    """The first column of a table by unit: provinces when it sums them
    (report_selectors.spans_provinces)."""
    return str(_("Tỉnh, thành phố") if per_province else _("Đơn vị hành chính"))


def unit_columns(per_province: bool = False) -> tuple[Column, ...]:
    return (
        Column(unit_header(per_province), lambda r: str(r.unit)),
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


def cluster_unit_columns(per_province: bool = False) -> tuple[Column, ...]:
    return (
        Column(unit_header(per_province), lambda r: r.name),
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
        (str(_("Theo đơn vị")), unit_columns(board.per_province), board.units),
        (str(_("Qua các năm")), trend_columns(), board.trend),
        (str(_("Đề án máy móc thiết bị")), PIPELINE_COLUMNS, board.equipment_pipeline),
        (str(_("Hồ sơ thương hiệu")), PIPELINE_COLUMNS, board.branding_pipeline),
        (
            str(_("Cụm công nghiệp")),
            cluster_unit_columns(board.per_province),
            board.cluster_units,
        ),
    ]


def table_cells(columns, rows) -> list[list]:
    """The values of a page of rows, column by column, for the HTML table."""
    return exports.table_cells(columns, rows)


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
