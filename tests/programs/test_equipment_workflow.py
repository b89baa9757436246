import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from khuyencong.models import (
    FundingSource,
    LegalDocument,
    SupportRule,
    WorkflowLog,
)
from khuyencong.workflow import transitions_for
from programs.equipment_services import (
    equipment_project_step,
    equipment_projects_forward,
)
from programs.models import EquipmentActivity, EquipmentProject, EquipmentStatus
from programs.workflows import EQUIPMENT_WORKFLOW
from tests.khuyencong.factories import LegalDocumentFactory
from tests.programs.factories import EquipmentProjectFactory, PlanFactory

S = EquipmentStatus


def decision(number="1234/QĐ-UBND"):
    return LegalDocumentFactory(
        number=number,
        kind=LegalDocument.Kind.DECISION,
        issued_on=date(2019, 6, 1),
    )


def step_values(transition: str) -> dict:
    """Valid values for each step of a 2019 project costing 800 million."""
    return {
        "survey": {
            "surveyed_on": date(2019, 3, 15),
            "survey_notes": "Nhà xưởng đủ điều kiện lắp đặt máy.",
        },
        "approve": {
            "decision": decision(),
            "decided_on": date(2019, 6, 1),
            "approved_support": Decimal("300000000"),
        },
        "start": {
            "advanced_amount": Decimal("150000000"),
            "advanced_on": date(2019, 6, 15),
        },
        "accept": {
            "accepted_on": date(2019, 10, 1),
            "acceptance_notes": "Máy vận hành đúng công suất.",
        },
        "settle": {
            "settled_amount": Decimal("290000000"),
            "settled_on": date(2019, 11, 1),
        },
    }.get(transition, {})


HAPPY_PATH = ("survey", "forward", "approve", "start", "accept", "settle")


def walk(project, user, *, until: str) -> EquipmentProject:
    """Take the happy-path steps until the project is in state `until`."""
    for name in HAPPY_PATH:
        if project.status == until:
            break
        if project.status not in EQUIPMENT_WORKFLOW.get(name).sources:
            continue
        equipment_project_step(
            project=project, transition=name, by=user, values=step_values(name)
        )
    assert project.status == until
    return project


def assert_refused(project, *, by, transition, values=None, comment="", match=""):
    """The step is refused with a Vietnamese message and nothing changes."""
    before = EquipmentProject.objects.values().get(pk=project.pk)
    logs = WorkflowLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        equipment_project_step(
            project=project,
            transition=transition,
            by=by,
            comment=comment,
            values=values or {},
        )
    message = " ".join(exc.value.messages)
    assert match in message
    assert EquipmentProject.objects.values().get(pk=project.pk) == before
    assert WorkflowLog.objects.count() == logs
    project.refresh_from_db()
    return message


# ------------------------------------------------------------------- happy paths


def test_project_walks_every_state_to_settlement_and_logs_each_step(
    staff_user, leadership_user
):
    project = EquipmentProjectFactory()
    assert project.status == S.REGISTERED
    expected = [
        ("survey", S.REGISTERED, S.SURVEYED, staff_user),
        ("forward", S.SURVEYED, S.FORWARDED, staff_user),
        ("approve", S.FORWARDED, S.APPROVED, leadership_user),
        ("start", S.APPROVED, S.IMPLEMENTING, staff_user),
        ("accept", S.IMPLEMENTING, S.ACCEPTED, staff_user),
        ("settle", S.ACCEPTED, S.SETTLED, staff_user),
    ]
    for name, source, target, user in expected:
        assert project.status == source
        log = equipment_project_step(
            project=project,
            transition=name,
            by=user,
            comment=f"Ý kiến bước {name}",
            values=step_values(name),
        )
        assert project.status == target
        assert EquipmentProject.objects.get(pk=project.pk).status == target
        assert (log.transition, log.from_state, log.to_state) == (name, source, target)
        assert log.by == user
        assert log.comment == f"Ý kiến bước {name}"
        assert log.at is not None

    project.refresh_from_db()
    assert project.forwarded_on is not None
    assert project.decision.number == "1234/QĐ-UBND"
    assert project.decided_on == date(2019, 6, 1)
    assert project.approved_support == Decimal("300000000")
    assert project.counterpart == Decimal("500000000")
    assert project.advanced_amount == Decimal("150000000")
    assert project.settled_amount == Decimal("290000000")
    assert project.settled_on == date(2019, 11, 1)
    logs = list(WorkflowLog.objects.for_object(project))
    assert [(log.from_state, log.to_state) for log in logs] == [
        (source, target) for _name, source, target, _user in expected
    ]
    # The step's fields are kept with the log row.
    approval = logs[2]
    assert approval.data["approved_support"] == "300000000"
    assert approval.data["decision"]["text"].startswith("1234/QĐ-UBND")
    # django-simple-history keeps each saved state as well.
    assert project.history.filter(status=S.SETTLED).exists()


def test_staff_returns_a_registered_project_for_supplement_and_takes_it_back(
    staff_user,
):
    project = EquipmentProjectFactory()
    equipment_project_step(
        project=project,
        transition="request_supplement",
        by=staff_user,
        comment="Thiếu báo giá máy chẻ nan.",
    )
    assert project.status == S.NEEDS_SUPPLEMENT
    equipment_project_step(
        project=project, transition="supplement_received", by=staff_user
    )
    assert project.status == S.REGISTERED
    log = WorkflowLog.objects.for_object(project).first()
    assert log.comment == "Thiếu báo giá máy chẻ nan."
    assert (log.from_state, log.to_state) == (S.REGISTERED, S.NEEDS_SUPPLEMENT)


def test_a_surveyed_project_returned_for_supplement_is_surveyed_again(staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED)
    equipment_project_step(
        project=project,
        transition="request_supplement",
        by=staff_user,
        comment="Bổ sung hợp đồng mua máy.",
    )
    assert project.status == S.NEEDS_SUPPLEMENT
    equipment_project_step(
        project=project,
        transition="survey",
        by=staff_user,
        values={"surveyed_on": date(2019, 4, 2), "survey_notes": "Đã đủ hồ sơ."},
    )
    assert project.status == S.SURVEYED
    assert project.surveyed_on == date(2019, 4, 2)


@pytest.mark.parametrize("state", [S.REGISTERED, S.SURVEYED, S.FORWARDED])
def test_project_can_be_rejected_with_a_reason_before_approval(
    state, staff_user, leadership_user
):
    project = walk(EquipmentProjectFactory(), staff_user, until=state)
    log = equipment_project_step(
        project=project,
        transition="reject",
        by=leadership_user,
        values={"rejection_reason": "Cơ sở không thuộc đối tượng hỗ trợ."},
    )
    assert project.status == S.REJECTED
    assert project.rejected_on is not None
    assert project.rejection_reason == "Cơ sở không thuộc đối tượng hỗ trợ."
    assert (log.from_state, log.to_state, log.by) == (
        state,
        S.REJECTED,
        leadership_user,
    )


def test_production_line_may_get_one_and_a_half_times_the_equipment_cap(
    staff_user,
):
    project = EquipmentProjectFactory(
        activity=EquipmentActivity.PRODUCTION_LINE,
        total_cost=Decimal("1000000000"),
        requested_support=Decimal("450000000"),
    )
    walk(project, staff_user, until=S.FORWARDED)
    values = step_values("approve") | {"approved_support": Decimal("450000000")}
    equipment_project_step(
        project=project, transition="approve", by=staff_user, values=values
    )
    assert project.status == S.APPROVED


# ---------------------------------------------------------------------- refusals


@pytest.mark.parametrize("transition", ["survey", "request_supplement", "forward"])
def test_officer_cannot_move_a_project(transition, officer_a, staff_user):
    project = EquipmentProjectFactory()
    if transition == "forward":
        walk(project, staff_user, until=S.SURVEYED)
    assert_refused(
        project,
        by=officer_a,
        transition=transition,
        values=step_values(transition),
        comment="x",
        match="Bạn không có quyền thực hiện bước",
    )


def test_leadership_records_decisions_but_does_not_survey(leadership_user):
    project = EquipmentProjectFactory()
    assert_refused(
        project,
        by=leadership_user,
        transition="survey",
        values=step_values("survey"),
        match="Bạn không có quyền thực hiện bước “Ghi nhận khảo sát”",
    )
    assert project.status == S.REGISTERED


@pytest.mark.parametrize(
    ("state", "transition"),
    [
        (S.REGISTERED, "approve"),
        (S.REGISTERED, "forward"),
        (S.SURVEYED, "start"),
        (S.APPROVED, "settle"),
        (S.APPROVED, "reject"),
        (S.FORWARDED, "request_supplement"),
        (S.IMPLEMENTING, "survey"),
    ],
)
def test_step_from_the_wrong_state_is_refused(state, transition, staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=state)
    assert_refused(
        project,
        by=staff_user,
        transition=transition,
        values=step_values(transition) | {"rejection_reason": "x"}
        if transition == "reject"
        else step_values(transition),
        comment="x",
        match="Không thể thực hiện bước",
    )
    assert project.status == state


def test_settled_project_cannot_move_again(staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.SETTLED)
    for transition in ("settle", "reject", "request_supplement", "survey"):
        message = assert_refused(
            project,
            by=staff_user,
            transition=transition,
            values={"rejection_reason": "x"} if transition == "reject" else {},
            comment="x",
        )
        assert "Đã quyết toán" in message
        assert "không thể chuyển tiếp" in message


def test_rejected_project_cannot_move_again(staff_user):
    project = EquipmentProjectFactory()
    equipment_project_step(
        project=project,
        transition="reject",
        by=staff_user,
        values={"rejection_reason": "Trùng đề án năm trước."},
    )
    for transition in ("survey", "supplement_received", "reject"):
        assert_refused(
            project,
            by=staff_user,
            transition=transition,
            values=step_values(transition),
            match="“Không phê duyệt”, không thể chuyển tiếp",
        )


def test_approval_without_a_decision_document_is_refused(staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.FORWARDED)
    values = step_values("approve")
    del values["decision"]
    message = assert_refused(
        project, by=staff_user, transition="approve", values=values
    )
    assert message == (
        "Trường “quyết định phê duyệt” là bắt buộc ở bước "
        "“Ghi nhận quyết định phê duyệt”."
    )


@pytest.mark.parametrize("missing", ["decided_on", "approved_support"])
def test_approval_without_date_or_amount_is_refused(missing, staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.FORWARDED)
    values = step_values("approve")
    del values[missing]
    assert_refused(
        project, by=staff_user, transition="approve", values=values, match="bắt buộc"
    )


def test_rejection_without_a_reason_is_refused(staff_user):
    project = EquipmentProjectFactory()
    assert_refused(
        project,
        by=staff_user,
        transition="reject",
        values={"rejection_reason": "  "},
        comment="Không đạt",
        match="Trường “lý do không phê duyệt” là bắt buộc",
    )


def test_return_for_supplement_without_a_comment_is_refused(staff_user):
    project = EquipmentProjectFactory()
    assert_refused(
        project,
        by=staff_user,
        transition="request_supplement",
        comment="   ",
        match="cần ghi rõ ý kiến hoặc lý do",
    )


def test_approved_amount_above_the_share_of_cost_is_refused_naming_the_rule(
    staff_user,
):
    project = EquipmentProjectFactory(
        total_cost=Decimal("400000000"), requested_support=Decimal("250000000")
    )
    walk(project, staff_user, until=S.FORWARDED)
    values = step_values("approve") | {"approved_support": Decimal("250000000")}
    message = assert_refused(
        project, by=staff_user, transition="approve", values=values
    )
    assert message == (
        "Kinh phí được phê duyệt (250.000.000 đồng) vượt 50% tổng chi phí đề án "
        "(tối đa 200.000.000 đồng) theo mức hỗ trợ “Ứng dụng máy móc thiết bị, "
        "công nghệ” áp dụng từ 11/05/2018 (28/2018/TT-BTC)."
    )
    assert project.status == S.FORWARDED
    assert project.approved_support is None


def test_approved_amount_above_the_cap_is_refused_naming_the_rule(staff_user):
    project = EquipmentProjectFactory(
        total_cost=Decimal("800000000"), requested_support=Decimal("350000000")
    )
    walk(project, staff_user, until=S.FORWARDED)
    values = step_values("approve") | {"approved_support": Decimal("350000000")}
    message = assert_refused(
        project, by=staff_user, transition="approve", values=values
    )
    assert message == (
        "Kinh phí được phê duyệt (350.000.000 đồng) vượt mức hỗ trợ tối đa "
        "300.000.000 đồng/cơ sở theo mức hỗ trợ “Ứng dụng máy móc thiết bị, "
        "công nghệ” áp dụng từ 11/05/2018 (28/2018/TT-BTC)."
    )


def test_approval_uses_the_rule_in_force_at_the_decision_date(staff_user):
    city_rule = LegalDocumentFactory(number="99/2020/NQ-HĐND")
    SupportRule.objects.create(
        activity=SupportRule.Activity.EQUIPMENT,
        funding_source=FundingSource.LOCAL,
        effective_from=date(2020, 1, 1),
        max_share_percent=Decimal("40"),
        max_amount=Decimal("200000000"),
        legal_basis=city_rule,
    )
    earlier = walk(EquipmentProjectFactory(), staff_user, until=S.FORWARDED)
    later = walk(EquipmentProjectFactory(), staff_user, until=S.FORWARDED)
    values = step_values("approve") | {"approved_support": Decimal("250000000")}
    # 1/6/2019: the national rule (300 million) applies.
    equipment_project_step(
        project=earlier, transition="approve", by=staff_user, values=values
    )
    assert earlier.status == S.APPROVED
    # 1/6/2020: the City's rule for local funds (200 million) applies.
    message = assert_refused(
        later,
        by=staff_user,
        transition="approve",
        values=values
        | {"decided_on": date(2020, 6, 1), "decision": decision("7/QĐ-UBND")},
    )
    assert "200.000.000 đồng/cơ sở" in message
    assert "áp dụng từ 01/01/2020 (99/2020/NQ-HĐND)" in message


def test_approval_before_any_rule_was_in_force_is_refused(staff_user):
    project = EquipmentProjectFactory(plan=PlanFactory(year=2018))
    walk(project, staff_user, until=S.FORWARDED)
    values = step_values("approve") | {"decided_on": date(2018, 4, 1)}
    assert_refused(
        project,
        by=staff_user,
        transition="approve",
        values=values,
        match="Chưa có mức hỗ trợ nào cho nội dung",
    )


def test_approved_amount_above_the_request_is_refused(staff_user):
    project = EquipmentProjectFactory(requested_support=Decimal("200000000"))
    walk(project, staff_user, until=S.FORWARDED)
    assert_refused(
        project,
        by=staff_user,
        transition="approve",
        values=step_values("approve"),
        match="không được lớn hơn kinh phí cơ sở đề nghị hỗ trợ (200.000.000 đồng)",
    )


def test_advance_above_the_approved_amount_is_refused(staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.APPROVED)
    values = step_values("start") | {"advanced_amount": Decimal("300000001")}
    assert_refused(
        project,
        by=staff_user,
        transition="start",
        values=values,
        match="Kinh phí tạm ứng (300.000.001 đồng) không được lớn hơn",
    )


def test_settled_amount_above_the_approved_amount_is_refused(staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.ACCEPTED)
    values = step_values("settle") | {"settled_amount": Decimal("300000001")}
    message = assert_refused(project, by=staff_user, transition="settle", values=values)
    assert message == (
        "Kinh phí quyết toán (300.000.001 đồng) không được lớn hơn kinh phí được "
        "phê duyệt (300.000.000 đồng)."
    )
    assert project.status == S.ACCEPTED
    assert project.settled_amount is None


def test_step_does_not_accept_fields_it_does_not_ask_for(staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED)
    assert_refused(
        project,
        by=staff_user,
        transition="forward",
        values={"approved_support": Decimal("1")},
        match="không nhận trường: approved_support",
    )


# --------------------------------------------------------------- what next, who


def test_next_steps_depend_on_state_and_role(staff_user, leadership_user, officer_a):
    project = EquipmentProjectFactory()

    def names(user):
        return [t.name for t in transitions_for(EQUIPMENT_WORKFLOW, project, user)]

    assert names(staff_user) == ["survey", "request_supplement", "reject"]
    assert names(leadership_user) == ["reject"]
    assert names(officer_a) == []
    walk(project, staff_user, until=S.FORWARDED)
    assert names(staff_user) == ["approve", "reject"]
    assert names(leadership_user) == ["approve", "reject"]
    walk(project, staff_user, until=S.SETTLED)
    assert names(staff_user) == []


# ------------------------------------------------------------------ double click


def test_second_submit_of_the_same_step_is_refused_and_logged_once(staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED)
    first_tab = EquipmentProject.objects.get(pk=project.pk)
    second_tab = EquipmentProject.objects.get(pk=project.pk)
    equipment_project_step(project=first_tab, transition="forward", by=staff_user)
    with pytest.raises(ValidationError) as exc:
        equipment_project_step(project=second_tab, transition="forward", by=staff_user)
    assert "đang ở trạng thái “Đã trình UBND Thành phố”" in exc.value.messages[0]
    assert (
        WorkflowLog.objects.for_object(project).filter(transition="forward").count()
        == 1
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs row locks and a connection per thread: the SQLite test database "
    "is an in-memory shared cache, where a second thread fails with 'table locked' "
    "instead of waiting. The sequential double submit above covers SQLite.",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_click_moves_the_project_once(staff_user):
    project = walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED)
    results: list = []

    def click():
        try:
            own = EquipmentProject.objects.get(pk=project.pk)
            equipment_project_step(project=own, transition="forward", by=staff_user)
            results.append("moved")
        except ValidationError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    with transaction.atomic():
        # Hold the row so that both clicks queue on it, then let them race.
        EquipmentProject.objects.select_for_update().get(pk=project.pk)
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                # Statistics are a snapshot per transaction: take a fresh one.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0] >= 2:
                    break
            else:
                pytest.fail("the two clicks never waited on the row lock")
    for t in threads:
        t.join(timeout=20)

    assert results.count("moved") == 1
    refused = [r for r in results if r != "moved"]
    assert len(refused) == 1
    assert "Không thể thực hiện bước “Trình UBND Thành phố”" in refused[0].messages[0]
    project.refresh_from_db()
    assert project.status == S.FORWARDED
    assert (
        WorkflowLog.objects.for_object(project).filter(transition="forward").count()
        == 1
    )


# ------------------------------------------------------------------ bulk forward


def test_forwarding_a_list_is_all_or_nothing(staff_user):
    ready = walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED)
    not_surveyed = EquipmentProjectFactory(title="Đề án máy ép gạch")
    with pytest.raises(ValidationError) as exc:
        equipment_projects_forward(projects=[ready, not_surveyed], by=staff_user)
    assert exc.value.messages[0].startswith("“Đề án máy ép gạch”: Không thể")
    ready.refresh_from_db()
    assert ready.status == S.SURVEYED
    assert not WorkflowLog.objects.filter(transition="forward").exists()


def test_forwarding_a_list_moves_every_project(staff_user):
    projects = [
        walk(EquipmentProjectFactory(), staff_user, until=S.SURVEYED) for _ in range(3)
    ]
    equipment_projects_forward(
        projects=projects, by=staff_user, comment="Tờ trình số 12/TTr-SCT"
    )
    assert set(
        EquipmentProject.objects.values_list("status", flat=True).distinct()
    ) == {S.FORWARDED}
    assert (
        WorkflowLog.objects.filter(
            transition="forward", comment="Tờ trình số 12/TTr-SCT"
        ).count()
        == 3
    )
