import pytest
from django.core.management import call_command

from villages.models import BrandingApplication
from villages.selectors import branding_by_unit, branding_villages

pytestmark = pytest.mark.django_db


def test_demo_data_reproduces_seven_villages_registered_in_2019():
    call_command("load_demo")
    call_command("load_demo")  # running it again changes nothing
    assert branding_villages(year=2019) == 7
    assert {r.unit_name for r in branding_by_unit(year=2019)} == {
        "Chương Mỹ",
        "Phú Xuyên",
        "Thường Tín",
        "Ba Vì",
    }
    app = BrandingApplication.objects.filter(administrative_unit__code="277").first()
    assert app.filed_by.username == "canbo.chuongmy"
    assert app.submitted_at.date().isoformat() <= "2019-05-15"
