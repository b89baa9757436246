from django.core.management.base import BaseCommand

from khuyencong.roles import roles_sync


class Command(BaseCommand):
    help = "Tạo và cập nhật các nhóm vai trò cùng quyền của chúng (chạy lại an toàn)."

    def handle(self, *args, **options):
        for role, count in roles_sync().items():
            self.stdout.write(f"{role}: {count} quyền")
