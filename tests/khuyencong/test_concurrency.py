"""No lost update: when two people edit the same record at once, the second save
is refused with a message showing what the first one changed."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from khuyencong.concurrency import (
    TOKEN_FIELD,
    ConcurrencyTokenFormMixin,
    record_ensure_unchanged,
)
from khuyencong.models import LegalDocument, Role
from tests.khuyencong.admin_forms import form_post_data
from tests.khuyencong.factories import LegalDocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(staff_user):
    return LegalDocumentFactory(
        number="51/KH-UBND",
        summary="Kế hoạch khuyến công năm 2019",
        issuer="UBND Thành phố Hà Nội",
        issued_on=date(2019, 3, 1),
    )


def open_change_form(client, obj):
    url = reverse("admin:khuyencong_legaldocument_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, form_post_data(response)


def test_the_change_form_carries_the_version_it_was_loaded_with(
    client, staff_user, document
):
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:khuyencong_legaldocument_change", args=[document.pk])
    )
    page = response.content.decode()
    assert f'name="{TOKEN_FIELD}"' in page
    assert 'type="hidden"' in page
    assert document.updated_at.isoformat() in page


def test_second_save_on_an_outdated_copy_is_refused_and_shows_what_changed(
    client, document
):
    first = UserFactory(role=Role.STAFF, first_name="An", last_name="Nguyễn Văn")
    second = UserFactory(role=Role.STAFF)
    other = client.__class__()
    other.force_login(first)
    client.force_login(second)

    url, theirs = open_change_form(other, document)
    _, mine = open_change_form(client, document)

    theirs["summary"] = "Kế hoạch khuyến công năm 2019 (điều chỉnh)"
    theirs["issuer"] = "UBND TP Hà Nội"
    assert other.post(url, theirs).status_code == 302

    mine["summary"] = "Bản của tôi"
    response = client.post(url, mine)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    message = errors[0]
    assert f"Bản ghi này đã được {first} sửa lúc" in message
    assert "CHƯA được lưu" in message
    assert (
        "trích yếu: “Kế hoạch khuyến công năm 2019” → "
        "“Kế hoạch khuyến công năm 2019 (điều chỉnh)”" in message
    )
    assert "cơ quan ban hành: “UBND Thành phố Hà Nội” → “UBND TP Hà Nội”" in message
    assert "số, ký hiệu" not in message  # unchanged fields are not listed

    document.refresh_from_db()
    assert document.summary == "Kế hoạch khuyến công năm 2019 (điều chỉnh)"
    assert document.issuer == "UBND TP Hà Nội"
    assert document.history.count() == 2  # created, then the first save only


def test_saving_again_after_seeing_the_conflict_applies_your_values(client, document):
    client.force_login(UserFactory(role=Role.STAFF))
    other = client.__class__()
    other.force_login(UserFactory(role=Role.STAFF))
    url, theirs = open_change_form(other, document)
    _, mine = open_change_form(client, document)
    theirs["issuer"] = "UBND TP Hà Nội"
    other.post(url, theirs)

    mine["summary"] = "Bản của tôi"
    refused = client.post(url, mine)
    assert refused.status_code == 200
    again = form_post_data(refused)  # the form as shown with the error
    assert again["summary"] == "Bản của tôi"
    assert client.post(url, again).status_code == 302

    document.refresh_from_db()
    assert document.summary == "Bản của tôi"


def test_sequential_saves_by_two_people_both_go_through(client, document):
    client.force_login(UserFactory(role=Role.STAFF))
    url, data = open_change_form(client, document)
    data["summary"] = "Lần một"
    assert client.post(url, data).status_code == 302
    url, data = open_change_form(client, document)
    data["summary"] = "Lần hai"
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.summary == "Lần hai"


def test_a_tampered_token_is_refused(client, staff_user, document):
    client.force_login(staff_user)
    url, data = open_change_form(client, document)
    data[TOKEN_FIELD] = "không phải ngày giờ"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Dấu phiên bản của biểu mẫu không hợp lệ" in response.content.decode()


def test_reverting_to_an_old_version_from_history_still_works(
    client, staff_user, document
):
    client.force_login(staff_user)
    url, data = open_change_form(client, document)
    data["summary"] = "Sửa nhầm"
    client.post(url, data)
    first_version = document.history.order_by("history_date").first()
    revert_url = reverse(
        "admin:khuyencong_legaldocument_simple_history",
        args=[document.pk, first_version.history_id],
    )
    response = client.get(revert_url)
    assert response.status_code == 200
    data = form_post_data(response)
    assert client.post(revert_url, data).status_code == 302
    document.refresh_from_db()
    assert document.summary == "Kế hoạch khuyến công năm 2019"


def test_view_only_users_see_no_token_field(client, leadership_user, document):
    client.force_login(leadership_user)
    response = client.get(
        reverse("admin:khuyencong_legaldocument_change", args=[document.pk])
    )
    assert response.status_code == 200
    assert TOKEN_FIELD not in response.content.decode()


class PortalDocumentForm(ConcurrencyTokenFormMixin, forms.ModelForm):
    """What a district-portal form looks like with the same protection."""

    class Meta:
        model = LegalDocument
        fields = ("summary",)


def test_portal_forms_get_the_same_protection(document):
    loaded = PortalDocumentForm(instance=document)
    token = loaded.initial[TOKEN_FIELD]

    LegalDocument.objects.get(pk=document.pk).save()  # someone else saves

    stale = PortalDocumentForm(
        {"summary": "Của tôi", TOKEN_FIELD: token},
        instance=LegalDocument.objects.get(pk=document.pk),
    )
    assert not stale.is_valid()
    assert "đã được" in stale.non_field_errors()[0]


def test_service_helper_refuses_an_outdated_version(document):
    loaded = document.updated_at
    LegalDocument.objects.filter(pk=document.pk).update(summary="x")
    document.summary = "y"
    document.save()
    with pytest.raises(Exception) as err:
        record_ensure_unchanged(instance=document, loaded_updated_at=loaded)
    assert "CHƯA được lưu" in str(err.value)


def test_service_helper_reports_a_deleted_record(document):
    loaded = document.updated_at
    LegalDocument.objects.filter(pk=document.pk).delete()
    with pytest.raises(Exception) as err:
        record_ensure_unchanged(instance=document, loaded_updated_at=loaded)
    assert "đã bị người khác xóa" in str(err.value)
