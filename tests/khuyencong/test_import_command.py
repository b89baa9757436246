"""`manage.py import_register`: the command framework the roster command builds on."""

import pytest
from django.core.management import CommandError, call_command

from khuyencong.models import LegalDocument
from tests.khuyencong.spreadsheets import csv_bytes, xlsx_bytes

HEADER = ["Số, ký hiệu", "Loại văn bản", "Cơ quan ban hành", "Ngày ban hành"]


def rows(count, suffix="TB-SCT"):
    return [HEADER] + [
        [f"{n}/{suffix}", "Khác", "Sở Công Thương", "15/05/2019"] for n in range(count)
    ]


@pytest.mark.django_db
def test_command_imports_a_file_and_reports_the_counts(tmp_path, capsys, staff_user):
    path = tmp_path / "vanban.xlsx"
    path.write_bytes(xlsx_bytes(rows(120)))
    call_command(
        "import_register",
        "khuyencong.LegalDocument",
        str(path),
        "--chunk-size=50",
        f"--user={staff_user.username}",
    )
    out = capsys.readouterr()
    assert "Đã nhập. 120 dòng: 120 mới, 0 cập nhật, 0 không đổi." in out.out
    assert "120/120" in out.err  # the progress bar
    doc = LegalDocument.objects.get(number="7/TB-SCT")
    assert doc.history.get().history_user == staff_user


@pytest.mark.django_db
def test_command_saves_nothing_when_a_row_is_wrong(tmp_path, capsys):
    data = rows(80)
    data[61][2] = ""
    path = tmp_path / "vanban.csv"
    path.write_bytes(csv_bytes(data))
    with pytest.raises(CommandError, match="1 lỗi; không có gì được lưu"):
        call_command(
            "import_register", "khuyencong.LegalDocument", str(path), "--no-progress"
        )
    assert "Dòng 62 — Cơ quan ban hành: Trường này không được để trắng." in (
        capsys.readouterr().err
    )
    assert not LegalDocument.objects.filter(number__endswith="/TB-SCT").exists()


@pytest.mark.django_db
def test_command_dry_run_checks_without_saving(tmp_path, capsys):
    path = tmp_path / "vanban.csv"
    path.write_bytes(csv_bytes(rows(10)))
    call_command(
        "import_register",
        "khuyencong.LegalDocument",
        str(path),
        "--dry-run",
        "--no-progress",
    )
    assert "không lưu (--dry-run). 10 dòng: 10 mới" in capsys.readouterr().out
    assert not LegalDocument.objects.filter(number__endswith="/TB-SCT").exists()


@pytest.mark.django_db
def test_command_refuses_unknown_registers_and_files(tmp_path):
    with pytest.raises(CommandError, match="Không có sổ"):
        call_command("import_register", "khuyencong.Nothing", "x.csv")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command(
            "import_register", "khuyencong.LegalDocument", str(tmp_path / "x.csv")
        )
    path = tmp_path / "vanban.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command(
            "import_register", "khuyencong.LegalDocument", str(path), "--no-progress"
        )
