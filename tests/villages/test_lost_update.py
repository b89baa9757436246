"""The district portal's application form: no lost update either."""

import pytest
from django.urls import reverse

from khuyencong.concurrency import TOKEN_FIELD
from tests.villages.factories import (
    BrandingActivityFactory,
    BrandingApplicationFactory,
    CraftVillageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_a(unit_a, officer_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(name="Phú Vinh", administrative_unit=unit_a),
        filed_by=officer_a,
        contact_name="Nguyễn Văn Demo",
    )
    BrandingActivityFactory(application=app)
    return app


def form_data(response) -> dict:
    form = response.context["form"]
    return {
        form.add_prefix(name): (
            "" if form[name].value() is None else form[name].value()
        )
        for name in form.fields
    }


def test_a_stale_edit_is_refused_showing_what_the_other_tab_changed(
    client, officer_a, app_a
):
    client.force_login(officer_a)
    url = reverse("villages:application-update", args=[app_a.pk])
    first = form_data(client.get(url))
    second = form_data(client.get(url))
    assert second[TOKEN_FIELD]

    first["contact_name"] = "Trần Thị Bình"
    assert client.post(url, first).status_code == 302

    second["note"] = "Thuyết minh của tab thứ hai"
    response = client.post(url, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "CHƯA được lưu" in page
    assert "“Nguyễn Văn Demo” → “Trần Thị Bình”" in page
    app_a.refresh_from_db()
    assert app_a.contact_name == "Trần Thị Bình"
    assert app_a.note == ""

    again = form_data(response)
    assert client.post(url, again).status_code == 302
    app_a.refresh_from_db()
    assert app_a.note == "Thuyết minh của tab thứ hai"
