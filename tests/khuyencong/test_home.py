import re
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from khuyencong.models import Role
from tests.khuyencong.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# Which entry points each role may use (DOMAIN.md §1).
EXPECTED = {
    None: {"public"},
    Role.OFFICER: {"public", "portal", "dashboard"},
    Role.STAFF: {"public", "dashboard", "admin"},
    Role.LEADERSHIP: {"public", "dashboard", "admin"},
    Role.ADMINISTRATOR: {"public", "admin"},
}
URL_NAMES = {
    "public": "public-report-index",
    "portal": "villages:portal-home",
    "dashboard": "dashboard",
    "admin": "admin:index",
}


def existing(keys):
    """Only pages that exist yet can be offered."""
    out = set()
    for key in keys:
        try:
            reverse(URL_NAMES[key])
        except NoReverseMatch:
            continue
        out.add(key)
    return out


@pytest.mark.parametrize("role", list(EXPECTED))
def test_home_page_shows_each_role_its_links_and_no_others(client, role, unit_a):
    if role is not None:
        user = UserFactory(
            role=role, administrative_unit=unit_a if role == Role.OFFICER else None
        )
        client.login(username=user.username, password=PASSWORD)
    html = client.get("/").content.decode()
    shown = set(re.findall(r'data-link="([a-z]+)"', html)) - {"login"}
    assert shown == existing(EXPECTED[role])
    assert "Sở Công Thương Hà Nội" in html
    if role is None:
        assert 'data-link="login"' in html
    else:
        assert "Đăng xuất" in html


def test_admin_is_titled_for_the_department(client, staff_user):
    client.login(username=staff_user.username, password=PASSWORD)
    html = client.get("/admin/").content.decode()
    assert "Sở Công Thương Hà Nội — Quản lý khuyến công" in html
    assert 'lang="vi"' in html


def test_numbers_and_dates_render_the_vietnamese_way():
    with translation.override("vi"):
        out = Template(
            "{% load humanize %}{{ n|intcomma }} {{ d|date:'SHORT_DATE_FORMAT' }}"
        ).render(Context({"n": 1300, "d": date(2019, 5, 15)}))
    assert out == "1.300 15/05/2019"


def test_favicon_request_is_sent_to_the_site_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    icon = client.get("/static/img/favicon.svg")
    assert icon["Content-Type"].startswith("image/svg+xml")
