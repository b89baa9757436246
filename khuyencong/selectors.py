from khuyencong.models import Attachment


def attachment_visible_to(attachment: Attachment, user) -> bool:
    """A user may download a file when they may see the record it belongs to.

    A model whose manager has `for_user(user)` decides by that row scope; any other
    model needs the user's view permission on it."""
    if not user.is_authenticated or not user.is_active:
        return False
    model = attachment.content_type.model_class()
    if model is None:
        return False
    manager = model._default_manager
    if hasattr(manager, "for_user"):
        return manager.for_user(user).filter(pk=attachment.object_id).exists()
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
