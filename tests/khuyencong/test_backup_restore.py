"""`manage.py backup` and `manage.py restore`: every row and every file comes back."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from khuyencong.backup import dump_rows_for_comparison
from khuyencong.models import AdministrativeUnit, Attachment, LegalDocument, Role
from tests.khuyencong.factories import (
    LegalDocumentFactory,
    SupportRuleFactory,
    UserFactory,
    unit,
)

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _forget_content_type_ids():
    # A restore recreates content types under new ids inside the test's
    # transaction, which is rolled back: later tests must not see the cached ids.
    yield
    ContentType.objects.clear_cache()


def file_checksums(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def portal_data(media):
    officer = UserFactory(role=Role.OFFICER, administrative_unit=unit("277"))
    UserFactory(role=Role.STAFF, first_name="Thị Hà", last_name="Nguyễn")
    document = LegalDocumentFactory(number="7209/QĐ-UBND", summary="Trạm xử lý")
    document.summary = "Trạm xử lý nước thải tập trung"
    document.save()  # a second history row
    SupportRuleFactory(legal_basis=document)
    chuong_my = unit("277")
    chuong_my.name = "Chương Mỹ"
    chuong_my.save()
    for target, name, content in [
        (document, "quyet-dinh.pdf", b"%PDF-1.4 quyet dinh 7209"),
        (chuong_my, "danh-sach-ho.xlsx", b"PK\x03\x04 danh sach ho"),
    ]:
        attachment = Attachment(
            target=target,
            original_name=name,
            size=len(content),
            mime_type="application/pdf",
            uploaded_by=officer,
        )
        attachment.file.save(name, ContentFile(content), save=False)
        attachment.save()
    AccessAttempt.objects.create(
        username="ke-gian",
        ip_address="127.0.0.9",
        user_agent="x",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/dang-nhap/",
        failures_since_start=2,
    )
    return document


def fresh_database_url(tmp_path):
    """A new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}", None
    import psycopg2

    params = connection.settings_dict
    name = f"{params['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        host=params["HOST"],
        port=params["PORT"] or 5432,
        password=params["PASSWORD"] or None,
    )
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')

    def drop():
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    url = (
        f"postgres://{params['USER']}{password}@{params['HOST']}:"
        f"{params['PORT'] or 5432}/{name}"
    )
    return url, drop


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_restore_into_an_empty_database_finds_every_row_and_file(
    portal_data, media, tmp_path
):
    rows_before = dump_rows_for_comparison()
    files_before = file_checksums(media)
    assert len(files_before) == 2

    call_command("backup", output=str(tmp_path / "sao-luu"))

    url, drop = fresh_database_url(tmp_path)
    restored_media = tmp_path / "media-moi"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(restored_media),
    }
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        out = manage(env, "restore", str(tmp_path / "sao-luu"))
        assert "khớp manifest" in out
        dumped = tmp_path / "rows-after.json"
        manage(
            env,
            "shell",
            "-c",
            "import json; from khuyencong.backup import dump_rows_for_comparison; "
            f"open({str(dumped)!r}, 'w').write(json.dumps(dump_rows_for_comparison()))",
        )
    finally:
        if drop:
            drop()
    rows_after = json.loads(dumped.read_text())

    assert rows_after.keys() == rows_before.keys()
    for model, rows in rows_before.items():
        assert rows_after[model] == rows, f"{model} differs after restore"
    assert sum(len(r) for r in rows_after.values()) == sum(
        len(r) for r in rows_before.values()
    )
    assert file_checksums(restored_media) == files_before


def test_restore_refuses_a_database_that_already_has_users(portal_data, tmp_path):
    call_command("backup", output=str(tmp_path / "b"))
    with pytest.raises(CommandError, match="Chỉ khôi phục vào cơ sở dữ liệu trống"):
        call_command("restore", str(tmp_path / "b"))


def test_restore_with_replace_brings_back_deleted_rows_and_files(
    portal_data, media, tmp_path
):
    rows_before = dump_rows_for_comparison()
    files_before = file_checksums(media)
    call_command("backup", output=str(tmp_path / "b"))

    Attachment.objects.all().delete()
    for path in media.rglob("*.pdf"):
        path.unlink()
    LegalDocument.objects.filter(pk=portal_data.pk).update(summary="bị sửa nhầm")
    AdministrativeUnit.objects.filter(code="280").update(name="Sai tên")

    call_command("restore", str(tmp_path / "b"), replace=True)

    assert dump_rows_for_comparison() == rows_before
    assert file_checksums(media) == files_before


def test_times_come_back_to_the_microsecond(portal_data, tmp_path):
    stamp = datetime(2019, 5, 15, 8, 30, 1, 123, tzinfo=UTC)  # 0.000123 s
    LegalDocument.objects.filter(pk=portal_data.pk).update(updated_at=stamp)
    call_command("backup", output=str(tmp_path / "b"))
    call_command("restore", str(tmp_path / "b"), replace=True)
    assert LegalDocument.objects.get(pk=portal_data.pk).updated_at == stamp


def test_a_tampered_backup_is_refused_before_anything_changes(portal_data, tmp_path):
    folder = tmp_path / "b"
    call_command("backup", output=str(folder))
    with (folder / "data.json").open("a") as handle:
        handle.write(" ")
    users = UserFactory._meta.model.objects.count()
    with pytest.raises(CommandError, match="data.json .*bị thay đổi"):
        call_command("restore", str(folder), replace=True)
    assert UserFactory._meta.model.objects.count() == users


def test_a_backup_never_unpacks_outside_the_media_folder(portal_data, tmp_path, media):
    folder = tmp_path / "b"
    call_command("backup", output=str(folder))
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload.txt"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as archive:
        archive.add(payload, arcname="../../ngoai-thu-muc.txt")
    from khuyencong.backup import _sha256

    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"] = {"../../ngoai-thu-muc.txt": _sha256(payload)}
    manifest["archives"]["media.tar.gz"] = _sha256(evil)
    (folder / "media.tar.gz").write_bytes(evil.read_bytes())
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(Exception):  # noqa: B017 - tarfile's own refusal
        call_command("restore", str(folder), replace=True)
    assert not (media.parent.parent / "ngoai-thu-muc.txt").exists()


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("x")
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("backup", output=str(tmp_path / "b"))
