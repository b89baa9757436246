from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.khuyencong.factories import unit
from villages.models import (
    BrandingActivity,
    BrandingApplication,
    BrandingCall,
    CraftVillage,
)


class CraftVillageFactory(DjangoModelFactory):
    class Meta:
        model = CraftVillage

    name = factory.Sequence(lambda n: f"Làng nghề mẫu {n}")
    administrative_unit = factory.LazyFunction(lambda: unit("277"))
    hamlet = "Thôn Phú Vinh"
    crafts = "Mây tre đan"
    title = CraftVillage.Title.TRADITIONAL
    recognition_year = 2005
    households_total = 500
    households_in_trade = 300
    workers = 900
    craft_started_year = 1700
    stable_production_since = 1990


class BrandingCallFactory(DjangoModelFactory):
    """An open call by default: opened a month ago, closes in a month."""

    class Meta:
        model = BrandingCall

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.Sequence(lambda n: f"Đợt đăng ký xây dựng thương hiệu {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class BrandingApplicationFactory(DjangoModelFactory):
    class Meta:
        model = BrandingApplication

    call = factory.SubFactory(BrandingCallFactory)
    village = factory.SubFactory(CraftVillageFactory)
    administrative_unit = factory.LazyAttribute(lambda o: o.village.administrative_unit)
    contact_name = "Nguyễn Văn Demo"
    contact_phone = "0912000000"


class BrandingActivityFactory(DjangoModelFactory):
    class Meta:
        model = BrandingActivity

    application = factory.SubFactory(BrandingApplicationFactory)
    kind = BrandingActivity.Kind.IDENTITY
    cost = Decimal("80000000")
