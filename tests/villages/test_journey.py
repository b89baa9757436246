"""The whole journey of a branding application, through the portal's and the
admin's own views: draft → submitted → returned → resubmitted → forwarded →
approved → done."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.models import Attachment, WorkflowLog
from tests.khuyencong.factories import LegalDocumentFactory
from tests.villages.factories import BrandingCallFactory, CraftVillageFactory
from villages.models import ApplicationStatus, BrandingApplication

pytestmark = pytest.mark.django_db


def pdf(name="cong-van.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\nnoi dung", "application/pdf")


def step_url(app, transition):
    return reverse(
        "admin:villages_brandingapplication_workflow_step", args=[app.pk, transition]
    )


def test_application_goes_from_draft_to_done_through_portal_and_admin(
    client,
    officer_a,
    staff_user,
    leadership_user,
    unit_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    village = CraftVillageFactory(name="Phú Vinh", administrative_unit=unit_a)
    call = BrandingCallFactory(title="Đợt 2019")
    officer_a.email = "canbo.chuongmy@demo.invalid"
    officer_a.save()

    # The officer drafts the application in the portal.
    client.force_login(officer_a)
    response = client.get(reverse("villages:portal-home"))
    assert "Phú Vinh" in response.content.decode()
    response = client.post(
        reverse("villages:application-create"),
        {
            "call": call.pk,
            "village": village.pk,
            "contact_name": "Nguyễn Văn An",
            "contact_phone": "0912345678",
            "note": "Xây dựng thương hiệu mây tre đan Phú Vinh",
            "cost_nhan_dien": "80000000",
            "desc_nhan_dien": "Logo và bộ nhận diện",
            "cost_nhan_hieu": "50000000",
        },
    )
    app = BrandingApplication.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("villages:application-detail", args=[app.pk])
    assert app.status == ApplicationStatus.DRAFT
    assert app.filed_by == officer_a
    assert app.administrative_unit == unit_a
    assert sorted(app.activities.values_list("kind", "cost")) == [
        ("nhan_dien", Decimal("80000000")),
        ("nhan_hieu", Decimal("50000000")),
    ]

    client.post(
        reverse("villages:application-document-add", args=[app.pk]),
        {"kind": "cong_van_huyen", "title": "Công văn UBND huyện", "file": pdf()},
    )
    assert Attachment.objects.for_object(app).count() == 1

    response = client.post(
        reverse("villages:application-submit", args=[app.pk]), follow=True
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED
    assert app.submitted_at is not None
    assert "Đã nộp, chờ Sở tiếp nhận" in response.content.decode()

    # Staff take it up and return it with a comment; the officer gets a mail.
    client.force_login(staff_user)
    client.post(step_url(app, "tiep_nhan"), {"comment": ""})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            step_url(app, "yeu_cau_bo_sung"),
            {"comment": "Bổ sung danh sách hộ tham gia."},
        )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.NEEDS_SUPPLEMENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["canbo.chuongmy@demo.invalid"]
    assert "cần bổ sung" in mailoutbox[0].subject
    assert "Bổ sung danh sách hộ tham gia." in mailoutbox[0].body

    # The officer reads the request, edits, adds the list and resubmits.
    client.force_login(officer_a)
    response = client.get(reverse("villages:application-detail", args=[app.pk]))
    page = response.content.decode()
    assert "Cần bổ sung hồ sơ" in page
    assert "Bổ sung danh sách hộ tham gia." in page
    client.post(
        reverse("villages:application-update", args=[app.pk]),
        {
            "contact_name": "Nguyễn Văn An",
            "contact_phone": "0912345678",
            "note": "Xây dựng thương hiệu mây tre đan Phú Vinh",
            "cost_nhan_dien": "90000000",
            "cost_nhan_hieu": "50000000",
        },
    )
    client.post(
        reverse("villages:application-document-add", args=[app.pk]),
        {"kind": "danh_sach_ho", "title": "Danh sách hộ", "file": pdf("ds.pdf")},
    )
    client.post(reverse("villages:application-submit", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW

    # Staff see what changed between the two submissions.
    client.force_login(staff_user)
    response = client.get(
        reverse("admin:villages_brandingapplication_change", args=[app.pk])
    )
    page = response.content.decode()
    assert 'id="submission-changes"' in page
    assert "80.000.000 đồng" in page and "90.000.000 đồng" in page
    assert "Danh sách hộ" in page
    assert "Bổ sung danh sách hộ tham gia." in page  # the full log

    # Forwarded to the City, approved by leadership, done.
    client.post(step_url(app, "trinh_ubnd"), {"comment": ""})
    decision = LegalDocumentFactory(number="1234/QĐ-UBND")
    client.force_login(leadership_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            step_url(app, "phe_duyet"),
            {"comment": "", "decision": decision.pk, "approved_amount": "130000000"},
        )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED
    assert app.decision == decision
    assert app.approved_amount == Decimal("130000000")
    assert len(mailoutbox) == 2
    assert "1234/QĐ-UBND" in mailoutbox[1].body
    assert "130.000.000" in mailoutbox[1].body

    client.force_login(staff_user)
    client.post(
        step_url(app, "hoan_thanh"),
        {
            "comment": "",
            "logo_done": "on",
            "trademark_status": "da_nop_don",
            "result_note": "Đã có logo; đã nộp đơn nhãn hiệu tập thể.",
        },
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DONE
    assert app.logo_done is True
    assert list(
        WorkflowLog.objects.for_object(app).values_list("to_state", flat=True)
    ) == [
        "da_nop",
        "dang_tham_dinh",
        "yeu_cau_bo_sung",
        "dang_tham_dinh",
        "trinh_ubnd",
        "duoc_ho_tro",
        "hoan_thanh",
    ]

    client.force_login(officer_a)
    response = client.get(reverse("villages:portal-home"))
    assert "Đã hoàn thành" in response.content.decode()
