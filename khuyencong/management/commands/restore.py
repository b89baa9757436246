from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from khuyencong.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (của lệnh backup) vào cơ sở dữ liệu vừa migrate "
        "và MEDIA_ROOT, rồi đối chiếu số dòng và tổng kiểm tra tệp với manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="thư mục bản sao lưu")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="xóa và thay toàn bộ dữ liệu hiện có (mặc định: chỉ CSDL trống)",
        )

    def handle(self, *args, source, replace, **options):
        try:
            result = backup_restore(source=source, replace=replace)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {result.row_total} dòng ({len(result.rows)} bảng) và "
                f"{len(result.files)} tệp từ {result.folder}; khớp manifest."
            )
        )
