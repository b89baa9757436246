from django.core.management.base import BaseCommand

from khuyencong.demo_data import demo_data_load
from khuyencong.services import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_ensure
from villages.demo import villages_demo_load


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu năm 2019 và tạo mỗi vai trò một tài khoản mẫu "
        "(CHỈ dùng để trình diễn). Chạy lại an toàn."
    )

    def handle(self, *args, **options):
        demo_accounts_ensure()
        villages_demo_load()
        self.stdout.write(self.style.SUCCESS("Tài khoản mẫu (chỉ để trình diễn):"))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<16} {DEMO_PASSWORD}  {account.role.label}"
            )
        result = demo_data_load()
        if not result.created:
            self.stdout.write("Dữ liệu mẫu năm 2019 đã có sẵn: không nạp lại.")
            return
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu năm 2018–2019:"))
        for key, value in result.counts.items():
            self.stdout.write(f"  {key:<24} {value}")
