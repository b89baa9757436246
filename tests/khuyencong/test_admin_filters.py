"""A filter with many choices (the units of a whole country) is folded until the
user opens it or picks one; short filters stay open."""

import re

import pytest
from django.urls import reverse

from khuyencong.models import AdministrativeUnit
from tests.programs.factories import ParticipantFactory, TrainingCourseFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:programs_participant_changelist")


def details(content: str, title: str) -> str:
    return re.search(rf'<details data-filter-title="{title}"[^>]*>', content).group(0)


def test_a_long_filter_is_folded_and_opens_when_used(client, staff_user):
    districts = list(AdministrativeUnit.objects.districts().order_by("code")[:22])
    for district in districts:
        ParticipantFactory(course=TrainingCourseFactory(administrative_unit=district))
    client.force_login(staff_user)

    content = client.get(LIST).content.decode()
    units = details(content, "đơn vị tổ chức lớp")
    assert " open" not in units
    assert "(22)" in content  # the folded filter says how many choices it holds
    assert " open" in details(content, "giới tính")  # two choices: open

    picked = client.get(LIST, {"don_vi": districts[3].pk})
    assert picked.status_code == 200
    assert len(picked.context["cl"].result_list) == 1
    assert " open" in details(picked.content.decode(), "đơn vị tổ chức lớp")
