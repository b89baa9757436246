"""The public downloads read back as a person opening them would: the CSV with the
csv module, the workbook with openpyxl. Same columns as the page, Vietnamese headers,
dates as dates, numbers as numbers, formulas neutralised, a fixed number of queries."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory
from openpyxl import load_workbook

from khuyencong import tables
from khuyencong.exports import Column, export_values, workbook_bytes
from khuyencong.views import public_list
from programs.models import TradeEvent
from tests.khuyencong.pages import content_of, page_text
from tests.khuyencong.world import World
from tests.programs.factories import TradeEventFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "/cong-khai/cum-cong-nghiep/": tables.CLUSTER_COLUMNS,
    "/cong-khai/lang-nghe/": tables.VILLAGE_COLUMNS,
    "/cong-khai/du-an-ho-tro/": tables.PROJECT_COLUMNS,
    "/cong-khai/hoi-cho/": tables.EVENT_COLUMNS,
}
EVENTS = "/cong-khai/hoi-cho/"


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))


def workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(content_of(response)))


def sheet_rows(response) -> list[list]:
    (sheet,) = workbook(response).worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("url", LISTS)
def test_page_csv_and_workbook_show_the_same_columns_and_rows(client, url):
    World().grow(3)
    headers = [str(c.header) for c in LISTS[url]]
    page = page_text(client.get(url))
    for header in headers:
        assert header in page
    from_csv = csv_rows(client.get(f"{url}?tai=csv"))
    from_xlsx = sheet_rows(client.get(f"{url}?tai=xlsx"))
    assert from_csv[0] == headers
    assert from_xlsx[0] == headers
    assert len(from_csv) == len(from_xlsx) == 4
    # The first column is text in every list: the same in both files, and on
    # the page.
    assert [row[0] for row in from_csv[1:]] == [row[0] for row in from_xlsx[1:]]
    for row in from_csv[1:]:
        assert row[0] in page


def test_event_download_dates_numbers_labels_and_escaped_formula(client):
    world = World()
    TradeEventFactory(
        plan=world.plan,
        name='=HYPERLINK("http://example.com","Bấm")',
        kind=TradeEvent.Kind.EXHIBITION,
        start_date=date(2019, 5, 15),
        end_date=date(2019, 5, 19),
        booths=120,
        supported_booths=35,
        support_amount=Decimal("450000000"),
        venue="  Cung Văn hoá Hữu nghị  ",
    )
    headers = [str(c.header) for c in tables.EVENT_COLUMNS]
    name, kind, start = (headers.index(h) for h in ("Tên sự kiện", "Loại", "Từ ngày"))
    booths = headers.index("Số gian hàng")
    amount = headers.index("Kinh phí hỗ trợ (đồng)")
    venue = headers.index("Địa điểm")

    (line,) = csv_rows(client.get(f"{EVENTS}?tai=csv"))[1:]
    assert line[name] == '\'=HYPERLINK("http://example.com","Bấm")'
    assert line[kind] == "Triển lãm"
    assert line[start] == "15/05/2019"
    assert line[booths] == "120"
    assert line[amount] == "450000000"
    assert line[venue] == "  Cung Văn hoá Hữu nghị  "

    book = workbook(client.get(f"{EVENTS}?tai=xlsx"))
    sheet = book.worksheets[0]
    assert sheet.title == "Hội chợ, triển lãm, kết nối"  # at most 31, whole words
    assert all(cell.font.b for cell in sheet[1])
    row = sheet[2]
    assert row[name].value == '\'=HYPERLINK("http://example.com","Bấm")'
    assert row[name].data_type == "s"  # text, never a formula
    assert row[kind].value == "Triển lãm"
    assert row[start].value == datetime(2019, 5, 15)
    assert row[start].is_date and row[start].number_format == "DD/MM/YYYY"
    assert row[booths].value == 120
    assert row[amount].value == 450000000
    assert row[venue].value == "  Cung Văn hoá Hữu nghị  "


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("url", LISTS)
def test_a_download_runs_one_query_at_3_and_at_30_rows(
    client, url, fmt, django_assert_max_num_queries
):
    world = World().grow(3)
    with django_assert_max_num_queries(1):
        small = content_of(client.get(f"{url}?tai={fmt}"))
    world.grow(27)
    with django_assert_max_num_queries(1):
        large = content_of(client.get(f"{url}?tai={fmt}"))
    assert len(large) > len(small)


def test_a_streamed_workbook_is_kept_whole_and_served_again_without_queries(
    client, django_assert_num_queries
):
    World().grow(2)
    first = client.get("/cong-khai/du-an-ho-tro/?tai=xlsx")
    assert first.streaming
    content = content_of(first)
    with django_assert_num_queries(0):
        again = client.get("/cong-khai/du-an-ho-tro/?tai=xlsx")
    assert content_of(again) == content
    assert again["Content-Disposition"] == first["Content-Disposition"]


def test_download_cut_short_is_not_kept(client, django_assert_max_num_queries):
    World().grow(2)
    request = RequestFactory().get("/cong-khai/lang-nghe/?tai=csv")
    request.user = AnonymousUser()
    first = public_list(request, kind="villages")
    next(iter(first.streaming_content))  # the header line, then the reader leaves
    # What the server does when a client goes away (the test database connection
    # kept open, as the test client does).
    request_finished.disconnect(close_old_connections)
    try:
        first.close()
    finally:
        request_finished.connect(close_old_connections)
    with django_assert_max_num_queries(1) as queries:
        again = client.get("/cong-khai/lang-nghe/?tai=csv")
        rows = list(csv.reader(io.StringIO(content_of(again).decode("utf-8-sig"))))
    assert len(queries) == 1  # made again, not the cut piece from the cache
    assert len(rows) == 3


# ------------------------------------------------------------- the writer itself


def read_book(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def test_workbook_keeps_empty_cells_in_place_and_every_value_type():
    columns = (
        Column("Tên", lambda r: r[0]),
        Column("Trống", lambda r: r[1]),
        Column("Số", lambda r: r[2]),
        Column("Ngày giờ", lambda r: r[3]),
        Column("Có/không", lambda r: r[4]),
    )
    rows = [
        ("A & B <c>", None, Decimal("12.5"), datetime(2019, 5, 15, 8, 30), True),
        ("Ký tự\x01 điều khiển", "", 7, None, False),
    ]
    (sheet,) = read_book(workbook_bytes([("Bảng", columns, rows)])).values()
    assert sheet[1] == ["A & B <c>", None, 12.5, datetime(2019, 5, 15, 8, 30), "Có"]
    assert sheet[2] == ["Ký tự điều khiển", None, 7, None, "Không"]


def test_workbook_sheet_names_are_valid_and_unique():
    columns = (Column("Tên", lambda r: r),)
    content = workbook_bytes(
        [
            ("Chỉ tiêu [2019]: kế hoạch/thực hiện", columns, ["x"]),
            ("Chỉ tiêu [2019]: kế hoạch/thực hiện", columns, ["y"]),
        ]
    )
    names = list(read_book(content))
    assert len(names) == 2 and len(set(names)) == 2
    assert all(
        len(name) <= 31 and "[" not in name and "/" not in name for name in names
    )


def test_export_values_escape_text_only():
    columns = (Column("a", lambda r: r),)
    values = [v for (v,) in export_values(columns, ["-5", -5, "@x", date(2019, 1, 2)])]
    assert values == ["'-5", -5, "'@x", date(2019, 1, 2)]
