"""`import_<model>` and `export_<model>` permissions for every register.

django-import-export checks them (IMPORT_EXPORT_*_PERMISSION_CODE in settings) but
does not create them; they are created after migrate, before the role groups are
synced, so ROLE_PERMISSIONS patterns such as "programs.*" cover them."""

from django.apps import apps
from django.contrib.auth import get_permission_codename

from khuyencong.importing.registry import registered_resources

ACTIONS = {"import": "Nhập từ tệp", "export": "Xuất ra tệp"}


def register_models() -> list:
    """Models that are registers: every model with a history whose app is ours."""
    from khuyencong.roles import DOMAIN_APPS

    ours = {"khuyencong", *DOMAIN_APPS}
    models = set(registered_resources())
    for model in apps.get_models():
        if (
            model._meta.app_label in ours
            and hasattr(model, "history")
            and not model._meta.label_lower.split(".")[1].startswith("historical")
        ):
            models.add(model)
    return sorted(models, key=lambda m: m._meta.label_lower)


def import_export_permissions_create(using: str = "default") -> int:
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    created = 0
    for model in register_models():
        content_type = ContentType.objects.db_manager(using).get_for_model(
            model, for_concrete_model=False
        )
        for action, label in ACTIONS.items():
            _perm, made = Permission.objects.using(using).get_or_create(
                content_type=content_type,
                codename=get_permission_codename(action, model._meta),
                defaults={"name": f"{label}: {model._meta.verbose_name}"},
            )
            created += made
    return created
