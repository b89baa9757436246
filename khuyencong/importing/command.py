"""The base of every import command: a file of any size, a progress bar, one
transaction, a Vietnamese report of every error with its row number."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from khuyencong.importing.runner import file_import, file_rows_estimate


class ImportCommand(BaseCommand):
    """Subclasses set `resource_class`, or override get_resource_class()."""

    resource_class = None
    help = "Nhập một tệp .xlsx hoặc .csv; lỗi ở bất kỳ dòng nào thì không lưu gì."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Đường dẫn tệp .xlsx hoặc .csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra, không lưu gì.",
        )
        parser.add_argument(
            "--user",
            help="Tên đăng nhập người nhập (ghi vào lịch sử thay đổi).",
        )
        parser.add_argument("--chunk-size", type=int, default=2000)
        parser.add_argument(
            "--no-progress", action="store_true", help="Không hiện thanh tiến độ."
        )

    def get_resource_class(self, options):
        if self.resource_class is None:
            raise CommandError("resource_class chưa được khai báo.")
        return self.resource_class

    def get_import_kwargs(self, options) -> dict:
        """More arguments for file_import (e.g. fixed_columns)."""
        return {}

    def handle(self, *args, **options):
        from pathlib import Path

        resource_class = self.get_resource_class(options)
        extra = self.get_import_kwargs(options)
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{path}”.")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"Không có người dùng “{options['user']}”.") from exc
        show = not options["no_progress"]
        bar = tqdm(
            total=file_rows_estimate(path, path.suffix.lower().lstrip(".")),
            unit=" dòng",
            disable=not show,
            file=self.stderr._out if hasattr(self.stderr, "_out") else None,
        )
        try:
            report = file_import(
                resource_class=resource_class,
                path=path,
                user=user,
                dry_run=options["dry_run"],
                chunk_size=options["chunk_size"],
                progress=bar.update,
                **extra,
            )
        finally:
            bar.close()
        for message in report.errors:
            self.stderr.write(message)
        if report.error_count > len(report.errors):
            self.stderr.write(
                f"... và {report.error_count - len(report.errors)} lỗi khác."
            )
        summary = (
            f"{report.rows} dòng: {report.new} mới, {report.updated} cập nhật, "
            f"{report.unchanged} không đổi."
        )
        if not report.ok:
            raise CommandError(
                f"{report.error_count} lỗi; không có gì được lưu. ({summary})"
            )
        if options["dry_run"]:
            self.stdout.write(f"Kiểm tra xong, không lưu (--dry-run). {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập. {summary}"))
