from dataclasses import dataclass

from django.db import transaction

from khuyencong.models import AdministrativeUnit, Role, User
from khuyencong.roles import user_apply_role

DEMO_PASSWORD = "demo-khuyencong-2019"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    full_name: str
    unit_code: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("canbo.so", Role.STAFF, "Nguyễn Văn Demo (cán bộ Sở)"),
    DemoAccount(
        "canbo.chuongmy", Role.OFFICER, "Trần Thị Demo (UBND huyện Chương Mỹ)", "277"
    ),
    DemoAccount(
        "canbo.phuxuyen", Role.OFFICER, "Lê Văn Demo (UBND huyện Phú Xuyên)", "280"
    ),
    DemoAccount("lanhdao", Role.LEADERSHIP, "Phạm Văn Demo (Lãnh đạo Sở)"),
    DemoAccount("quantri", Role.ADMINISTRATOR, "Hoàng Văn Demo (Quản trị hệ thống)"),
)


@transaction.atomic
def demo_accounts_ensure(*, password: str = DEMO_PASSWORD) -> list[User]:
    """One demo account per role; running it again resets them to the same state."""
    users = []
    for account in DEMO_ACCOUNTS:
        last, first = account.full_name.split(" ", 1)
        unit = (
            AdministrativeUnit.objects.get(code=account.unit_code)
            if account.unit_code
            else None
        )
        user, _ = User.objects.update_or_create(
            username=account.username,
            defaults={
                "role": account.role,
                "administrative_unit": unit,
                "last_name": last,
                "first_name": first,
                "email": f"{account.username}@demo.invalid",
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save()
        user_apply_role(user)
        users.append(user)
    return users
