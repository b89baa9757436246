"""Export for portal and public pages: the same resource, scoped to the user,
formulas escaped, as .xlsx or .csv."""

from django.http import HttpResponse
from django.utils import timezone

from khuyencong.importing import files


def export_response(
    *,
    resource_class,
    queryset=None,
    user=None,
    file_format: str = "xlsx",
    filename: str = "",
) -> HttpResponse:
    """An attachment with the rows of `queryset` this user may see."""
    if file_format not in files.FORMAT_BY_EXTENSION:
        raise ValueError(file_format)
    fmt = files.FORMAT_BY_EXTENSION[file_format]()
    resource = resource_class(user=user)
    dataset = resource.export(
        queryset=queryset, user=user, force_native_type=file_format == "xlsx"
    )
    data = fmt.export_data(dataset)
    name = filename or resource_class._meta.model._meta.model_name
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response = HttpResponse(data, content_type=fmt.get_content_type())
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{stamp}.{file_format}"'
    )
    return response
