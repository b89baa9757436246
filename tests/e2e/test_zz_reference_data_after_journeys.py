"""Runs after the journeys (pytest-django puts transactional tests last and this file
sorts after the journeys): a transactional test that does not restore data itself
still finds what the data migrations loaded, although every journey ended with Django
emptying the tables. See "Reference data" in conftest.py."""

import pytest
from django.contrib.auth.models import Group

from khuyencong.models import AdministrativeUnit, Role, SupportRule
from khuyencong.roles import group_name


@pytest.mark.django_db(transaction=True)
def test_reference_data_and_role_groups_survive_the_browser_journeys():
    assert AdministrativeUnit.objects.filter(code="277", name="Chương Mỹ").exists()
    assert AdministrativeUnit.objects.count() == 31
    assert SupportRule.objects.exists()
    staff = Group.objects.get(name=group_name(Role.STAFF))
    assert staff.permissions.filter(codename="add_legaldocument").exists()
