"""Where each register's resource lives: `<app>/resources.py`, found by model."""

from functools import cache
from importlib import import_module

from django.apps import apps

from khuyencong.importing.resources import RegisterResource, resource_factory


@cache
def registered_resources() -> dict[type, type[RegisterResource]]:
    """model -> the RegisterResource declared for it in its app's resources.py."""
    found = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.resources")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.resources":
                raise
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, RegisterResource)
                and value.__module__ == module.__name__
                and getattr(value._meta, "model", None) is not None
            ):
                found.setdefault(value._meta.model, value)
    return found


def resource_for(model) -> type[RegisterResource] | None:
    return registered_resources().get(model)


def export_resource_for(model) -> type[RegisterResource]:
    return resource_for(model) or resource_factory(model)
