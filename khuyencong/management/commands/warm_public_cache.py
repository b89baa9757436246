from django.core.management.base import BaseCommand

from khuyencong.cache import warm_public_downloads


class Command(BaseCommand):
    help = (
        "Dựng trước các tệp tải về công khai (CSV, .xlsx) cho dữ liệu hiện tại, để "
        "người xem không phải chờ (dùng sau khi nhập dữ liệu bằng lệnh)."
    )

    def handle(self, *args, **options):
        built = warm_public_downloads()
        self.stdout.write(f"Đã dựng trước {built} tệp tải về công khai.")
