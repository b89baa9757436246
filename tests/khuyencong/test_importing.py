"""The import/export machinery on the core registers, with real .xlsx/.csv files."""

import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from khuyencong.importing import files
from khuyencong.importing.registry import resource_for
from khuyencong.importing.runner import file_import
from khuyencong.models import AdministrativeUnit, LegalDocument, SupportRule
from khuyencong.resources import (
    AdministrativeUnitResource,
    LegalDocumentResource,
    SupportRuleResource,
)
from tests.khuyencong.factories import LegalDocumentFactory
from tests.khuyencong.spreadsheets import csv_bytes, read_csv, read_xlsx, xlsx_bytes

DOC_HEADER = ["Số, ký hiệu", "Loại văn bản", "Cơ quan ban hành", "Ngày ban hành"]
UNIT_HEADER = ["Mã đơn vị", "Tên", "Cấp/loại", "Trực thuộc", "Hiệu lực từ"]
RULE_HEADER = [
    "Nội dung hỗ trợ",
    "Nguồn kinh phí",
    "Áp dụng từ ngày",
    "Tỷ lệ hỗ trợ tối đa (%)",
    "Mức hỗ trợ tối đa (đồng)",
    "Số nội dung tối đa",
]


def run_import(resource_class, content, ext, *, dry_run=False, user=None):
    dataset = files.read_dataset(io.BytesIO(content), ext)
    return resource_class(user=user).import_data(dataset, dry_run=dry_run, user=user)


def errors_of(result) -> list[tuple[int, dict]]:
    return [(row.number, row.error.message_dict) for row in result.invalid_rows]


def test_every_core_register_has_its_resource():
    assert resource_for(AdministrativeUnit) is AdministrativeUnitResource
    assert resource_for(LegalDocument) is LegalDocumentResource
    assert resource_for(SupportRule) is SupportRuleResource


@pytest.mark.django_db
def test_xlsx_with_real_date_cells_and_numbers_imports_every_row(staff_user):
    content = xlsx_bytes(
        [
            DOC_HEADER,
            ["100/QĐ-UBND", "Quyết định", "UBND Thành phố", datetime(2019, 5, 15)],
            ["101/KH-UBND", "Kế hoạch", "UBND Thành phố", date(2019, 2, 21)],
            ["102/CV-SCT", "cong_van", "Sở Công Thương", 43600],
        ]
    )
    result = run_import(LegalDocumentResource, content, "xlsx", user=staff_user)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    docs = {d.number: d for d in LegalDocument.objects.filter(number__contains="/")}
    assert docs["100/QĐ-UBND"].issued_on == date(2019, 5, 15)
    assert docs["101/KH-UBND"].kind == LegalDocument.Kind.PLAN
    assert docs["102/CV-SCT"].kind == LegalDocument.Kind.OFFICIAL_LETTER
    assert docs["102/CV-SCT"].issued_on == date(2019, 5, 15)
    # History is kept for bulk-imported rows, with who imported them.
    record = docs["100/QĐ-UBND"].history.get()
    assert record.history_user == staff_user


@pytest.mark.django_db
def test_csv_with_vietnamese_numbers_and_text_dates():
    content = csv_bytes(
        [
            RULE_HEADER,
            ["Mô hình trình diễn kỹ thuật", "", "15/05/2019", "2,5", "1.000.000", "5"],
            ["thiet_bi", "Khuyến công quốc gia", "01/01/2020", "50", "1.300", ""],
        ]
    )
    result = run_import(SupportRuleResource, content, "csv")
    assert errors_of(result) == []
    demo = SupportRule.objects.get(activity="mo_hinh", effective_from=date(2019, 5, 15))
    assert demo.max_share_percent == Decimal("2.5")
    assert demo.max_amount == Decimal("1000000")
    assert demo.max_items == 5
    assert demo.funding_source == ""
    national = SupportRule.objects.get(
        activity="thiet_bi", effective_from=date(2020, 1, 1)
    )
    assert national.funding_source == "quoc_gia"
    assert national.max_amount == Decimal("1300")


@pytest.mark.django_db
def test_csv_saved_by_vietnamese_windows_excel_with_semicolons():
    content = csv_bytes(
        [DOC_HEADER, ["103/QĐ-UBND", "Quyết định", "UBND Thành phố", "02/12/2013"]],
        encoding="cp1258",
        delimiter=";",
    )
    result = run_import(LegalDocumentResource, content, "csv")
    assert errors_of(result) == []
    assert LegalDocument.objects.get(number="103/QĐ-UBND").issuer == "UBND Thành phố"


@pytest.mark.django_db
def test_units_by_code_by_name_and_by_kind_and_name():
    content = xlsx_bytes(
        [
            UNIT_HEADER,
            ["99001", "Xã Một", "Xã", "277", "01/07/2025"],
            ["99002", "Xã Hai", "xa", "Chương Mỹ", ""],
            ["99003", "Xã Ba", "Xã", "Huyện Chương Mỹ", None],
            ["99004", "Xã Bốn", "Xã", " huyện  chương mỹ ", None],
            ["99005", "Xã Năm", "Xã", "Phú Xuyên", None],
        ]
    )
    result = run_import(AdministrativeUnitResource, content, "xlsx")
    assert errors_of(result) == []
    parents = dict(
        AdministrativeUnit.objects.filter(code__startswith="9900").values_list(
            "code", "parent__code"
        )
    )
    assert parents == {
        "99001": "277",
        "99002": "277",
        "99003": "277",
        "99004": "277",
        "99005": "280",
    }
    assert AdministrativeUnit.objects.get(code="99001").valid_from == date(2025, 7, 1)


@pytest.mark.django_db
def test_an_unknown_unit_is_an_error_naming_the_column():
    content = xlsx_bytes([UNIT_HEADER, ["99001", "Xã Một", "Xã", "Huyện Atlantis", ""]])
    result = run_import(AdministrativeUnitResource, content, "xlsx")
    assert errors_of(result) == [
        (1, {"Trực thuộc": ["Không tìm thấy đơn vị hành chính “Huyện Atlantis”."]})
    ]


@pytest.mark.django_db
def test_decomposed_diacritics_and_stray_spaces_are_the_same_text():
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    header = [nfd(f"  {h} ") for h in DOC_HEADER]
    content = xlsx_bytes(
        [header, [nfd(" 104/QĐ-UBND "), nfd("Quyết   định"), nfd("UBND  Hà Nội"), ""]]
    )
    result = run_import(LegalDocumentResource, content, "xlsx")
    assert errors_of(result) == []
    doc = LegalDocument.objects.get(number="104/QĐ-UBND")
    assert doc.issuer == "UBND Hà Nội"
    assert doc.kind == LegalDocument.Kind.DECISION
    # The same record typed composed is recognised: nothing new.
    again = xlsx_bytes([DOC_HEADER, ["104/QĐ-UBND", "Quyết định", "UBND Hà Nội", ""]])
    result = run_import(LegalDocumentResource, again, "xlsx")
    assert result.totals["new"] == 0 and result.totals["skip"] == 1


@pytest.mark.django_db
def test_one_bad_row_among_many_saves_nothing():
    rows = [DOC_HEADER]
    rows += [[f"{n}/QĐ-UBND", "Quyết định", "UBND", "15/05/2019"] for n in range(200)]
    rows[120][3] = "31/02/2019"
    before = LegalDocument.objects.count()
    result = run_import(LegalDocumentResource, xlsx_bytes(rows), "xlsx")
    assert errors_of(result) == [
        (120, {"Ngày ban hành": ["Ngày “31/02/2019” không có trên lịch."]})
    ]
    assert LegalDocument.objects.count() == before


@pytest.mark.django_db
def test_importing_the_same_file_twice_creates_nothing_new():
    content = csv_bytes(
        [DOC_HEADER]
        + [[f"{n}/KH-UBND", "Kế hoạch", "UBND", "15/05/2019"] for n in range(30)]
    )
    first = run_import(LegalDocumentResource, content, "csv")
    count = LegalDocument.objects.count()
    second = run_import(LegalDocumentResource, content, "csv")
    assert first.totals["new"] == 30
    assert second.totals["new"] == 0
    assert second.totals["update"] == 0
    assert second.totals["skip"] == 30
    assert LegalDocument.objects.count() == count


@pytest.mark.django_db
def test_a_changed_row_updates_the_record_found_by_its_natural_key():
    doc = LegalDocumentFactory(number="105/QĐ-UBND", issuer="Cũ")
    content = xlsx_bytes([DOC_HEADER, ["105/QĐ-UBND", "Quyết định", "Mới", ""]])
    result = run_import(LegalDocumentResource, content, "xlsx")
    assert result.totals["update"] == 1
    doc.refresh_from_db()
    assert doc.issuer == "Mới"
    assert doc.issued_on is None


@pytest.mark.django_db
def test_a_row_repeating_an_earlier_key_is_refused_with_both_row_numbers():
    content = xlsx_bytes(
        [
            DOC_HEADER,
            ["106/QĐ-UBND", "Quyết định", "UBND", ""],
            ["107/QĐ-UBND", "Quyết định", "UBND", ""],
            ["106/QĐ-UBND", "Kế hoạch", "UBND", ""],
        ]
    )
    result = run_import(LegalDocumentResource, content, "xlsx")
    [(number, errors)] = errors_of(result)
    assert number == 3
    assert "dòng 2 của tệp" in errors["__all__"][0]
    assert not LegalDocument.objects.filter(number="106/QĐ-UBND").exists()


@pytest.mark.django_db
def test_a_database_constraint_failure_is_traced_to_its_row():
    content = xlsx_bytes(
        [
            UNIT_HEADER + ["Hiệu lực đến"],
            ["99001", "Xã Một", "Xã", "277", "01/07/2025", ""],
            ["99002", "Xã Hai", "Xã", "277", "01/07/2025", "30/06/2025"],
        ]
    )
    result = run_import(AdministrativeUnitResource, content, "xlsx")
    assert result.has_errors()
    messages = [str(e.error) for e in result.base_errors]
    assert messages == ["Dòng 3: Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."]
    assert not AdministrativeUnit.objects.filter(code__startswith="9900").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "message"),
    [
        (DOC_HEADER[1:], "Thiếu cột bắt buộc: “Số, ký hiệu”"),
        (DOC_HEADER + ["Ghi chú riêng"], "Cột không nhận ra: “Ghi chú riêng”"),
        (DOC_HEADER + ["Số, ký hiệu"], "Cột lặp lại: “Số, ký hiệu”"),
    ],
)
def test_missing_unknown_and_repeated_columns_refuse_the_whole_file(header, message):
    content = xlsx_bytes([header, ["x"] * len(header)])
    result = run_import(LegalDocumentResource, content, "xlsx")
    [error] = result.base_errors
    assert message in str(error.error)
    assert not result.invalid_rows


@pytest.mark.django_db
def test_export_round_trips_into_an_import_that_changes_nothing():
    LegalDocumentFactory(number="108/QĐ-UBND", summary="Trích yếu, có dấu phẩy")
    LegalDocumentFactory(number="109/QĐ-UBND", issued_on=None, summary="=1+1")
    count = LegalDocument.objects.count()
    for fmt, ext in ((files.XLSX(), "xlsx"), (files.CSV(), "csv")):
        exported = fmt.export_data(LegalDocumentResource().export())
        result = run_import(LegalDocumentResource, exported, ext)
        assert errors_of(result) == [] and not result.has_errors()
        assert result.totals["new"] == 0
        assert result.totals["update"] == 0
        assert result.totals["skip"] == count
    assert LegalDocument.objects.get(number="109/QĐ-UBND").summary == "=1+1"


@pytest.mark.django_db
def test_units_export_by_name_and_import_back_unchanged():
    exported = files.XLSX().export_data(AdministrativeUnitResource().export())
    rows = read_xlsx(exported)
    assert rows[0] == [
        "Mã đơn vị",
        "Tên",
        "Cấp/loại",
        "Trực thuộc",
        "Hiệu lực từ",
        "Hiệu lực đến",
    ]
    chuong_my = next(r for r in rows if r[0] == "277")
    assert chuong_my[2:4] == ["Huyện", "Thành phố Hà Nội"]
    result = run_import(AdministrativeUnitResource, exported, "xlsx")
    assert result.totals["skip"] == AdministrativeUnit.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("summary", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"])
def test_formula_cells_are_escaped_in_exports(summary):
    LegalDocumentFactory(number="110/QĐ-UBND", summary=summary)
    dataset = LegalDocumentResource().export()
    xlsx_rows = read_xlsx(files.XLSX().export_data(dataset))
    csv_rows = read_csv(files.CSV().export_data(dataset))
    for rows in (xlsx_rows, csv_rows):
        row = next(r for r in rows if r[0] == "110/QĐ-UBND")
        assert row[4] == "'" + summary


@pytest.mark.django_db
def test_officer_export_holds_only_their_unit(officer_a):
    units = AdministrativeUnitResource(user=officer_a).export()
    assert [row[0] for row in units] == ["277"]
    everyone = AdministrativeUnitResource().export()
    assert len(everyone) == AdministrativeUnit.objects.count() > 1


@pytest.mark.django_db
def test_large_file_command_import_is_all_or_nothing(tmp_path):
    good = tmp_path / "vanban.xlsx"
    rows = [DOC_HEADER] + [
        [f"{n}/TB-SCT", "Khác", "Sở Công Thương", "15/05/2019"] for n in range(250)
    ]
    good.write_bytes(xlsx_bytes(rows))
    report = file_import(resource_class=LegalDocumentResource, path=good, chunk_size=60)
    assert report.ok and report.saved
    assert (report.rows, report.new) == (250, 250)
    again = file_import(resource_class=LegalDocumentResource, path=good, chunk_size=60)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 250)

    bad = tmp_path / "vanban-loi.csv"
    rows = [DOC_HEADER] + [
        [f"{n}/TB-UBND", "Khác", "UBND", "15/05/2019"] for n in range(250)
    ]
    rows[200][3] = "không rõ"
    rows[230][0] = "5/TB-UBND"  # repeats row 7, in another chunk
    bad.write_bytes(csv_bytes(rows))
    report = file_import(resource_class=LegalDocumentResource, path=bad, chunk_size=60)
    assert not report.saved
    assert report.errors == [
        "Dòng 201 — Ngày ban hành: Ngày “không rõ” không đúng dạng ngày/tháng/năm "
        "(ví dụ 15/05/2019).",
        "Dòng 231 — Dòng này trùng Số, ký hiệu với một dòng phía trên của tệp: mỗi "
        "bản ghi chỉ được có một dòng.",
    ]
    assert not LegalDocument.objects.filter(number__endswith="/TB-UBND").exists()


def test_blank_rows_at_the_end_are_ignored_and_a_header_only_file_is_refused():
    content = xlsx_bytes([DOC_HEADER, ["1/QĐ", "Khác", "UBND", ""], [None] * 4, []])
    assert len(files.read_dataset(io.BytesIO(content), "xlsx")) == 1
    with pytest.raises(ValidationError, match="không có dòng dữ liệu"):
        files.read_dataset(io.BytesIO(xlsx_bytes([DOC_HEADER])), "xlsx", name="a")


@pytest.mark.django_db
def test_import_writes_in_batches_not_row_by_row(django_assert_max_num_queries):
    rows = [DOC_HEADER] + [
        [f"{n}/QĐ-SCT", "Quyết định", "Sở Công Thương", "15/05/2019"]
        for n in range(600)
    ]
    content = xlsx_bytes(rows)
    # Existing rows: 2 lookups of 500 keys; writes: INSERTs of the rows and of their
    # history in batches (SQLite allows 999 parameters per statement, so ~100 rows
    # a statement; one statement on PostgreSQL); savepoints around them.
    with django_assert_max_num_queries(30):
        result = run_import(LegalDocumentResource, content, "xlsx")
    assert result.totals["new"] == 600
    with django_assert_max_num_queries(10):  # 2 SELECTs, the rest savepoints
        result = run_import(LegalDocumentResource, content, "xlsx")
    assert result.totals["skip"] == 600


@pytest.mark.django_db
def test_portal_export_response_is_scoped_and_escaped(officer_a):
    from khuyencong.importing.export import export_response

    officer_a.administrative_unit.name = "=Chương Mỹ"
    officer_a.administrative_unit.save()
    response = export_response(
        resource_class=AdministrativeUnitResource, user=officer_a, file_format="csv"
    )
    assert response["Content-Disposition"].startswith(
        'attachment; filename="administrativeunit-'
    )
    rows = read_csv(response.content)
    assert rows[1:] == [
        ["277", "'=Chương Mỹ", "Huyện", "Thành phố Hà Nội", "01/08/2008", "30/06/2025"]
    ]
