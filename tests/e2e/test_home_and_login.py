"""The parts of the three journeys that exist so far: the home page, logging in and
out of the portal and of the admin, and both pages at phone width."""

import pytest

from khuyencong.models import Role
from tests.e2e.support import (
    admin_log_in,
    assert_fits_phone,
    assert_no_horizontal_scroll,
    axe,
    expect,
    log_in,
    log_out,
    open_phone_menu,
)
from tests.khuyencong.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_visitor_sees_the_department_home_page_in_vietnamese(page, shot):
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_title("Trang chủ — Sở Công Thương Hà Nội")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Chương trình khuyến công Hà Nội"
    )
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_contain_text(
        "Sở Công Thương Hà Nội · Khuyến công"
    )
    login_card = page.locator("[data-link=login]")
    expect(login_card).to_contain_text("Dành cho cán bộ Sở")
    expect(page.locator("[data-link=admin]")).to_have_count(0)
    shot(page, "trang-chu")
    axe(page)

    login_card.click()
    expect(page).to_have_url("/dang-nhap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    shot(page, "dang-nhap")
    axe(page)


def test_wrong_password_is_refused_with_a_vietnamese_message(page, shot, officer_a):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(officer_a.username)
    page.get_by_label("Mật khẩu").fill("khong-phai-mat-khau")
    page.locator("main").get_by_role("button", name="Đăng nhập").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Tên đăng nhập và mật khẩu chính xác")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value(officer_a.username)
    expect(page.locator("form[action='/dang-xuat/']")).to_have_count(0)
    shot(page, "sai-mat-khau")
    axe(page)


def test_officer_logs_in_sees_their_unit_and_logs_out(page, shot, officer_a):
    log_in(page, officer_a.username)

    expect(page).to_have_url("/")
    header = page.locator("header")
    expect(header).to_contain_text(str(officer_a))
    expect(header).to_contain_text("Chương Mỹ")
    expect(page.locator("[data-link=admin]")).to_have_count(0)
    shot(page, "can-bo-huyen-da-dang-nhap")
    axe(page)

    log_out(page)
    expect(page).to_have_url("/")
    expect(page.locator("[data-link=login]")).to_be_visible()
    expect(header).not_to_contain_text("Chương Mỹ")


def test_staff_logs_into_the_admin_in_vietnamese_and_out(page, shot, staff_user):
    page.goto("/admin/")
    expect(page).to_have_url("/admin/login/?next=/admin/")
    shot(page, "quan-tri-dang-nhap")

    admin_log_in(page, staff_user.username)
    expect(page).to_have_url("/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#user-tools")).to_contain_text("Chào mừng")
    shot(page, "quan-tri-trang-dau")

    log_out(page)
    expect(page).to_have_url("/")
    expect(page.locator("[data-link=login]")).to_be_visible()
    page.goto("/admin/")
    expect(page).to_have_url("/admin/login/?next=/admin/")


def test_portal_user_without_admin_role_is_sent_back_to_admin_login(page, officer_a):
    admin_page = "/admin/login/?next=/admin/"
    page.goto(admin_page)
    page.locator("#login-form input[name=username]").fill(officer_a.username)
    page.locator("#login-form input[name=password]").fill("mat-khau-thu-nghiem-1")
    page.locator("#login-form [type=submit]").click()

    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#logout-form")).to_have_count(0)


def test_home_and_login_fit_a_phone(phone_page, shot):
    assert_fits_phone(phone_page, "/")
    shot(phone_page, "trang-chu-dien-thoai")
    assert_fits_phone(phone_page, "/dang-nhap/")
    shot(phone_page, "dang-nhap-dien-thoai")
    axe(phone_page)


def test_officer_logs_in_on_a_phone(phone_page, shot, unit_a):
    officer = UserFactory(
        role=Role.OFFICER,
        administrative_unit=unit_a,
        first_name="Nguyễn Thị",
        last_name="Hồng Nhung",
    )
    log_in(phone_page, officer.username)

    assert_fits_phone(phone_page, "/")
    expect(phone_page.get_by_role("button", name="Mở menu")).to_be_visible()
    menu = open_phone_menu(phone_page)
    expect(menu).to_contain_text("Chương Mỹ")
    expect(menu.get_by_role("button", name="Đăng xuất")).to_be_visible()
    shot(phone_page, "menu-dien-thoai")
    assert_no_horizontal_scroll(phone_page)
