"""Public pages: no login, nothing personal, no drafts, no internal comments, a fixed
number of queries, filters, pagination and downloads."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.exports import escape_cell
from programs.models import Establishment
from tests.khuyencong.pages import (
    body_of,
    content_of,
    page_text,
    section_text,
    xlsx_rows,
)
from tests.khuyencong.world import (
    BIRTH_YEAR,
    CONTACT,
    ID_PREFIX,
    PHONE,
    REPRESENTATIVE,
    SECRET,
    World,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/cong-khai/cum-cong-nghiep/",
    "/cong-khai/lang-nghe/",
    "/cong-khai/du-an-ho-tro/",
    "/cong-khai/hoi-cho/",
]
PAGES = ["/cong-khai/", "/bao-cao/2019/", *LISTS]
DOWNLOADS = [f"{url}?tai={fmt}" for url in LISTS for fmt in ("csv", "xlsx")]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body_of(response)  # a streamed CSV runs its query while it is read
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", PAGES + DOWNLOADS)
def test_public_page_runs_the_same_queries_at_2_and_20_rows(
    client, url, django_assert_max_num_queries
):
    world = World().grow(2)
    small = _queries(client, url)
    world.grow(18)
    with django_assert_max_num_queries(60):
        large = _queries(client, url)
    assert small == large


@pytest.mark.parametrize("url", PAGES + DOWNLOADS)
def test_public_page_shows_nothing_personal_and_no_internal_comment(client, url):
    world = World().grow(3)
    world.draft_application()
    body = body_of(client.get(url))
    for secret in (
        SECRET,
        ID_PREFIX[:6],
        str(BIRTH_YEAR),
        REPRESENTATIVE,
        PHONE,
        CONTACT,
    ):
        assert secret not in body, (url, secret)


def test_public_pages_need_no_login(client):
    World().grow(1)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200
        assert "Đăng nhập" in page_text(response)


def test_draft_application_never_counts(client):
    world = World().grow(2)
    world.draft_application()
    text = section_text(client.get("/bao-cao/2019/"), "branding")
    assert "2 làng nghề đăng ký" in text
    assert "Đông Anh" not in text


def test_report_of_a_year_without_data_is_not_found(client):
    World().grow(1)
    assert client.get("/bao-cao/2031/").status_code == 404


def test_index_links_every_plan_year(client):
    World(year=2018).grow(1)
    World(year=2019).grow(1)
    text = section_text(client.get("/cong-khai/"), "report-years")
    assert "Kết quả khuyến công năm 2019" in text
    assert "Kết quả khuyến công năm 2018" in text


def test_project_list_filters_by_district(client):
    World().grow(4)  # alternating Chương Mỹ (277) and Phú Xuyên (280)
    response = client.get("/cong-khai/du-an-ho-tro/?don_vi=280")
    assert section_text(response, "result-count") == "2 kết quả"
    table = section_text(response, "public-list")
    assert "Phú Xuyên" in table and "Chương Mỹ" not in table


def test_project_list_leaves_out_projects_not_approved(client):
    from programs.models import EquipmentProject, EquipmentStatus

    World().grow(2)
    project = EquipmentProject.objects.first()
    project.status = EquipmentStatus.FORWARDED
    project.save()
    text = section_text(client.get("/cong-khai/du-an-ho-tro/"), "public-list")
    assert project.title not in text
    assert "1 kết quả" in page_text(client.get("/cong-khai/du-an-ho-tro/"))


def test_cluster_list_filters_by_status_today(client):
    World().grow(2)
    operating = client.get("/cong-khai/cum-cong-nghiep/?tinh_trang=dang_hoat_dong")
    assert section_text(operating, "result-count") == "2 kết quả"
    planned = client.get("/cong-khai/cum-cong-nghiep/?tinh_trang=quy_hoach")
    assert section_text(planned, "result-count") == "0 kết quả"


def test_list_is_paginated_by_25(client):
    World().grow(27)
    first = page_text(client.get("/cong-khai/hoi-cho/"))
    assert "27 kết quả" in first and "Trang 1/2" in first
    second = client.get("/cong-khai/hoi-cho/?trang=2")
    assert section_text(second, "public-list").count("Hội chợ hàng thủ công") == 2


def test_csv_download_keeps_the_filter_and_has_vietnamese_headers(client):
    World().grow(4)
    response = client.get("/cong-khai/du-an-ho-tro/?don_vi=277&tai=csv")
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(body_of(response))))
    assert rows[0][:3] == ["Năm kế hoạch", "Cơ sở được hỗ trợ", "Quận, huyện, thị xã"]
    assert len(rows) == 3
    assert {row[2] for row in rows[1:]} == {"Chương Mỹ"}


def test_xlsx_download_has_numbers_as_numbers(client):
    World().grow(2)
    sheets = xlsx_rows(content_of(client.get("/cong-khai/du-an-ho-tro/?tai=xlsx")))
    (rows,) = sheets.values()
    header, first = rows[0], rows[1]
    support = header.index("Kinh phí hỗ trợ được duyệt (đồng)")
    assert first[support] == 300000000


@pytest.mark.parametrize("danger", ["=1+2", "+1", "-1+cmd", "@SUM(A1)"])
def test_exports_escape_formulas(client, danger):
    World().grow(1)
    Establishment.objects.update(name=danger)
    rows = list(
        csv.reader(io.StringIO(body_of(client.get("/cong-khai/du-an-ho-tro/?tai=csv"))))
    )
    assert rows[1][1] == "'" + danger
    (sheet,) = xlsx_rows(
        content_of(client.get("/cong-khai/du-an-ho-tro/?tai=xlsx"))
    ).values()
    assert sheet[1][1] == "'" + danger


def test_escape_cell_leaves_numbers_and_dates_alone():
    from datetime import date
    from decimal import Decimal

    assert escape_cell(-5) == -5
    assert escape_cell(Decimal("-1")) == Decimal("-1")
    assert escape_cell(date(2019, 5, 15)) == date(2019, 5, 15)
    assert escape_cell("Làng nghề") == "Làng nghề"
    assert escape_cell(None) == ""


def test_report_page_has_no_inline_script(client):
    World().grow(1)
    content = client.get("/bao-cao/2019/").content.decode()
    import re

    for tag in re.findall(r"<script\b[^>]*>", content):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "onclick" not in content
    assert 'style="' not in content
