"""Every URL of the site (admin included) × every role gets the expected answer.

The expectations live in tests/khuyencong/permission_matrix.py (see its docstring
for how to add a URL)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from khuyencong.models import Attachment
from tests.khuyencong import permission_matrix as matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(
    settings,
    tmp_path,
    unit_a,
    unit_b,
    officer_a,
    officer_b,
    staff_user,
    leadership_user,
    admin_user_role,
):
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4\n% cong van cua huyen Chuong My\n"
    attachment = Attachment(
        target=unit_a,
        kind=Attachment.Kind.DISTRICT_LETTER,
        title="Công văn của UBND huyện Chương Mỹ",
        original_name="cong-van.pdf",
        size=len(content),
        mime_type="application/pdf",
        uploaded_by=officer_a,
    )
    attachment.file.save("cong-van.pdf", ContentFile(content), save=False)
    attachment.save()
    users = {
        "anonymous": None,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "staff": staff_user,
        "leadership": leadership_user,
        "administrator": admin_user_role,
    }
    return matrix.Objects(
        users=users, unit_a=unit_a, unit_b=unit_b, attachment_a=attachment
    )


def cases(objects):
    derived = matrix.model_admin_urls()
    for route in matrix.all_routes():
        if route.key in matrix.URLS:
            entry = matrix.URLS[route.key]
            if entry.path:
                url = entry.path(objects)
            else:
                kwargs = entry.kwargs(objects) if entry.kwargs else None
                url = reverse(route.name, kwargs=kwargs)
            yield route.key, url + entry.query, entry.expected
        elif route.key in derived and derived[route.key][1] == "workflow_step":
            model, action = derived[route.key]
            obj = matrix.admin_object(model, objects)
            for step in matrix.workflow_transitions(model):
                url = reverse(route.name, args=[obj.pk, step.name])
                expected = matrix.admin_expectation(
                    model, action, objects.users, transition=step
                )
                yield f"{route.key}[{step.name}]", url, expected
        elif route.key in derived:
            model, action = derived[route.key]
            url = matrix.admin_url(model, route, objects)
            expected = matrix.admin_expectation(model, action, objects.users)
            yield route.key, url, expected


def test_every_url_has_an_entry_in_the_permission_matrix():
    missing = matrix.routes_without_entry()
    assert not missing, "\n".join(
        f"URL {key} has no entry in the permission matrix "
        "(tests/khuyencong/permission_matrix.py, URLS)"
        for key in missing
    )


def test_the_matrix_has_no_entry_for_a_url_that_no_longer_exists():
    keys = {route.key for route in matrix.all_routes()}
    stale = sorted(set(matrix.URLS) - keys)
    assert not stale, f"entries for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", matrix.ROLES)
def test_each_role_gets_the_expected_answer_from_every_url(role, objects, client):
    user = objects.users[role]
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False
    checked, mismatches = 0, []
    for key, url, expected in cases(objects):
        want = expected[role]
        response = client.get(url)
        checked += 1
        if not want.matches(response):
            got = f"{response.status_code} {response.get('Location', '')}".strip()
            mismatches.append(f"{key} GET {url}: expected {want.describe()}, got {got}")
    assert checked >= len(matrix.URLS)
    assert not mismatches, f"{role}: {len(mismatches)} of {checked} URLs:\n" + (
        "\n".join(mismatches)
    )


def test_officer_of_another_unit_never_receives_the_file(client, objects):
    client.force_login(objects.users["officer_b"])
    response = client.get(objects.attachment_a.get_absolute_url())
    assert response.status_code == 404
    assert b"cong van cua huyen" not in response.content
