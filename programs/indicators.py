"""The plan indicators of DOMAIN.md §5, defined once.

Targets are typed into a plan per indicator; actuals are counted by selectors
(programs.selectors and the other apps' `ACTUAL_SOURCES`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    CRAFT_CLASSES = "craft_classes", _("Lớp truyền nghề, cấy nghề, nâng cao tay nghề")
    CRAFT_TRAINEES = "craft_trainees", _("Lao động nông thôn được đào tạo nghề")
    CRAFT_EMPLOYED = "craft_employed", _("Học viên có việc làm sau đào tạo")
    MGMT_COURSES = "mgmt_courses", _("Lớp đào tạo, tập huấn quản lý")
    MGMT_PARTICIPANTS = "mgmt_participants", _("Chủ cơ sở, cán bộ quản lý được đào tạo")
    EQUIPMENT_PROJECTS = (
        "equipment_projects",
        _("Cơ sở được hỗ trợ ứng dụng máy móc thiết bị"),
    )
    EQUIPMENT_SUPPORT_VND = (
        "equipment_support_vnd",
        _("Kinh phí hỗ trợ máy móc thiết bị được duyệt"),
    )
    BRANDING_VILLAGES = "branding_villages", _("Làng nghề đăng ký xây dựng thương hiệu")
    TRADE_EVENTS = "trade_events", _("Hội chợ, triển lãm, kết nối cung cầu")
    BUDGET_VND = "budget_vnd", _("Kinh phí khuyến công đã sử dụng")
    CLUSTERS_OPERATING = "clusters_operating", _("Cụm công nghiệp đang hoạt động")
    CLUSTERS_ESTABLISHED = (
        "clusters_established",
        _("Cụm công nghiệp thành lập mới trong năm"),
    )
    CLUSTERS_WITH_WWTP = (
        "clusters_with_wwtp",
        _("Cụm công nghiệp có trạm xử lý nước thải tập trung"),
    )

    @property
    def measure(self) -> str:
        """Unit of measure shown next to the value."""
        return MEASURES[self.value]


MEASURES = {
    Indicator.CRAFT_CLASSES.value: _("lớp"),
    Indicator.CRAFT_TRAINEES.value: _("người"),
    Indicator.CRAFT_EMPLOYED.value: _("người"),
    Indicator.MGMT_COURSES.value: _("lớp"),
    Indicator.MGMT_PARTICIPANTS.value: _("người"),
    Indicator.EQUIPMENT_PROJECTS.value: _("cơ sở"),
    Indicator.EQUIPMENT_SUPPORT_VND.value: _("đồng"),
    Indicator.BRANDING_VILLAGES.value: _("làng nghề"),
    Indicator.TRADE_EVENTS.value: _("sự kiện"),
    Indicator.BUDGET_VND.value: _("đồng"),
    Indicator.CLUSTERS_OPERATING.value: _("cụm"),
    Indicator.CLUSTERS_ESTABLISHED.value: _("cụm"),
    Indicator.CLUSTERS_WITH_WWTP.value: _("cụm"),
}
