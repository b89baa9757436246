from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from khuyencong.models import AdministrativeUnit, LegalDocument, SupportRule, User
from khuyencong.roles import user_apply_role

PASSWORD = "mat-khau-thu-nghiem-1"


def unit(code: str) -> AdministrativeUnit:
    """A unit of the reference data (loaded by migration 0002)."""
    return AdministrativeUnit.objects.get(code=code)


class AdministrativeUnitFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Xã Demo {n}")
    kind = AdministrativeUnit.Kind.COMMUNE


class LegalDocumentFactory(DjangoModelFactory):
    class Meta:
        model = LegalDocument
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: f"{n + 100}/QĐ-UBND")
    kind = LegalDocument.Kind.DECISION
    issuer = "UBND Thành phố Hà Nội"
    issued_on = factory.Faker("date_between", start_date="-8y", end_date="today")
    summary = "Văn bản mẫu dùng cho kiểm thử"


class SupportRuleFactory(DjangoModelFactory):
    class Meta:
        model = SupportRule

    activity = SupportRule.Activity.EQUIPMENT
    effective_from = date(2018, 5, 11)
    max_share_percent = Decimal("50")
    max_amount = Decimal("300000000")
    legal_basis = factory.SubFactory(LegalDocumentFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    first_name = "Demo"
    last_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@demo.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def apply_role(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            user_apply_role(obj)
