"""Which pages each role may use: the home page and the header show only these.

Each app adds its own entries here when it grows a page (issue by issue); the
`visible` test is the same rule the page itself enforces."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from khuyencong.models import Role


@dataclass(frozen=True)
class NavLink:
    key: str
    title: str
    description: str
    url_name: str
    visible: Callable[[object], bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def _authenticated(user) -> bool:
    return bool(user and user.is_authenticated)


def is_officer(user) -> bool:
    return _authenticated(user) and user.role == Role.OFFICER


def can_use_admin(user) -> bool:
    return _authenticated(user) and user.is_active and user.is_staff


def can_see_dashboard(user) -> bool:
    return _authenticated(user) and (
        user.is_superuser or user.role in (Role.STAFF, Role.LEADERSHIP, Role.OFFICER)
    )


LINKS: list[NavLink] = [
    NavLink(
        "public",
        _("Báo cáo công khai"),
        _("Kết quả khuyến công hằng năm, cụm công nghiệp, làng nghề, hội chợ."),
        "public-report-index",
        lambda user: True,
    ),
    NavLink(
        "portal",
        _("Cổng quận/huyện"),
        _("Làng nghề và hồ sơ đăng ký xây dựng thương hiệu của đơn vị mình."),
        "villages:portal-home",
        is_officer,
    ),
    NavLink(
        "dashboard",
        _("Bảng điều hành"),
        _("Kế hoạch so với thực hiện, theo đơn vị và qua các năm."),
        "dashboard",
        can_see_dashboard,
    ),
    NavLink(
        "admin",
        _("Quản trị dữ liệu"),
        _("Nhập, sửa dữ liệu các sổ theo dõi và xử lý hồ sơ."),
        "admin:index",
        can_use_admin,
    ),
]


def links_for(user) -> list[NavLink]:
    result = []
    for link in LINKS:
        try:
            link.url  # noqa: B018 - a page not built yet is not offered
        except NoReverseMatch:
            continue
        if link.visible(user):
            result.append(link)
    return result
