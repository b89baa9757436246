"""The leadership dashboard: who may see it, what an officer sees, the numbers, the
links behind them, the workbook, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.khuyencong.factories import unit
from tests.khuyencong.pages import page_text, section_text, xlsx_rows
from tests.khuyencong.world import World

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_system_administrator_role_may_not_see_it(client, admin_user_role):
    client.force_login(admin_user_role)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/tai-ve/").status_code == 403


def test_leadership_sees_plan_against_actual_for_the_city(client, leadership_user):
    World().grow(4)
    client.force_login(leadership_user)
    response = client.get("/dashboard/?nam=2019")
    assert "Số liệu toàn Thành phố." in section_text(response, "scope")
    table = section_text(response, "plan-vs-actual")
    assert "Lớp truyền nghề, cấy nghề, nâng cao tay nghề (lớp) 38 4 10,5 %" in table
    assert "Lao động nông thôn được đào tạo nghề (người) 1.300 4 0,3 %" in table
    units = section_text(response, "by-unit")
    assert "Chương Mỹ" in units and "Phú Xuyên" in units


def test_officer_sees_only_their_unit(client, officer_a):
    World().grow(4)
    client.force_login(officer_a)
    response = client.get("/dashboard/")
    assert "Huyện Chương Mỹ" in section_text(response, "scope")
    table = section_text(response, "plan-vs-actual")
    assert "Lớp truyền nghề, cấy nghề, nâng cao tay nghề (lớp) — 2 —" in table
    units = section_text(response, "by-unit")
    assert "Chương Mỹ" in units
    assert "Phú Xuyên" not in units


def test_officer_workbook_holds_only_their_unit(client, officer_b):
    World().grow(4)
    client.force_login(officer_b)
    response = client.get("/dashboard/tai-ve/")
    assert response["Content-Disposition"].endswith('-280.xlsx"')
    sheets = xlsx_rows(response.content)
    by_unit = sheets["Theo đơn vị"]
    assert [row[0] for row in by_unit[1:]] == ["Huyện Phú Xuyên"]


def test_workbook_has_every_part_of_the_dashboard(client, staff_user):
    World().grow(3)
    client.force_login(staff_user)
    sheets = xlsx_rows(client.get("/dashboard/tai-ve/?nam=2019").content)
    assert list(sheets) == [
        "Chỉ tiêu 2019",
        "Theo đơn vị",
        "Qua các năm",
        "Đề án máy móc thiết bị",
        "Hồ sơ thương hiệu",
        "Cụm công nghiệp",
    ]
    progress = {row[0]: row for row in sheets["Chỉ tiêu 2019"][1:]}
    assert progress["Lớp truyền nghề, cấy nghề, nâng cao tay nghề"][2:4] == [38, 3]
    pipeline = dict(sheets["Đề án máy móc thiết bị"][1:])
    assert pipeline["Được phê duyệt"] == 3


def test_year_picker_shows_the_chosen_year(client, leadership_user):
    World(year=2018).grow(1)
    World(year=2019).grow(2)
    client.force_login(leadership_user)
    text = page_text(client.get("/dashboard/?nam=2018"))
    assert "Bảng điều hành khuyến công năm 2018" in text
    trend = section_text(client.get("/dashboard/?nam=2018"), "trend-table")
    assert "Lớp truyền nghề, cấy nghề, nâng cao tay nghề 1 2" in trend


def test_pipelines_and_clusters_are_counted(client, leadership_user):
    world = World().grow(2)
    world.draft_application()
    client.force_login(leadership_user)
    response = client.get("/dashboard/")
    branding = section_text(response, "branding-pipeline")
    assert "Nháp 1" in branding and "Đã nộp 2" in branding
    clusters = section_text(response, "clusters")
    assert "Đang hoạt động 2" in clusters
    assert "Do chủ đầu tư hạ tầng xây dựng 2 2" in clusters


def test_unit_cell_links_to_the_admin_list_behind_it(client, staff_user):
    World().grow(2)
    staff_user.is_staff = True
    staff_user.save()
    client.force_login(staff_user)
    content = client.get("/dashboard/").content.decode()
    chuong_my = unit("277")
    link = f"administrative_unit__id__exact={chuong_my.pk}"
    assert "/admin/programs/trainingcourse/?" in content
    assert link in content
    import re

    href = re.search(r'href="(/admin/programs/trainingcourse/\?[^"]+)"', content)
    response = client.get(href.group(1).replace("&amp;", "&"))
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/tai-ve/"])
def test_dashboard_runs_the_same_queries_at_2_and_20_rows(
    client, url, leadership_user, officer_a, django_assert_max_num_queries
):
    world = World().grow(2)
    counts = {}
    for user in (leadership_user, officer_a):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[user.pk] = len(queries)
    world.grow(18)
    for user in (leadership_user, officer_a):
        client.force_login(user)
        with django_assert_max_num_queries(32):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
        assert len(queries) == counts[user.pk]


def test_branding_cell_links_to_the_years_registered_applications(client, staff_user):
    world = World().grow(2)
    world.draft_application(where=unit("277"))
    staff_user.is_staff = True
    staff_user.save()
    client.force_login(staff_user)
    content = client.get("/dashboard/").content.decode()
    import re

    hrefs = re.findall(r'href="(/admin/villages/brandingapplication/\?[^"]+)"', content)
    assert hrefs
    response = client.get(hrefs[0].replace("&amp;", "&"))
    assert response.status_code == 200
    # One submitted application in that unit; the draft is not in the list.
    assert response.context["cl"].result_count == 1


def test_unit_tables_escape_what_a_unit_name_holds(client, leadership_user):
    World().grow(2)
    chuong_my = unit("277")
    chuong_my.name = "Chương Mỹ <script>alert(1)</script>"
    chuong_my.save()
    client.force_login(leadership_user)
    content = client.get("/dashboard/").content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "Chương Mỹ &lt;script&gt;alert(1)&lt;/script&gt;" in content
    rows = section_text(client.get("/dashboard/"), "by-unit")
    assert "Chương Mỹ <script>alert(1)</script>" in rows
