"""Every register's admin refuses a save made from an outdated copy."""

import pytest
from django.contrib import admin
from django.urls import reverse

from khuyencong.admin_base import RegisterAdmin
from khuyencong.concurrency import TOKEN_FIELD
from tests.khuyencong import permission_matrix as matrix
from tests.khuyencong.admin_forms import form_post_data
from tests.khuyencong.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTERS = sorted(
    (
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, RegisterAdmin)
    ),
    key=lambda m: m._meta.label,
)


@pytest.mark.parametrize("model", REGISTERS, ids=lambda m: m._meta.label)
def test_a_stale_save_is_refused_in_every_register_admin(
    model, client, unit_a, unit_b, officer_a, officer_b, staff_user
):
    objects = matrix.Objects(
        users={"officer_a": officer_a, "officer_b": officer_b, "staff": staff_user},
        unit_a=unit_a,
        unit_b=unit_b,
        attachment_a=None,
    )
    obj = matrix.make_admin_object(model, objects)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
    )
    loaded = client.get(url)
    assert TOKEN_FIELD in loaded.content.decode()
    mine = form_post_data(loaded)
    theirs = form_post_data(client.get(url))

    first = client.post(url, theirs)
    assert first.status_code == 302, (
        first.context["adminform"].form.errors,
        [f.formset.errors for f in first.context.get("inline_admin_formsets", [])],
        first.context.get("errors"),
    )
    refused = client.post(url, mine)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.non_field_errors()
    assert any("CHƯA được lưu" in e for e in errors), errors
