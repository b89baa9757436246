"""The district portal: what an officer sees and every refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from khuyencong.models import Attachment
from tests.villages.factories import (
    BrandingActivityFactory,
    BrandingApplicationFactory,
    BrandingCallFactory,
    CraftVillageFactory,
)
from villages.models import ApplicationStatus, BrandingApplication
from villages.services import (
    application_document_add,
    application_step,
    application_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_a(unit_a, officer_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(name="Phú Vinh", administrative_unit=unit_a),
        filed_by=officer_a,
    )
    BrandingActivityFactory(application=app)
    return app


def pdf(name="to-trinh.pdf", size=0):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, "application/pdf")


def test_portal_home_lists_only_the_officers_unit(client, officer_a, unit_a, unit_b):
    CraftVillageFactory(name="Phú Vinh", administrative_unit=unit_a)
    CraftVillageFactory(name="Chuôn Ngọ", administrative_unit=unit_b)
    BrandingApplicationFactory(
        village=CraftVillageFactory(name="Làng B2", administrative_unit=unit_b)
    )
    client.force_login(officer_a)
    page = client.get(reverse("villages:portal-home")).content.decode()
    assert "Phú Vinh" in page
    assert "Chuôn Ngọ" not in page
    assert "Làng B2" not in page


def test_portal_pages_show_plain_statuses(client, officer_a, app_a):
    app_a.status = ApplicationStatus.FORWARDED
    app_a.save()
    client.force_login(officer_a)
    page = client.get(reverse("villages:portal-home")).content.decode()
    assert "Đã trình UBND Thành phố" in page
    assert "trinh_ubnd" not in page


@pytest.mark.parametrize(
    "name",
    [
        "villages:application-detail",
        "villages:application-update",
    ],
)
def test_officer_of_another_unit_gets_404_for_an_application(
    client, officer_b, app_a, name
):
    client.force_login(officer_b)
    assert client.get(reverse(name, args=[app_a.pk])).status_code == 404


def test_officer_of_another_unit_cannot_submit_or_attach_to_an_application(
    client, officer_b, app_a
):
    client.force_login(officer_b)
    submit = client.post(reverse("villages:application-submit", args=[app_a.pk]))
    attach = client.post(
        reverse("villages:application-document-add", args=[app_a.pk]),
        {"kind": "khac", "file": pdf()},
    )
    assert (submit.status_code, attach.status_code) == (404, 404)
    app_a.refresh_from_db()
    assert app_a.status == ApplicationStatus.DRAFT
    assert not Attachment.objects.for_object(app_a).exists()


def test_officer_of_another_unit_cannot_remove_a_document(
    client, officer_a, officer_b, app_a
):
    doc = application_document_add(application=app_a, by=officer_a, upload=pdf())
    client.force_login(officer_b)
    response = client.post(
        reverse("villages:application-document-remove", args=[app_a.pk, doc.uid])
    )
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=doc.pk).exists()


def test_officer_of_another_unit_gets_404_for_a_village(client, officer_b, unit_a):
    village = CraftVillageFactory(administrative_unit=unit_a)
    client.force_login(officer_b)
    response = client.get(reverse("villages:village-detail", args=[village.pk]))
    assert response.status_code == 404


def test_officer_cannot_file_for_a_village_of_another_unit(client, officer_b, unit_a):
    village = CraftVillageFactory(administrative_unit=unit_a)
    call = BrandingCallFactory()
    client.force_login(officer_b)
    get = client.get(
        reverse("villages:application-create") + f"?lang_nghe={village.pk}"
    )
    post = client.post(
        reverse("villages:application-create"),
        {"call": call.pk, "village": village.pk, "cost_dao_tao": "10000000"},
    )
    assert (get.status_code, post.status_code) == (404, 404)
    assert not BrandingApplication.objects.exists()


@pytest.mark.parametrize("role_fixture", ["staff_user", "leadership_user"])
def test_portal_is_for_officers_only(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("villages:portal-home")).status_code == 403


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("villages:portal-home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_village_page_shows_the_nd52_checks_as_warnings(client, officer_a, unit_a):
    village = CraftVillageFactory(
        administrative_unit=unit_a,
        households_total=400,
        households_in_trade=40,
        craft_started_year=timezone.localdate().year - 30,
        stable_production_since=timezone.localdate().year - 1,
    )
    client.force_login(officer_a)
    page = client.get(reverse("villages:village-detail", args=[village.pk]))
    checks = page.content.decode().split('data-testid="nd52-checks"')[1]
    assert checks.count("Cảnh báo: chưa đạt") == 3
    assert "10,0% (40/400 hộ)" in checks


def test_submitted_application_can_not_be_edited(client, officer_a, app_a):
    app_a.status = ApplicationStatus.SUBMITTED
    app_a.save()
    client.force_login(officer_a)
    response = client.post(
        reverse("villages:application-update", args=[app_a.pk]),
        {"contact_name": "Người khác", "cost_dao_tao": "10000000"},
        follow=True,
    )
    app_a.refresh_from_db()
    assert app_a.contact_name == "Nguyễn Văn Demo"
    assert list(app_a.activities.values_list("kind", flat=True)) == ["nhan_dien"]
    assert "không sửa được" in response.content.decode()
    upload = client.post(
        reverse("villages:application-document-add", args=[app_a.pk]),
        {"kind": "khac", "file": pdf()},
        follow=True,
    )
    assert "Chỉ sửa được khi đang soạn" in upload.content.decode()
    assert not Attachment.objects.for_object(app_a).exists()


def test_late_submission_is_refused(client, officer_a, unit_a):
    today = timezone.localdate()
    call = BrandingCallFactory(
        opens_on=today - timedelta(days=60), deadline=today - timedelta(days=1)
    )
    app = BrandingApplicationFactory(
        call=call, village=CraftVillageFactory(administrative_unit=unit_a)
    )
    BrandingActivityFactory(application=app)
    client.force_login(officer_a)
    response = client.post(
        reverse("villages:application-submit", args=[app.pk]), follow=True
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT
    assert f"đã hết hạn nộp ngày {call.deadline:%d/%m/%Y}" in (
        response.content.decode()
    )


def test_a_closed_call_is_not_offered_for_new_applications(client, officer_a, unit_a):
    today = timezone.localdate()
    closed = BrandingCallFactory(
        title="Đợt đã đóng",
        opens_on=today - timedelta(days=60),
        deadline=today - timedelta(days=1),
    )
    village = CraftVillageFactory(administrative_unit=unit_a)
    client.force_login(officer_a)
    response = client.post(
        reverse("villages:application-create"),
        {"call": closed.pk, "village": village.pk, "cost_dao_tao": "10000000"},
    )
    assert "Đợt đã đóng" not in response.content.decode()
    assert response.context["form"].errors["call"]
    assert not BrandingApplication.objects.exists()


def test_cost_above_the_cap_is_refused_naming_the_rule(client, officer_a, unit_a):
    village = CraftVillageFactory(administrative_unit=unit_a)
    call = BrandingCallFactory()
    client.force_login(officer_a)
    form_page = client.get(reverse("villages:application-create")).content.decode()
    assert (
        "Mức hỗ trợ theo 11/2019/NQ-HĐND: tối đa 100.000.000 đồng mỗi nội dung, "
        "tối đa 5 nội dung mỗi làng nghề." in form_page
    )
    response = client.post(
        reverse("villages:application-create"),
        {"call": call.pk, "village": village.pk, "cost_quang_ba": "120000000"},
    )
    page = response.content.decode()
    assert "vượt mức hỗ trợ tối đa 100.000.000 đồng" in page
    assert "11/2019/NQ-HĐND" in page
    assert not BrandingApplication.objects.exists()


def test_application_without_any_activity_is_refused(client, officer_a, unit_a):
    village = CraftVillageFactory(administrative_unit=unit_a)
    call = BrandingCallFactory()
    client.force_login(officer_a)
    response = client.post(
        reverse("villages:application-create"),
        {"call": call.pk, "village": village.pk},
    )
    assert "ít nhất một nội dung" in response.content.decode()
    assert not BrandingApplication.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "không đúng loại cho phép"),
        (SimpleUploadedFile("gia.pdf", b"MZ\x90\x00"), "không phải là tệp PDF hợp lệ"),
        (pdf("lon.pdf", size=4096), "vượt quá giới hạn"),
    ],
    ids=["wrong-type", "wrong-content", "too-large"],
)
def test_wrong_or_too_large_file_is_refused(
    client, settings, officer_a, app_a, upload, message
):
    settings.UPLOAD_MAX_BYTES = 2048
    client.force_login(officer_a)
    response = client.post(
        reverse("villages:application-document-add", args=[app_a.pk]),
        {"kind": "khac", "file": upload},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.for_object(app_a).exists()


def test_document_is_stored_under_a_random_name_and_downloaded_only_by_allowed_users(
    client, officer_a, officer_b, staff_user, app_a
):
    doc = application_document_add(
        application=app_a, by=officer_a, upload=pdf("quyet-dinh-cong-nhan.pdf")
    )
    assert "quyet-dinh-cong-nhan" not in doc.file.name
    url = reverse("khuyencong:attachment-download", args=[doc.uid])

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))

    client.force_login(officer_b)
    assert client.get(url).status_code == 404

    for user in (officer_a, staff_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
        assert "quyet-dinh-cong-nhan.pdf" in response["Content-Disposition"]


def test_detail_page_links_documents_through_the_download_view(
    client, officer_a, app_a
):
    doc = application_document_add(application=app_a, by=officer_a, upload=pdf())
    client.force_login(officer_a)
    page = client.get(reverse("villages:application-detail", args=[app_a.pk]))
    html = page.content.decode()
    assert reverse("khuyencong:attachment-download", args=[doc.uid]) in html
    assert "/media-khong-cong-khai/" not in html


def test_officer_removes_a_document_while_drafting(client, officer_a, app_a):
    doc = application_document_add(application=app_a, by=officer_a, upload=pdf())
    client.force_login(officer_a)
    client.post(
        reverse("villages:application-document-remove", args=[app_a.pk, doc.uid])
    )
    assert not Attachment.objects.filter(pk=doc.pk).exists()


def test_portal_pages_have_a_fixed_query_budget(
    client, officer_a, unit_a, django_assert_max_num_queries
):
    call = BrandingCallFactory()
    apps = []
    for i in range(8):
        app = BrandingApplicationFactory(
            call=call,
            village=CraftVillageFactory(name=f"Làng {i}", administrative_unit=unit_a),
        )
        BrandingActivityFactory(application=app, cost=Decimal("10000000"))
        apps.append(app)
    client.force_login(officer_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("villages:portal-home"))
    assert response.content.decode().count("Đang soạn, chưa nộp") == 8
    with django_assert_max_num_queries(10):
        response = client.get(reverse("villages:application-detail", args=[apps[0].pk]))
    assert "10.000.000" in response.content.decode()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("villages:application-update", args=[apps[0].pk]))
    assert response.status_code == 200


def test_officer_does_not_see_internal_review_comments(
    client, officer_a, staff_user, app_a
):
    application_submit(application=app_a, by=officer_a)
    application_step(
        application=app_a,
        by=staff_user,
        transition="tiep_nhan",
        comment="Ghi chú nội bộ của Sở",
    )
    client.force_login(officer_a)
    page = client.get(reverse("villages:application-detail", args=[app_a.pk]))
    html = page.content.decode()
    assert "Sở đang xem xét" in html
    assert "Ghi chú nội bộ của Sở" not in html
    assert "dang_tham_dinh" not in html
