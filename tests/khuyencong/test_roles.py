import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from khuyencong.models import Role
from khuyencong.roles import group_name, roles_sync
from tests.khuyencong.factories import UserFactory

pytestmark = pytest.mark.django_db


def perms(role):
    group = Group.objects.get(name=group_name(role))
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_every_role_has_a_group_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {group_name(r) for r in Role} <= names


def test_staff_edit_registers_and_documents_but_not_users():
    p = perms(Role.STAFF)
    assert {"khuyencong.add_legaldocument", "khuyencong.change_supportrule"} <= p
    assert "khuyencong.view_administrativeunit" in p
    assert "khuyencong.change_administrativeunit" not in p
    assert "khuyencong.add_user" not in p


def test_administrator_manages_users_and_reference_data_only():
    p = perms(Role.ADMINISTRATOR)
    assert {"khuyencong.add_user", "khuyencong.change_administrativeunit"} <= p
    assert not any(x.startswith(("programs.", "villages.", "clusters.")) for x in p)


def test_leadership_only_reads_core_data():
    p = perms(Role.LEADERSHIP)
    assert "khuyencong.view_legaldocument" in p
    assert not any(x.split(".")[1].startswith(("add_", "delete_")) for x in p)


def test_officer_has_no_user_or_reference_edit_rights():
    p = perms(Role.OFFICER)
    assert "khuyencong.view_administrativeunit" in p
    assert not any(x.startswith("khuyencong.change_") for x in p)


def test_sync_is_idempotent_and_restores_a_removed_permission():
    first = roles_sync()
    group = Group.objects.get(name=group_name(Role.STAFF))
    group.permissions.remove(Permission.objects.get(codename="add_legaldocument"))
    assert roles_sync() == first
    assert roles_sync() == first
    assert "khuyencong.add_legaldocument" in perms(Role.STAFF)


def test_a_model_added_later_gets_its_permissions_in_the_right_groups():
    ct = ContentType.objects.create(app_label="programs", model="newregister")
    for action in ("add", "view"):
        Permission.objects.create(
            content_type=ct, codename=f"{action}_newregister", name=action
        )
    roles_sync()
    assert {"programs.add_newregister", "programs.view_newregister"} <= perms(
        Role.STAFF
    )
    assert "programs.view_newregister" in perms(Role.LEADERSHIP)
    assert "programs.add_newregister" not in perms(Role.LEADERSHIP)


@pytest.mark.parametrize(
    ("role", "is_staff"),
    [
        (Role.STAFF, True),
        (Role.LEADERSHIP, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_admin_roles_get_admin_access_and_exactly_their_group(role, is_staff):
    user = UserFactory(role=role)
    assert user.is_staff is is_staff
    assert list(user.groups.values_list("name", flat=True)) == [group_name(role)]


def test_officer_does_not_get_admin_access(officer_a):
    assert officer_a.is_staff is False
    assert officer_a.has_perm("khuyencong.view_administrativeunit")
    assert not officer_a.has_perm("khuyencong.change_administrativeunit")
    assert list(officer_a.groups.values_list("name", flat=True)) == [
        group_name(Role.OFFICER)
    ]
