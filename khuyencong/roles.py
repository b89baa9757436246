"""Roles (DOMAIN.md §1) as groups with their permissions.

ROLE_PERMISSIONS maps each role to glob patterns over "app_label.codename". The groups
are brought in step after every `migrate` (and by `manage.py sync_roles`), so a model
added later gets its permissions in the right groups without anyone touching this file,
as long as a pattern covers it.
"""

from fnmatch import fnmatch

from django.apps import apps
from django.db import transaction

from khuyencong.models import Role

DOMAIN_APPS = ("programs", "villages", "clusters")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # Department staff: every register, import/export, every workflow step.
    Role.STAFF: (
        *(f"{app}.*" for app in DOMAIN_APPS),
        "khuyencong.*_legaldocument",
        "khuyencong.*_supportrule",
        "khuyencong.*_attachment",
        "khuyencong.view_administrativeunit",
        "khuyencong.view_historical*",
        "khuyencong.export_administrativeunit",
    ),
    # District officers work in the district portal, scoped to their own unit.
    Role.OFFICER: (
        "villages.view_craftvillage",
        "villages.view_brandingcall",
        "villages.view_brandingapplication",
        "villages.add_brandingapplication",
        "villages.change_brandingapplication",
        "villages.submit_brandingapplication",
        "programs.view_establishment",
        "programs.view_trainingcourse",
        "programs.view_participant",
        "programs.view_equipmentproject",
        "clusters.view_industrialcluster",
        "khuyencong.view_administrativeunit",
        "khuyencong.view_attachment",
        "khuyencong.add_attachment",
    ),
    # Leadership reads everything and records the decisions the workflow gives it.
    Role.LEADERSHIP: (
        *(f"{app}.view_*" for app in DOMAIN_APPS),
        *(f"{app}.export_*" for app in DOMAIN_APPS),
        *(f"{app}.decide_*" for app in DOMAIN_APPS),
        "khuyencong.view_administrativeunit",
        "khuyencong.view_legaldocument",
        "khuyencong.view_supportrule",
        "khuyencong.view_attachment",
        "khuyencong.export_*",
    ),
    # IT: users, roles and reference data.
    Role.ADMINISTRATOR: (
        "khuyencong.*_user",
        "khuyencong.*_administrativeunit",
        "khuyencong.*_legaldocument",
        "khuyencong.*_supportrule",
        "khuyencong.view_historical*",
        "auth.view_group",
        # Lockouts (django-axes): see them, and unlock by deleting the attempt.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ),
}

# Roles that work in the Django admin.
ADMIN_ROLES = (Role.STAFF, Role.LEADERSHIP, Role.ADMINISTRATOR)


def group_name(role: str) -> str:
    return str(Role(role).label)


def permissions_for(role: str, all_permissions) -> list:
    patterns = ROLE_PERMISSIONS[role]
    return [
        perm
        for perm in all_permissions
        if any(
            fnmatch(f"{perm.content_type.app_label}.{perm.codename}", p)
            for p in patterns
        )
    ]


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Create the role groups and set exactly their permissions. Idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    all_permissions = list(Permission.objects.select_related("content_type"))
    counts = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = permissions_for(role, all_permissions)
        group.permissions.set(wanted)
        counts[role.value] = len(wanted)
    return counts


def user_apply_role(user) -> None:
    """Put a user in exactly the group of their role and set admin access."""
    Group = apps.get_model("auth", "Group")
    role_groups = Group.objects.filter(name__in=[group_name(r) for r in Role])
    user.groups.remove(*role_groups)
    if user.role:
        group, _ = Group.objects.get_or_create(name=group_name(user.role))
        user.groups.add(group)
    is_staff = user.is_superuser or user.role in ADMIN_ROLES
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


def sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs):
    # post_migrate is sent once per app; act once, after the last app, when every
    # app's permissions exist.
    configs = [c for c in apps.get_app_configs() if c.models_module is not None]
    if app_config is not None and app_config is not configs[-1]:
        return
    from django.contrib.auth.management import create_permissions

    from khuyencong.importing.permissions import import_export_permissions_create

    for config in configs:
        create_permissions(config, verbosity=0, using=using)
    import_export_permissions_create(using=using)
    roles_sync()
