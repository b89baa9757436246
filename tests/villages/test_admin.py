from decimal import Decimal

import pytest
from django.urls import reverse

from tests.khuyencong.factories import unit
from tests.villages.factories import (
    BrandingActivityFactory,
    BrandingApplicationFactory,
    BrandingCallFactory,
    CraftVillageFactory,
)
from villages.models import ApplicationStatus, BrandingApplication, CraftVillage
from villages.services import application_step, application_submit

pytestmark = pytest.mark.django_db

INLINE_EMPTY = {
    "khuyencong-attachment-content_type-object_id-TOTAL_FORMS": "0",
    "khuyencong-attachment-content_type-object_id-INITIAL_FORMS": "0",
}


def test_village_changelist_search_and_budget(
    client, staff_user, django_assert_max_num_queries
):
    for i in range(10):
        CraftVillageFactory(name=f"Làng {i}", administrative_unit=unit("277"))
    CraftVillageFactory(name="Chuôn Ngọ", administrative_unit=unit("280"))
    client.force_login(staff_user)
    url = reverse("admin:villages_craftvillage_changelist")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count('class="field-name"') >= 11
    response = client.get(url, {"q": "Chuôn"})
    assert list(response.context["cl"].result_list) == [
        CraftVillage.objects.get(name="Chuôn Ngọ")
    ]


def test_village_change_page_shows_nd52_warnings(client, staff_user):
    village = CraftVillageFactory(households_total=100, households_in_trade=5)
    client.force_login(staff_user)
    page = client.get(
        reverse("admin:villages_craftvillage_change", args=[village.pk])
    ).content.decode()
    assert "Cảnh báo: chưa đạt" in page
    assert "5,0% (5/100 hộ)" in page


def test_staff_add_a_village(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:villages_craftvillage_add"),
        {
            "name": "Vạn Điểm",
            "administrative_unit": unit("279").pk,
            "crafts": "Mộc",
            "title": "lang_nghe",
            "households_total": "1000",
            "households_in_trade": "400",
            "workers": "1200",
            **INLINE_EMPTY,
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert CraftVillage.objects.get(name="Vạn Điểm").administrative_unit.code == "279"


def test_call_changelist_counts_applications(client, staff_user):
    call = BrandingCallFactory(title="Đợt 2019")
    BrandingApplicationFactory.create_batch(3, call=call)
    client.force_login(staff_user)
    response = client.get(reverse("admin:villages_brandingcall_changelist"))
    assert '<td class="field-n_apps">3</td>' in response.content.decode()


def test_application_changelist_budget_and_search(
    client, staff_user, django_assert_max_num_queries
):
    call = BrandingCallFactory()
    for i in range(10):
        app = BrandingApplicationFactory(
            call=call, village=CraftVillageFactory(name=f"Làng {i}")
        )
        BrandingActivityFactory(application=app, cost=Decimal("30000000"))
    client.force_login(staff_user)
    url = reverse("admin:villages_brandingapplication_changelist")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("30.000.000") == 10
    response = client.get(url, {"q": "Làng 7"})
    assert [a.village.name for a in response.context["cl"].result_list] == ["Làng 7"]


def _activity_inline(rows):
    data = {
        "activities-TOTAL_FORMS": str(len(rows)),
        "activities-INITIAL_FORMS": "0",
        **INLINE_EMPTY,
    }
    for i, (kind, cost) in enumerate(rows):
        data[f"activities-{i}-kind"] = kind
        data[f"activities-{i}-cost"] = cost
    return data


def test_staff_add_an_application_with_activities(client, staff_user):
    village = CraftVillageFactory(administrative_unit=unit("271"))
    call = BrandingCallFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:villages_brandingapplication_add"),
        {
            "call": call.pk,
            "village": village.pk,
            "filed_by": staff_user.pk,
            "trademark_status": "chua_nop",
            **_activity_inline([("dao_tao", "20000000")]),
        },
    )
    assert response.status_code == 302
    app = BrandingApplication.objects.get()
    assert app.administrative_unit.code == "271"
    assert app.status == ApplicationStatus.DRAFT


def test_admin_refuses_an_activity_above_the_cap(client, staff_user):
    village = CraftVillageFactory()
    call = BrandingCallFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:villages_brandingapplication_add"),
        {
            "call": call.pk,
            "village": village.pk,
            "trademark_status": "chua_nop",
            **_activity_inline([("dao_tao", "150000000")]),
        },
    )
    assert response.status_code == 200
    assert "11/2019/NQ-HĐND" in response.content.decode()
    assert not BrandingApplication.objects.exists()


def test_step_buttons_follow_the_role(client, staff_user, leadership_user, officer_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=officer_a.administrative_unit)
    )
    BrandingActivityFactory(application=app)
    application_submit(application=app, by=officer_a)
    application_step(application=app, by=staff_user, transition="tiep_nhan")
    application_step(application=app, by=staff_user, transition="trinh_ubnd")
    url = reverse("admin:villages_brandingapplication_change", args=[app.pk])
    client.force_login(leadership_user)
    page = client.get(url).content.decode()
    assert "Ghi nhận quyết định hỗ trợ" in page
    assert "Yêu cầu bổ sung" not in page


def test_officers_do_not_use_the_admin(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("admin:villages_brandingapplication_changelist"))
    assert response.status_code == 302


def test_bulk_forward_with_confirmation(client, staff_user, officer_a):
    apps = []
    for _ in range(2):
        app = BrandingApplicationFactory(
            village=CraftVillageFactory(
                administrative_unit=officer_a.administrative_unit
            )
        )
        BrandingActivityFactory(application=app)
        application_submit(application=app, by=officer_a)
        application_step(application=app, by=staff_user, transition="tiep_nhan")
        apps.append(app)
    client.force_login(staff_user)
    url = reverse("admin:villages_brandingapplication_changelist")
    data = {"action": "bulk_trinh_ubnd", "_selected_action": [a.pk for a in apps]}
    confirm = client.post(url, data)
    assert "Trình UBND Thành phố" in confirm.content.decode()
    assert set(BrandingApplication.objects.values_list("status", flat=True)) == {
        "dang_tham_dinh"
    }
    client.post(url, {**data, "post": "yes"})
    assert set(BrandingApplication.objects.values_list("status", flat=True)) == {
        "trinh_ubnd"
    }


def test_application_change_page_budget(
    client, staff_user, officer_a, django_assert_max_num_queries
):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=officer_a.administrative_unit)
    )
    for kind in ("dao_tao", "quang_ba", "nhan_hieu"):
        BrandingActivityFactory(application=app, kind=kind)
    application_submit(application=app, by=officer_a)
    application_step(
        application=app, by=staff_user, transition="yeu_cau_bo_sung", comment="Thiếu"
    )
    application_submit(application=app, by=officer_a)
    client.force_login(staff_user)
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("admin:villages_brandingapplication_change", args=[app.pk])
        )
    page = response.content.decode()
    assert "Không có thay đổi nào so với lần nộp trước." in page
    assert page.count("<td>Thiếu</td>") == 1


def test_submissions_are_listed_in_hanoi_time(client, staff_user, officer_a):
    from datetime import UTC, datetime

    from khuyencong.models import WorkflowLog

    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=officer_a.administrative_unit)
    )
    BrandingActivityFactory(application=app)
    application_submit(application=app, by=officer_a)
    # 22:58 UTC on 28/11 is 05:58 the next morning in Hà Nội (UTC+7).
    WorkflowLog.objects.for_object(app).update(
        at=datetime(2026, 11, 28, 22, 58, tzinfo=UTC)
    )
    client.force_login(staff_user)
    url = reverse("admin:villages_brandingapplication_change", args=[app.pk])
    page = client.get(url).content.decode()
    assert "1. 29/11/2026 05:58" in page
    assert "28/11/2026 22:58" not in page
