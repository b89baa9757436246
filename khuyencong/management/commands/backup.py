from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from khuyencong.backup import backup_create


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu và tệp tải lên (MEDIA_ROOT) vào một thư mục "
        "trống, kèm manifest (số dòng từng bảng, tổng kiểm tra từng tệp)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, type=Path, help="thư mục đích (trống)"
        )

    def handle(self, *args, output, **options):
        try:
            result = backup_create(output=output)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {result.row_total} dòng ({len(result.rows)} bảng) và "
                f"{len(result.files)} tệp vào {result.folder}"
            )
        )
