from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from khuyencong.models import SupportRule, WorkflowLog
from tests.khuyencong.factories import LegalDocumentFactory
from tests.villages.factories import (
    BrandingActivityFactory,
    BrandingApplicationFactory,
    BrandingCallFactory,
    CraftVillageFactory,
)
from villages.models import (
    ApplicationStatus,
    BrandingApplication,
    CraftVillage,
    branding_activities_check,
)
from villages.services import (
    ActivityInput,
    application_create,
    application_step,
    application_submit,
    application_update,
)

pytestmark = pytest.mark.django_db
M = Decimal("1000000")


def test_nd52_checks_pass_for_a_well_documented_traditional_village():
    village = CraftVillageFactory.build(
        households_total=100,
        households_in_trade=20,
        craft_started_year=1900,
        stable_production_since=2000,
    )
    checks = village.nd52_checks(today=date(2019, 5, 15))
    assert [c.ok for c in checks] == [True, True, True]


def test_nd52_checks_warn_on_share_years_and_craft_age():
    village = CraftVillageFactory.build(
        households_total=100,
        households_in_trade=19,
        craft_started_year=1970,
        stable_production_since=2018,
    )
    checks = village.nd52_checks(today=date(2019, 5, 15))
    assert [c.ok for c in checks] == [False, False, False]
    assert "19,0% (19/100 hộ)" in checks[0].detail
    assert "49 năm" in checks[2].detail


def test_nd52_checks_say_when_data_is_missing():
    village = CraftVillageFactory.build(
        title=CraftVillage.Title.CRAFT_VILLAGE,
        households_total=0,
        households_in_trade=0,
        craft_started_year=None,
        stable_production_since=None,
    )
    assert [c.ok for c in village.nd52_checks()] == [None, None]


def test_trade_households_can_not_exceed_total(unit_a):
    with pytest.raises(IntegrityError):
        CraftVillageFactory(households_total=10, households_in_trade=11)


def test_villages_and_applications_are_scoped_to_the_officers_unit(
    officer_a, staff_user, leadership_user, unit_a, unit_b
):
    a = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a)
    )
    b = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_b)
    )
    assert list(BrandingApplication.objects.for_user(officer_a)) == [a]
    assert list(CraftVillage.objects.for_user(officer_a)) == [a.village]
    for user in (staff_user, leadership_user):
        assert set(BrandingApplication.objects.for_user(user)) == {a, b}


def test_one_application_per_village_and_call(officer_a, unit_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a)
    )
    with pytest.raises(ValidationError) as err:
        application_create(
            by=officer_a,
            call=app.call,
            village=app.village,
            activities=[ActivityInput("dao_tao", 10 * M)],
        )
    assert "đã có hồ sơ trong đợt đăng ký này" in str(err.value)


def test_the_rule_in_force_limits_the_number_of_activities():
    doc = LegalDocumentFactory(number="99/2030/NQ-HĐND")
    SupportRule.objects.create(
        activity="thuong_hieu",
        effective_from=date(2030, 1, 1),
        max_amount=50 * M,
        max_items=2,
        legal_basis=doc,
    )
    call = BrandingCallFactory.build(deadline=date(2030, 6, 1))
    with pytest.raises(ValidationError) as err:
        branding_activities_check(
            call=call,
            activities=[("dao_tao", 10 * M), ("quang_ba", 60 * M), ("nhan_hieu", M)],
        )
    messages = err.value.messages
    assert "Đề nghị 3 nội dung, vượt quá tối đa 2 nội dung" in messages[0]
    assert "99/2030/NQ-HĐND" in messages[0]
    assert "50.000.000 đồng" in messages[1]
    # The 2019 call still follows NQ 11/2019 (100 million, five activities).
    old_call = BrandingCallFactory.build(deadline=date(2019, 5, 15))
    branding_activities_check(call=old_call, activities=[("quang_ba", 100 * M)])


def test_update_replaces_the_activities(officer_a, unit_a):
    app = application_create(
        by=officer_a,
        call=BrandingCallFactory(),
        village=CraftVillageFactory(administrative_unit=unit_a),
        activities=[
            ActivityInput("dao_tao", 10 * M),
            ActivityInput("quang_ba", 20 * M),
        ],
    )
    application_update(
        application=app,
        by=officer_a,
        activities=[ActivityInput("quang_ba", 30 * M), ActivityInput("nhan_hieu", M)],
    )
    assert sorted(app.activities.values_list("kind", "cost")) == [
        ("nhan_hieu", M),
        ("quang_ba", 30 * M),
    ]


def test_officer_can_not_update_another_units_application(officer_b, unit_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a)
    )
    with pytest.raises(PermissionDenied):
        application_update(application=app, by=officer_b, activities=[])


def test_submit_needs_an_activity(officer_a, unit_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a)
    )
    with pytest.raises(ValidationError) as err:
        application_submit(application=app, by=officer_a)
    assert "chưa có nội dung đề nghị" in err.value.messages[0]


def test_submission_snapshot_is_logged(officer_a, unit_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a)
    )
    BrandingActivityFactory(application=app, kind="dao_tao", cost=15 * M)
    log = application_submit(application=app, by=officer_a)
    snapshot = WorkflowLog.objects.get(pk=log.pk).data["snapshot"]
    assert snapshot["activities"]["dao_tao"]["cost"] == "15000000"
    assert snapshot["fields"]["contact_name"]["value"] == "Nguyễn Văn Demo"
    assert snapshot["documents"] == []


def test_staff_can_not_submit_for_the_officer_and_officer_can_not_review(
    staff_user, officer_a, unit_a
):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a)
    )
    BrandingActivityFactory(application=app)
    with pytest.raises(ValidationError, match="không có quyền"):
        application_step(application=app, by=staff_user, transition="nop")
    application_submit(application=app, by=officer_a)
    with pytest.raises(ValidationError, match="không có quyền"):
        application_step(application=app, by=officer_a, transition="tiep_nhan")


def test_return_needs_a_comment(staff_user, officer_a, unit_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a)
    )
    BrandingActivityFactory(application=app)
    application_submit(application=app, by=officer_a)
    with pytest.raises(ValidationError) as err:
        application_step(application=app, by=staff_user, transition="yeu_cau_bo_sung")
    assert "comment" in err.value.error_dict


def _forwarded(officer, staff, unit):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit), filed_by=officer
    )
    BrandingActivityFactory(application=app, kind="dao_tao", cost=40 * M)
    BrandingActivityFactory(application=app, kind="quang_ba", cost=60 * M)
    application_submit(application=app, by=officer)
    application_step(application=app, by=staff, transition="tiep_nhan")
    application_step(application=app, by=staff, transition="trinh_ubnd")
    return app


def test_approval_needs_a_decision_and_an_amount_within_the_activities(
    officer_a, staff_user, unit_a
):
    app = _forwarded(officer_a, staff_user, unit_a)
    with pytest.raises(ValidationError) as err:
        application_step(application=app, by=staff_user, transition="phe_duyet")
    assert set(err.value.error_dict) == {"decision", "approved_amount"}
    with pytest.raises(ValidationError) as err:
        application_step(
            application=app,
            by=staff_user,
            transition="phe_duyet",
            values={"decision": LegalDocumentFactory(), "approved_amount": 101 * M},
        )
    assert "vượt tổng mức được phép" in err.value.messages[0]
    app.refresh_from_db()
    assert app.status == ApplicationStatus.FORWARDED


def test_rejection_needs_a_reason_and_mails_the_officer(
    officer_a,
    leadership_user,
    staff_user,
    unit_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    app = _forwarded(officer_a, staff_user, unit_a)
    with pytest.raises(ValidationError):
        application_step(application=app, by=leadership_user, transition="khong_ho_tro")
    with django_capture_on_commit_callbacks(execute=True):
        application_step(
            application=app,
            by=leadership_user,
            transition="khong_ho_tro",
            comment="Làng nghề đã được hỗ trợ năm 2018.",
        )
    assert app.status == ApplicationStatus.REJECTED
    assert len(mailoutbox) == 1
    assert "không được hỗ trợ" in mailoutbox[0].subject
    assert "Làng nghề đã được hỗ trợ năm 2018." in mailoutbox[0].body


def test_no_mail_is_sent_when_the_step_is_rolled_back(
    officer_a, staff_user, unit_a, mailoutbox, django_capture_on_commit_callbacks
):
    app = _forwarded(officer_a, staff_user, unit_a)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        application_step(
            application=app,
            by=staff_user,
            transition="phe_duyet",
            values={"decision": LegalDocumentFactory(), "approved_amount": 500 * M},
        )
    assert mailoutbox == []


def test_resubmission_after_the_deadline_is_accepted(officer_a, staff_user, unit_a):
    today = timezone.localdate()
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a)
    )
    BrandingActivityFactory(application=app)
    application_submit(application=app, by=officer_a)
    application_step(
        application=app, by=staff_user, transition="yeu_cau_bo_sung", comment="Thiếu"
    )
    call = app.call
    call.opens_on = today - timedelta(days=90)
    call.deadline = today - timedelta(days=1)
    call.save()
    application_submit(application=app, by=officer_a)
    assert app.status == ApplicationStatus.UNDER_REVIEW


def test_submission_on_the_deadline_day_is_accepted(officer_a, unit_a):
    today = timezone.localdate()
    call = BrandingCallFactory(opens_on=today - timedelta(days=10), deadline=today)
    app = BrandingApplicationFactory(
        call=call, village=CraftVillageFactory(administrative_unit=unit_a)
    )
    BrandingActivityFactory(application=app)
    application_submit(application=app, by=officer_a)
    assert app.status == ApplicationStatus.SUBMITTED
