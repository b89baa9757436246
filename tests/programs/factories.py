from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from programs.models import (
    CourseKind,
    EquipmentProject,
    Establishment,
    Participant,
    Plan,
    PlanTarget,
    TradeEvent,
    TrainingCourse,
)
from tests.khuyencong.factories import unit


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("year",)

    year = 2019
    title = factory.LazyAttribute(lambda o: f"Kế hoạch khuyến công năm {o.year}")
    total_budget = Decimal("25000000000")


class PlanTargetFactory(DjangoModelFactory):
    class Meta:
        model = PlanTarget

    plan = factory.SubFactory(PlanFactory)
    indicator = "craft_classes"
    target_value = Decimal("38")


class EstablishmentFactory(DjangoModelFactory):
    class Meta:
        model = Establishment

    name = factory.Sequence(lambda n: f"Cơ sở mây tre đan Demo {n}")
    kind = Establishment.Kind.HOUSEHOLD
    tax_code = factory.Sequence(lambda n: f"{100000000 + n:010d}")
    administrative_unit = factory.LazyFunction(lambda: unit("277"))
    sector = "Mây tre đan"


class TrainingCourseFactory(DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    plan = factory.SubFactory(PlanFactory)
    kind = CourseKind.CRAFT_TRANSFER
    title = factory.Sequence(lambda n: f"Lớp truyền nghề mây tre đan số {n}")
    craft = "Mây tre đan"
    administrative_unit = factory.LazyFunction(lambda: unit("277"))
    start_date = factory.LazyAttribute(lambda o: date(o.plan.year, 3, 1))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=90))
    planned_participants = 35
    total_budget = Decimal("120000000")
    support_budget = Decimal("100000000")
    status = TrainingCourse.Status.FINISHED


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    course = factory.SubFactory(TrainingCourseFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Học Viên {n}")
    birth_year = 1985
    gender = Participant.Gender.MALE
    id_number = factory.Sequence(lambda n: f"001085{n:06d}")


class TradeEventFactory(DjangoModelFactory):
    class Meta:
        model = TradeEvent

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Hội chợ hàng thủ công mỹ nghệ {n}")
    kind = TradeEvent.Kind.FAIR
    start_date = factory.LazyAttribute(lambda o: date(o.plan.year, 10, 10))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=4))
    booths = 100
    supported_booths = 40
    support_amount = Decimal("500000000")


# ------------------------------------------------------------ equipment projects


class EquipmentProjectFactory(DjangoModelFactory):
    class Meta:
        model = EquipmentProject

    plan = factory.SubFactory(PlanFactory)
    establishment = factory.SubFactory(EstablishmentFactory)
    title = factory.Sequence(lambda n: f"Đề án ứng dụng máy chẻ nan tự động {n}")
    description = "Máy chẻ nan, máy vót nan: 2 bộ"
    total_cost = Decimal("800000000")
    requested_support = Decimal("300000000")
    registered_on = factory.LazyAttribute(lambda o: date(o.plan.year, 3, 1))
