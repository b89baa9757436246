"""The equipment-project admin: read-only status, a button and a confirmation page
per permitted step, the step history, and the bulk forward that downloads the list
sent to the City People's Committee."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.models import WorkflowLog
from programs.equipment_services import equipment_project_step
from programs.models import EquipmentProject, EquipmentStatus
from tests.khuyencong.factories import LegalDocumentFactory, unit
from tests.programs.factories import (
    EquipmentProjectFactory,
    EstablishmentFactory,
    PlanFactory,
)
from tests.programs.test_equipment_workflow import walk

pytestmark = pytest.mark.django_db
S = EquipmentStatus


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def leadership_client(client, leadership_user):
    client.force_login(leadership_user)
    return client


def url(view: str = "changelist", *args) -> str:
    return reverse(f"admin:programs_equipmentproject_{view}", args=args)


def step_url(project, transition: str) -> str:
    return reverse(
        "admin:programs_equipmentproject_workflow_step",
        args=[project.pk, transition],
    )


def text(response) -> str:
    return response.content.decode()


def buttons(response) -> list[str]:
    return re.findall(r'class="workflow-step[^"]*">([^<]+)</a>', text(response))


def titles(response) -> list[str]:
    return re.findall(
        r'<th class="field-title"><a [^>]+>(.*?)</a></th>', text(response)
    )


def shown_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ------------------------------------------------------------------ change page


def test_change_page_shows_status_read_only_and_the_steps_staff_may_take(
    staff_client,
):
    project = EquipmentProjectFactory()
    response = staff_client.get(url("change", project.pk))
    assert response.status_code == 200
    page = text(response)
    assert 'name="status"' not in page
    assert 'name="approved_support"' not in page
    assert 'name="settled_amount"' not in page
    assert '<div class="readonly">Đăng ký</div>' in page
    assert buttons(response) == [
        "Ghi nhận khảo sát",
        "Yêu cầu bổ sung hồ sơ",
        "Không phê duyệt",
    ]
    assert f'href="{step_url(project, "survey")}"' in page
    assert "Chưa có bước xử lý nào." in page


def test_leadership_sees_only_the_decision_steps(leadership_client, staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.FORWARDED)
    response = leadership_client.get(url("change", project.pk))
    assert response.status_code == 200
    assert buttons(response) == ["Ghi nhận quyết định phê duyệt", "Không phê duyệt"]


def test_settled_project_offers_no_step_within_a_query_budget(
    staff_client, staff_user, django_assert_max_num_queries
):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.SETTLED)
    with django_assert_max_num_queries(25):
        response = staff_client.get(url("change", project.pk))
    assert buttons(response) == []
    assert text(response).count("Đã quyết toán") >= 2  # status and history


def test_amounts_decided_on_are_read_only_once_approved(staff_client, staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.APPROVED)
    page = text(staff_client.get(url("change", project.pk)))
    for name in ("total_cost", "requested_support", "establishment", "plan"):
        assert f'name="{name}"' not in page
    assert 'name="title"' in page
    # Counterpart = 800 million cost − 300 million approved.
    assert "500.000.000" in page


def test_change_page_lists_the_full_step_history(staff_client, staff_user):
    project = EquipmentProjectFactory()
    equipment_project_step(
        project=project,
        transition="request_supplement",
        by=staff_user,
        comment="Thiếu báo giá của nhà cung cấp.",
    )
    equipment_project_step(
        project=project, transition="supplement_received", by=staff_user
    )
    page = text(staff_client.get(url("change", project.pk)))
    history = page[page.index('id="workflow-history"') :]
    assert "trạng thái hiện tại: Đăng ký" in history
    rows = re.findall(r"<tr><td>.*?</tr>", history)
    assert len(rows) == 2
    assert "Đăng ký</td><td>Cần bổ sung hồ sơ" in rows[0]
    assert "Thiếu báo giá của nhà cung cấp." in rows[0]
    assert str(staff_user) in rows[0]
    assert "Cần bổ sung hồ sơ</td><td>Đăng ký" in rows[1]


# ---------------------------------------------------------- confirmation pages


def test_step_page_asks_for_the_step_fields_and_a_comment(staff_client):
    project = EquipmentProjectFactory()
    response = staff_client.get(step_url(project, "survey"))
    page = text(response)
    assert response.status_code == 200
    assert "Xác nhận: Ghi nhận khảo sát" in page
    assert "đang ở trạng thái <strong>Đăng ký</strong>" in page
    assert "sẽ chuyển sang <strong>Đã khảo sát</strong>" in page
    for name in ("surveyed_on", "survey_notes", "comment"):
        assert f'name="{name}"' in page
    assert 'name="approved_support"' not in page
    # Looking is not doing.
    project.refresh_from_db()
    assert project.status == S.REGISTERED


def test_confirming_a_step_moves_the_project_and_logs_it(staff_client, staff_user):
    project = EquipmentProjectFactory()
    response = staff_client.post(
        step_url(project, "survey"),
        {
            "surveyed_on": "15/03/2019",
            "survey_notes": "Nhà xưởng 200 m², đủ điện ba pha.",
            "comment": "Đoàn khảo sát ngày 15/3.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("change", project.pk)
    project.refresh_from_db()
    assert project.status == S.SURVEYED
    assert project.surveyed_on == date(2019, 3, 15)
    log = WorkflowLog.objects.for_object(project).get()
    assert (log.by, log.from_state, log.to_state, log.comment) == (
        staff_user,
        S.REGISTERED,
        S.SURVEYED,
        "Đoàn khảo sát ngày 15/3.",
    )
    assert shown_messages(response) == [
        f"Đã thực hiện bước “Ghi nhận khảo sát” cho “{project}”. "
        "Trạng thái mới: Đã khảo sát."
    ]


def test_approval_over_the_cap_is_shown_on_the_page_and_nothing_changes(
    staff_client, staff_user
):
    project = EquipmentProjectFactory(requested_support=Decimal("350000000"))
    walk(project, staff_user, until=S.FORWARDED)
    doc = LegalDocumentFactory(number="3301/QĐ-UBND")
    response = staff_client.post(
        step_url(project, "approve"),
        {
            "decision": doc.pk,
            "decided_on": "01/06/2019",
            "approved_support": "350000000",
            "comment": "",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "vượt mức hỗ trợ tối đa 300.000.000 đồng/cơ sở" in page
    assert "(28/2018/TT-BTC)" in page
    project.refresh_from_db()
    assert project.status == S.FORWARDED
    assert project.approved_support is None
    assert not WorkflowLog.objects.filter(transition="approve").exists()


def test_rejection_page_requires_a_reason(staff_client):
    project = EquipmentProjectFactory()
    response = staff_client.post(step_url(project, "reject"), {"comment": "x"})
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in text(response)
    project.refresh_from_db()
    assert project.status == S.REGISTERED


def test_leadership_records_the_approval_from_the_admin(
    leadership_client, leadership_user, staff_user
):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.FORWARDED)
    doc = LegalDocumentFactory(number="3302/QĐ-UBND")
    response = leadership_client.post(
        step_url(project, "approve"),
        {
            "decision": doc.pk,
            "decided_on": "01/06/2019",
            "approved_support": "300000000",
            "comment": "Đồng ý theo Tờ trình của Sở.",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.APPROVED
    assert project.decision == doc
    assert WorkflowLog.objects.for_object(project).last().by == leadership_user


def test_leadership_cannot_open_a_staff_step(leadership_client):
    project = EquipmentProjectFactory()
    assert leadership_client.get(step_url(project, "survey")).status_code == 403
    response = leadership_client.post(
        step_url(project, "survey"),
        {"surveyed_on": "15/03/2019", "survey_notes": "x"},
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == S.REGISTERED


def test_officer_cannot_reach_the_admin_steps(client, officer_a):
    project = EquipmentProjectFactory()
    client.force_login(officer_a)
    response = client.post(step_url(project, "survey"), {"surveyed_on": "15/03/2019"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    project.refresh_from_db()
    assert project.status == S.REGISTERED


def test_unknown_step_is_not_found(staff_client):
    project = EquipmentProjectFactory()
    assert staff_client.get(step_url(project, "teleport")).status_code == 404


# ------------------------------------------------------------------ bulk forward


def forward_action(client, projects, **extra):
    return client.post(
        url(),
        {
            "action": "bulk_forward",
            ACTION_CHECKBOX_NAME: [p.pk for p in projects],
            **extra,
        },
    )


def test_bulk_forward_asks_for_confirmation_first(staff_client, staff_user):
    projects = [
        walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED) for _ in range(2)
    ]
    response = forward_action(staff_client, projects)
    assert response.status_code == 200
    page = text(response)
    assert "Xác nhận: Trình UBND Thành phố" in page
    assert "sẽ chuyển 2 hồ sơ sau sang trạng thái <strong>Đã trình UBND" in page
    for p in projects:
        assert p.title in page
        p.refresh_from_db()
        assert p.status == S.SURVEYED


def test_bulk_forward_moves_the_projects_and_downloads_the_list_for_ubnd(
    staff_client, staff_user
):
    phu_xuyen = EstablishmentFactory(
        name="HTX sơn mài Duyên Thái",
        administrative_unit=unit("280"),
        tax_code="0101234567",
        address="Thôn Duyên Trang",
    )
    chuong_my = EstablishmentFactory(
        name="Hộ kinh doanh mây tre Phú Vinh", administrative_unit=unit("277")
    )
    first = walk(
        EquipmentProjectFactory(
            establishment=phu_xuyen,
            title="Máy phun sơn tĩnh điện",
            total_cost=Decimal("600000000"),
            requested_support=Decimal("300000000"),
        ),
        staff_user,
        until=S.SURVEYED,
    )
    second = walk(
        EquipmentProjectFactory(
            establishment=chuong_my,
            title="Máy chẻ nan tự động",
            total_cost=Decimal("200000000"),
            requested_support=Decimal("100000000"),
        ),
        staff_user,
        until=S.SURVEYED,
    )
    other = walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED)

    response = forward_action(
        staff_client, [first, second], post="yes", comment="Tờ trình 45/TTr-SCT"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment; filename=" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0].startswith("DANH SÁCH ĐỀ ÁN HỖ TRỢ ỨNG DỤNG MÁY MÓC THIẾT BỊ")
    header = rows[3]
    assert header[:3] == ["STT", "Tên cơ sở", "Loại hình"]
    assert header[10:13] == [
        "Tổng chi phí (đồng)",
        "Kinh phí đề nghị hỗ trợ (đồng)",
        "Kinh phí đối ứng (đồng)",
    ]
    body = rows[4:]
    # Ordered by unit code: Chương Mỹ (277) before Phú Xuyên (280).
    assert [r[0] for r in body[:2]] == [1, 2]
    assert body[0][1] == "Hộ kinh doanh mây tre Phú Vinh"
    assert body[0][5] == "Huyện Chương Mỹ"
    assert body[0][6] == "Máy chẻ nan tự động"
    assert body[0][10:13] == [200000000, 100000000, 100000000]
    assert body[1][1:7] == [
        "HTX sơn mài Duyên Thái",
        "Hộ kinh doanh",
        "0101234567",
        "Thôn Duyên Trang",
        "Huyện Phú Xuyên",
        "Máy phun sơn tĩnh điện",
    ]
    assert body[1][10:13] == [600000000, 300000000, 300000000]
    assert body[2][1] == "Tổng cộng: 2 đề án"
    assert body[2][10:13] == [800000000, 400000000, 400000000]
    assert len(body) == 3

    for p in (first, second):
        p.refresh_from_db()
        assert p.status == S.FORWARDED
        assert p.forwarded_on is not None
    other.refresh_from_db()
    assert other.status == S.SURVEYED
    assert (
        WorkflowLog.objects.filter(
            transition="forward", comment="Tờ trình 45/TTr-SCT", by=staff_user
        ).count()
        == 2
    )


def test_bulk_forward_is_all_or_nothing(staff_client, staff_user):
    ready = walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED)
    not_surveyed = EquipmentProjectFactory(title="Máy ép viên nén")
    response = forward_action(staff_client, [ready, not_surveyed], post="yes")
    assert response.status_code == 302
    [message] = shown_messages(response)
    assert message.startswith("Không thực hiện bước nào. “Máy ép viên nén”:")
    ready.refresh_from_db()
    assert ready.status == S.SURVEYED
    assert not WorkflowLog.objects.filter(transition="forward").exists()


def test_bulk_forward_is_offered_to_staff_not_to_leadership(
    client, staff_user, leadership_user
):
    EquipmentProjectFactory()
    client.force_login(staff_user)
    assert 'value="bulk_forward"' in text(client.get(url()))
    client.force_login(leadership_user)
    response = client.get(url())
    assert response.status_code == 200
    assert 'value="bulk_forward"' not in text(response)


# ------------------------------------------------------------------- changelist


def test_changelist_lists_searches_and_filters_projects(
    staff_client, staff_user, django_assert_max_num_queries
):
    est = EstablishmentFactory(name="Cơ sở gốm Bát Tràng Demo")
    EquipmentProjectFactory(establishment=est, title="Lò nung gas")
    for _ in range(10):
        walk(EquipmentProjectFactory(), staff_user, until=S.APPROVED)
    with django_assert_max_num_queries(15):
        response = staff_client.get(url())
    page = text(response)
    assert response.status_code == 200
    assert page.count("Được phê duyệt</td>") == 10
    assert "300.000.000" in page
    assert len(titles(response)) == 11
    response = staff_client.get(url(), {"q": "Bát Tràng"})
    assert titles(response) == ["Lò nung gas"]
    response = staff_client.get(url(), {"status__exact": S.REGISTERED})
    assert titles(response) == ["Lò nung gas"]


def test_staff_registers_a_project_in_the_registered_state(staff_client):
    plan = PlanFactory(year=2019)
    est = EstablishmentFactory()
    prefix = "khuyencong-attachment-content_type-object_id"
    response = staff_client.post(
        url("add"),
        {
            "plan": plan.pk,
            "establishment": est.pk,
            "title": "Máy dệt kim điện tử",
            "activity": "thiet_bi",
            "description": "01 máy dệt kim",
            "funding_source": "dia_phuong",
            "registered_on": "02/03/2019",
            "total_cost": "500000000",
            "requested_support": "250000000",
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, text(response)
    project = EquipmentProject.objects.get(title="Máy dệt kim điện tử")
    assert project.status == S.REGISTERED
    assert project.counterpart == Decimal("250000000")
    assert shown_messages(response)[-1].endswith("được thêm vào thành công.")


def test_registering_a_project_in_an_urban_district_warns_staff(staff_client):
    plan = PlanFactory(year=2019)
    est = EstablishmentFactory(name="Cơ sở Ba Đình", administrative_unit=unit("001"))
    prefix = "khuyencong-attachment-content_type-object_id"
    response = staff_client.post(
        url("add"),
        {
            "plan": plan.pk,
            "establishment": est.pk,
            "title": "Máy khắc laser",
            "activity": "thiet_bi",
            "funding_source": "dia_phuong",
            "registered_on": "02/03/2019",
            "total_cost": "100000000",
            "requested_support": "50000000",
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert any(
        "Quận Ba Đình: địa bàn này không thuộc diện được hỗ trợ" in m
        for m in shown_messages(response)
    )


def test_request_above_the_cost_is_refused_naming_the_field(staff_client):
    plan = PlanFactory(year=2019)
    est = EstablishmentFactory()
    prefix = "khuyencong-attachment-content_type-object_id"
    response = staff_client.post(
        url("add"),
        {
            "plan": plan.pk,
            "establishment": est.pk,
            "title": "Máy in 3D",
            "activity": "thiet_bi",
            "funding_source": "dia_phuong",
            "registered_on": "02/03/2019",
            "total_cost": "100000000",
            "requested_support": "150000000",
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Kinh phí đề nghị hỗ trợ không được lớn hơn tổng chi phí." in text(response)
    assert not EquipmentProject.objects.filter(title="Máy in 3D").exists()


def test_the_list_sent_to_ubnd_can_be_downloaded_again(staff_client, staff_user):
    projects = [
        walk(EquipmentProjectFactory(), staff_user, until=S.FORWARDED) for _ in range(2)
    ]
    response = staff_client.post(
        url(),
        {
            "action": "download_forward_list",
            ACTION_CHECKBOX_NAME: [p.pk for p in projects],
        },
    )
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[-1][1] == "Tổng cộng: 2 đề án"
    assert sorted(r[6] for r in rows[4:6]) == sorted(p.title for p in projects)


def test_downloading_the_list_refuses_projects_not_yet_forwarded(staff_client):
    project = EquipmentProjectFactory(title="Máy sấy gỗ")
    response = staff_client.post(
        url(),
        {"action": "download_forward_list", ACTION_CHECKBOX_NAME: [project.pk]},
    )
    assert response.status_code == 302
    assert shown_messages(response) == [
        "Các đề án sau chưa được trình UBND: Máy sấy gỗ."
    ]
