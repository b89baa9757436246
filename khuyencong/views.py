from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from khuyencong.models import Attachment
from khuyencong.selectors import attachment_visible_to


def home(request):
    return render(request, "khuyencong/home.html")


@login_required
def attachment_download(request, uid):
    attachment = get_object_or_404(
        Attachment.objects.select_related("content_type"), uid=uid
    )
    if not attachment_visible_to(attachment, request.user):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        content_type=attachment.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
