from django.core.management.base import BaseCommand
from django.db import transaction

from programs.participant_counts import recount_participants


class Command(BaseCommand):
    help = (
        "Đếm lại số học viên của từng lớp từ danh sách học viên và sửa những lớp "
        "ghi sai (chỉ cần khi dữ liệu học viên bị ghi thẳng vào cơ sở dữ liệu, "
        "không qua hệ thống)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            fixed = recount_participants()
        if fixed:
            courses = f"{fixed:,}".replace(",", ".")
            self.stdout.write(f"Đã sửa số học viên của {courses} lớp.")
        else:
            self.stdout.write("Số học viên của mọi lớp đều khớp với danh sách.")
