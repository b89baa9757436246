import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from khuyencong.models import Role, User
from tests.khuyencong.factories import PASSWORD

pytestmark = pytest.mark.django_db

MESSAGE = "Cán bộ quận/huyện phải được gán một đơn vị hành chính."


def test_officer_without_unit_fails_validation_with_a_clear_message():
    user = User(username="canbo", role=Role.OFFICER)
    with pytest.raises(ValidationError) as err:
        user.full_clean()
    assert err.value.message_dict["administrative_unit"] == [MESSAGE]


def test_officer_without_unit_cannot_be_saved_even_bypassing_forms():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="canbo", role=Role.OFFICER)
    assert not User.objects.filter(username="canbo").exists()


def test_admin_add_form_refuses_an_officer_without_unit(client, admin_user_role):
    client.login(username=admin_user_role.username, password=PASSWORD)
    response = client.post(
        "/admin/khuyencong/user/add/",
        {
            "username": "canbo.moi",
            "usable_password": "true",
            "password1": "Mat-khau-rat-dai-2019",
            "password2": "Mat-khau-rat-dai-2019",
            "role": Role.OFFICER,
            "administrative_unit": "",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not User.objects.filter(username="canbo.moi").exists()


def test_admin_creates_an_officer_with_unit_in_the_officer_group(
    client, admin_user_role, unit_a
):
    client.login(username=admin_user_role.username, password=PASSWORD)
    response = client.post(
        "/admin/khuyencong/user/add/",
        {
            "username": "canbo.moi",
            "usable_password": "true",
            "password1": "Mat-khau-rat-dai-2019",
            "password2": "Mat-khau-rat-dai-2019",
            "role": Role.OFFICER,
            "administrative_unit": unit_a.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="canbo.moi")
    assert user.administrative_unit == unit_a
    assert user.groups.get().name == Role.OFFICER.label
    assert user.is_staff is False
