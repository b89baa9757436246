"""The 2019 demo data of the villages app (DOMAIN.md §6): seven villages from
Chương Mỹ, Phú Xuyên, Thường Tín and Ba Vì registered for branding support by
15/5/2019. Village names are invented and marked as demo data; the districts and
NQ 11/2019/NQ-HĐND are real. Loading twice changes nothing."""

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from khuyencong.models import AdministrativeUnit, User, WorkflowLog
from villages.models import (
    ApplicationStatus,
    BrandingActivity,
    BrandingApplication,
    BrandingCall,
    CraftVillage,
)

DEMO_MARK = " (dữ liệu mẫu)"
M = Decimal("1000000")

# (unit code, village, crafts, households total / in trade, workers, craft since,
#  day submitted in 2019, activities)
DEMO_VILLAGES = (
    (
        "277",
        "Làng mây tre đan Phú An",
        "Mây tre đan",
        620,
        410,
        1300,
        1850,
        6,
        {"nhan_dien": 80, "quang_ba": 60, "nhan_hieu": 50},
    ),
    (
        "277",
        "Làng sơn mài Hòa Bình",
        "Sơn mài",
        380,
        150,
        420,
        1930,
        10,
        {"dao_tao": 40, "nhan_dien": 90},
    ),
    (
        "280",
        "Làng khảm trai Xuân Hòa",
        "Khảm trai",
        540,
        260,
        800,
        1820,
        8,
        {"chien_luoc": 70, "nhan_dien": 100, "nhan_hieu": 45},
    ),
    (
        "280",
        "Làng may Đông Tiến",
        "May mặc",
        700,
        300,
        950,
        1965,
        13,
        {"dao_tao": 30, "quang_ba": 80},
    ),
    (
        "279",
        "Làng điêu khắc Tân Minh",
        "Điêu khắc gỗ",
        450,
        220,
        600,
        1800,
        9,
        {"nhan_dien": 85, "nhan_hieu": 50, "quang_ba": 70},
    ),
    (
        "279",
        "Làng thêu Quang Phú",
        "Thêu ren",
        520,
        190,
        560,
        1900,
        14,
        {"dao_tao": 35, "chien_luoc": 60},
    ),
    (
        "271",
        "Làng thuốc nam Yên Sơn",
        "Chế biến thuốc nam",
        300,
        120,
        350,
        1950,
        15,
        {"nhan_dien": 75, "nhan_hieu": 50},
    ),
)


@transaction.atomic
def villages_demo_load() -> BrandingCall:
    call, _ = BrandingCall.objects.get_or_create(
        year=2019,
        title="Đăng ký hỗ trợ xây dựng thương hiệu làng nghề năm 2019" + DEMO_MARK,
        defaults={
            "opens_on": date(2019, 4, 1),
            "deadline": date(2019, 5, 15),
            "note": "Theo Nghị quyết 11/2019/NQ-HĐND.",
        },
    )
    tz = timezone.get_current_timezone()
    for code, name, crafts, total, in_trade, workers, since, day, acts in DEMO_VILLAGES:
        unit = AdministrativeUnit.objects.get(code=code)
        village, _ = CraftVillage.objects.get_or_create(
            administrative_unit=unit,
            name=name + DEMO_MARK,
            defaults={
                "crafts": crafts,
                "title": CraftVillage.Title.TRADITIONAL,
                "households_total": total,
                "households_in_trade": in_trade,
                "workers": workers,
                "craft_started_year": since,
                "stable_production_since": 2000,
            },
        )
        officer = User.objects.filter(
            role="can_bo_huyen", administrative_unit=unit
        ).first()
        submitted_at = datetime.combine(date(2019, 5, day), time(9, 0), tzinfo=tz)
        application, created = BrandingApplication.objects.get_or_create(
            call=call,
            village=village,
            defaults={
                "administrative_unit": unit,
                "filed_by": officer,
                "contact_name": "Cán bộ phụ trách" + DEMO_MARK,
                "status": ApplicationStatus.SUBMITTED,
                "submitted_at": submitted_at,
            },
        )
        if not created:
            continue
        for kind, millions in acts.items():
            BrandingActivity.objects.create(
                application=application, kind=kind, cost=millions * M
            )
        if officer is not None:
            # History as it happened in 2019: the submit step, logged on its day.
            log = WorkflowLog.objects.create(
                target=application,
                transition="nop",
                from_state=ApplicationStatus.DRAFT,
                to_state=ApplicationStatus.SUBMITTED,
                by=officer,
                comment="",
            )
            WorkflowLog.objects.filter(pk=log.pk).update(at=submitted_at)
    return call
