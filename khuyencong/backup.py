"""Backup and restore of the whole portal: every database row and every uploaded
file, with a manifest to verify a restore against.

A backup folder holds:
- data.json      every row (Django's serializer; content types and permissions by
                 natural key, every other primary key kept, so generic relations
                 and history stay valid);
- media.tar.gz   everything under MEDIA_ROOT;
- manifest.json  when and from what, row count per model, SHA-256 of every file
                 and of the two archives.

A restore checks the archives against the manifest before it touches anything,
replaces the database content in one transaction, unpacks the files, and checks
row counts and file checksums again: any difference is an error.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
DATA_FILE = "data.json"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
# Recreated by `migrate`; referenced by natural key in the data.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    rows: dict[str, int]
    files: dict[str, str]

    @property
    def row_total(self) -> int:
        return sum(self.rows.values())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _backed_up_models() -> list:
    result = []
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        if opts.app_label in EXCLUDED or opts.label_lower in EXCLUDED:
            continue
        result.append(model)
    return result


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps microseconds
    (every `updated_at` comes back exactly as it was)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _write_rows(stream) -> None:
    """Every row of every backed-up model, by the base manager (a default manager
    that hides rows must not hide them from the backup), in dependency order."""
    included = set(_backed_up_models())
    app_list = [
        (config, None)
        for config in apps.get_app_configs()
        if config.models_module is not None
    ]
    ordered = [
        m
        for m in serializers.sort_dependencies(app_list, allow_cycles=True)
        if m in included
    ]

    def rows():
        for model in ordered:
            yield from model._base_manager.order_by(model._meta.pk.name).iterator()

    serializers.serialize(
        "json",
        rows(),
        stream=stream,
        use_natural_foreign_keys=True,
        cls=ExactJSONEncoder,
    )


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m._base_manager.count()
        for m in sorted(_backed_up_models(), key=lambda m: m._meta.label_lower)
    }


def _media_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup_create(*, output: Path) -> BackupResult:
    """Write a backup of the database and MEDIA_ROOT into `output` (created; must
    be empty)."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise ValidationError(
            _("Thư mục sao lưu “%(path)s” đã có dữ liệu; hãy chọn thư mục trống.")
            % {"path": output}
        )
    media_root = Path(settings.MEDIA_ROOT)
    # One repeatable-read snapshot on PostgreSQL, so that rows written while the
    # dump runs cannot make it inconsistent.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                )
        rows = _row_counts()
        with (output / DATA_FILE).open("w", encoding="utf-8") as stream:
            _write_rows(stream)
    files = _media_files(media_root)
    with tarfile.open(output / MEDIA_FILE, "w:gz") as archive:
        for name in files:
            archive.add(media_root / name, arcname=name, recursive=False)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "django": django.get_version(),
        "database": connection.vendor,
        "rows": rows,
        "files": files,
        "archives": {
            DATA_FILE: _sha256(output / DATA_FILE),
            MEDIA_FILE: _sha256(output / MEDIA_FILE),
        },
    }
    (output / MANIFEST_FILE).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return BackupResult(folder=output, rows=rows, files=files)


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValidationError(
            _("Không thấy %(file)s trong “%(path)s”: đây không phải bản sao lưu.")
            % {"file": MANIFEST_FILE, "path": source}
        ) from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise ValidationError(_("Bản sao lưu có định dạng không được hỗ trợ."))
    for name, expected in manifest["archives"].items():
        path = source / name
        if not path.exists() or _sha256(path) != expected:
            raise ValidationError(
                _("Tệp %(file)s của bản sao lưu bị thiếu hoặc đã bị thay đổi.")
                % {"file": name}
            )
    return manifest


def _database_has_data() -> bool:
    from khuyencong.models import User

    return User.objects.exists()


def _flush(tables: list[str] | None = None) -> None:
    """Delete every row of these tables (all of Django's when None)."""
    if tables is None:
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # TRUNCATE refuses tables with pending deferred foreign-key checks (rows
        # written earlier in the same transaction): run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    )
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _empty_database() -> None:
    """Leave only what `migrate` creates and the data refers to by natural key
    (content types and permissions, custom ones included): everything else comes
    from the backup, with its own primary keys."""
    _flush()
    ContentType.objects.clear_cache()  # ids change: forget the old ones
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    # post_migrate also made rows the backup brings back (the role groups...).
    backed_up = {m._meta.db_table for m in _backed_up_models()}
    backed_up |= {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.auto_created and m._meta.auto_created._meta.db_table in backed_up
    }
    _flush(sorted(backed_up))


def backup_restore(*, source: Path, replace: bool = False) -> BackupResult:
    """Restore a backup made by `backup_create` into this database and MEDIA_ROOT.

    The database must hold no users (a freshly migrated one) unless `replace`."""
    source = Path(source)
    manifest = _read_manifest(source)
    if not replace and _database_has_data():
        raise ValidationError(
            _(
                "Cơ sở dữ liệu đang có dữ liệu người dùng. Chỉ khôi phục vào cơ sở "
                "dữ liệu trống (vừa chạy migrate), hoặc dùng --replace để thay thế "
                "toàn bộ dữ liệu hiện có."
            )
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source / MEDIA_FILE, "r:gz") as archive:
        names = sorted(m.name for m in archive.getmembers() if m.isfile())
    if names != sorted(manifest["files"]):
        raise ValidationError(_("Danh sách tệp trong bản sao lưu không khớp manifest."))

    with transaction.atomic():
        _empty_database()
        call_command("loaddata", str(source / DATA_FILE), verbosity=0)
        rows = _row_counts()
        if rows != manifest["rows"]:
            differences = ", ".join(
                f"{label}: {manifest['rows'].get(label, 0)} → {rows.get(label, 0)}"
                for label in sorted(set(rows) | set(manifest["rows"]))
                if rows.get(label, 0) != manifest["rows"].get(label, 0)
            )
            raise ValidationError(
                _("Số dòng sau khi khôi phục không khớp bản sao lưu: %(diff)s.")
                % {"diff": differences}
            )
        # Files last, still inside the transaction: if unpacking fails, the
        # database is rolled back too.
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA_FILE, "r:gz") as archive:
            archive.extractall(media_root, filter="data")
        restored = {name: _sha256(media_root / name) for name in manifest["files"]}
        wrong = sorted(n for n, d in restored.items() if d != manifest["files"][n])
        if wrong:
            raise ValidationError(
                _("Tệp khôi phục sai tổng kiểm tra: %(files)s.")
                % {"files": ", ".join(wrong)}
            )
    return BackupResult(folder=source, rows=rows, files=restored)


def dump_rows_for_comparison() -> dict[str, list]:
    """Every backed-up row, serialised the way the backup does (for tests and
    for an operator comparing two databases)."""
    buffer = io.StringIO()
    _write_rows(buffer)
    result: dict[str, list] = {}
    for row in json.loads(buffer.getvalue() or "[]"):
        result.setdefault(row["model"], []).append(row)
    for rows in result.values():
        rows.sort(key=lambda r: json.dumps(r["pk"], sort_keys=True))
    return result
