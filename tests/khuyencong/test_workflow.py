"""The one workflow mechanism (khuyencong/workflow.py), on its own terms.

A small test workflow over EquipmentProject's status field exercises what every
workflow relies on; tests/programs/test_equipment_workflow.py covers the real one."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from khuyencong.models import Role, WorkflowLog
from khuyencong.workflow import (
    ALL_STAFF,
    DECIDERS,
    Transition,
    Workflow,
    history_for,
    transitions_for,
    user_may,
    workflow_apply,
)
from programs.models import EquipmentProject, EquipmentStatus
from tests.khuyencong.factories import UserFactory
from tests.programs.factories import EquipmentProjectFactory

pytestmark = pytest.mark.django_db
S = EquipmentStatus


def refuse_big_projects(project):
    if project.total_cost > Decimal("1000000000"):
        raise ValidationError({"total_cost": "Đề án quá lớn."})


def sneak_in_another_writer(project):
    # What a second writer without row locks would do between check and save.
    EquipmentProject.objects.filter(pk=project.pk).update(status=S.SURVEYED)


def note_who(project, by):
    project.survey_notes = f"Khảo sát bởi {by.username}"


TEST_WORKFLOW = Workflow(
    status_field="status",
    states=EquipmentStatus,
    final_states=(S.REJECTED,),
    transitions=(
        Transition(
            name="survey",
            label="Khảo sát",
            sources=(S.REGISTERED,),
            target=S.SURVEYED,
            roles=ALL_STAFF,
            fields=("surveyed_on",),
            required=("surveyed_on",),
            check=refuse_big_projects,
            effect=note_who,
        ),
        Transition(
            name="race",
            label="Bước bị tranh chấp",
            sources=(S.REGISTERED,),
            target=S.NEEDS_SUPPLEMENT,
            roles=ALL_STAFF,
            check=sneak_in_another_writer,
        ),
        Transition(
            name="reject",
            label="Từ chối",
            sources=(S.REGISTERED, S.SURVEYED),
            target=S.REJECTED,
            roles=DECIDERS,
            comment_required=True,
        ),
    ),
)


def apply(project, transition, by, **kwargs):
    return workflow_apply(
        workflow=TEST_WORKFLOW, obj=project, transition=transition, by=by, **kwargs
    )


# ------------------------------------------------------------------- declaring


def test_transition_names_must_be_unique():
    step = Transition("a", "A", ("x",), "y", ALL_STAFF)
    with pytest.raises(ValueError, match="unique"):
        Workflow(status_field="status", states=S, transitions=(step, step))


def test_a_transition_may_not_leave_a_final_state():
    step = Transition("reopen", "Mở lại", (S.REJECTED,), S.REGISTERED, ALL_STAFF)
    with pytest.raises(ValueError, match="reopen leaves a final state"):
        Workflow(
            status_field="status",
            states=S,
            transitions=(step,),
            final_states=(S.REJECTED,),
        )


def test_unknown_step_is_a_vietnamese_validation_error():
    with pytest.raises(ValidationError) as exc:
        TEST_WORKFLOW.get("fly")
    assert exc.value.messages == ["Không có bước xử lý “fly”."]


def test_state_labels_fall_back_to_the_stored_value():
    assert TEST_WORKFLOW.state_label("trinh_ubnd") == "Đã trình UBND Thành phố"
    assert TEST_WORKFLOW.state_label("gone") == "gone"


# --------------------------------------------------------------------- who may


def test_who_may_take_a_step():
    survey = TEST_WORKFLOW.get("survey")
    assert user_may(survey, UserFactory(role=Role.STAFF))
    assert not user_may(survey, UserFactory(role=Role.LEADERSHIP))
    assert not user_may(survey, UserFactory(role=Role.ADMINISTRATOR))
    assert not user_may(survey, UserFactory(role=Role.STAFF, is_active=False))
    assert not user_may(survey, AnonymousUser())
    assert not user_may(survey, None)
    assert user_may(survey, UserFactory(is_superuser=True))


def test_next_steps_for_a_user_follow_state_and_role(staff_user, leadership_user):
    project = EquipmentProjectFactory()

    def names(user):
        return [t.name for t in transitions_for(TEST_WORKFLOW, project, user)]

    assert names(staff_user) == ["survey", "race", "reject"]
    assert names(leadership_user) == ["reject"]
    assert names(UserFactory(is_superuser=True)) == ["survey", "race", "reject"]
    project.status = S.REJECTED
    assert names(staff_user) == []


# ---------------------------------------------------------------- taking steps


def test_a_step_saves_values_runs_its_effect_and_writes_the_log(staff_user):
    project = EquipmentProjectFactory()
    stale = EquipmentProject.objects.get(pk=project.pk)
    log = apply(
        project,
        "survey",
        staff_user,
        comment="  Đã xuống cơ sở.  ",
        values={"surveyed_on": project.registered_on},
    )
    # The caller's instance holds the saved state.
    assert project.status == S.SURVEYED
    assert project.survey_notes == f"Khảo sát bởi {staff_user.username}"
    stale.refresh_from_db()
    assert stale.status == S.SURVEYED
    assert stale.surveyed_on == project.registered_on
    assert log.comment == "Đã xuống cơ sở."
    assert log.target == stale
    assert log.data == {"surveyed_on": project.registered_on.isoformat()}
    assert list(history_for(project)) == [log]
    assert project.history.first().status == S.SURVEYED


def test_refusals_change_nothing_and_log_nothing(staff_user, leadership_user):
    project = EquipmentProjectFactory(
        total_cost=Decimal("2000000000"), requested_support=Decimal("1")
    )
    before = EquipmentProject.objects.values().get(pk=project.pk)
    cases = [
        ("survey", leadership_user, {}, "Bạn không có quyền thực hiện bước"),
        ("survey", staff_user, {}, "“ngày khảo sát” là bắt buộc ở bước “Khảo sát”"),
        ("survey", staff_user, {"values": {"title": "x"}}, "không nhận trường: title"),
        ("reject", staff_user, {"comment": "   "}, "cần ghi rõ ý kiến hoặc lý do"),
    ]
    for transition, user, kwargs, message in cases:
        with pytest.raises(ValidationError) as exc:
            apply(project, transition, user, **kwargs)
        assert message in " ".join(exc.value.messages)
    # The rule check refuses a project over a billion, naming the field.
    with pytest.raises(ValidationError) as exc:
        apply(
            project, "survey", staff_user, values={"surveyed_on": project.registered_on}
        )
    assert exc.value.message_dict == {"total_cost": ["Đề án quá lớn."]}
    assert EquipmentProject.objects.values().get(pk=project.pk) == before
    assert not WorkflowLog.objects.exists()


def test_model_validation_runs_before_anything_is_saved(staff_user):
    project = EquipmentProjectFactory()
    with pytest.raises(ValidationError) as exc:
        apply(project, "survey", staff_user, values={"surveyed_on": "không phải ngày"})
    assert "surveyed_on" in exc.value.message_dict
    project.refresh_from_db()
    assert project.status == S.REGISTERED
    assert not WorkflowLog.objects.exists()


def test_final_state_refuses_every_step(staff_user):
    project = EquipmentProjectFactory()
    apply(project, "reject", staff_user, comment="Không đủ điều kiện.")
    for transition in ("survey", "reject"):
        with pytest.raises(ValidationError) as exc:
            apply(project, transition, staff_user, comment="x")
        assert exc.value.messages == [
            "Hồ sơ đang ở trạng thái “Không phê duyệt”, không thể chuyển tiếp."
        ]
    assert WorkflowLog.objects.count() == 1


def test_a_row_changed_under_the_step_is_refused_and_rolled_back(staff_user):
    project = EquipmentProjectFactory()
    with pytest.raises(ValidationError) as exc:
        apply(project, "race", staff_user)
    assert exc.value.messages == [
        "Hồ sơ vừa được người khác xử lý. Hãy tải lại trang và kiểm tra."
    ]
    project.refresh_from_db()
    assert project.status == S.REGISTERED
    assert not WorkflowLog.objects.exists()
