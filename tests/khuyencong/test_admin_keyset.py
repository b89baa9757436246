"""Admin lists of large tables are paged by keys (khuyencong.admin_keyset): walking
"Trang sau" from the first page shows every row once, in the list's order; going
back, the last page and a tampered link behave; a page costs the same queries
however deep."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from programs.models import Participant
from tests.programs.factories import (
    ParticipantFactory,
    PlanFactory,
    TrainingCourseFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("admin:programs_participant_changelist")
# Django orders participants by their course (the course's own ordering: start date
# descending, then title), then by name; the admin ends with the id, descending.
ORDER = ("-course__start_date", "course__title", "full_name", "-id")


@pytest.fixture
def many(settings):
    """130 participants in four courses, with names repeated inside a course and
    two courses sharing a start date, so that every part of the key matters."""
    settings.ADMIN_KEYSET_ABOVE = 60
    plan = PlanFactory(year=2019)
    courses = [
        TrainingCourseFactory(plan=plan, start_date=day, title=title)
        for day, title in (
            (date(2019, 3, 1), "Lớp B"),
            (date(2019, 3, 1), "Lớp A"),
            (date(2019, 5, 2), "Lớp C"),
            (date(2019, 1, 9), "Lớp D"),
        )
    ]
    for n in range(130):
        ParticipantFactory(course=courses[n % 4], full_name=f"Học viên {n % 7}")
    return list(Participant.objects.order_by(*ORDER).values_list("pk", flat=True))


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def shown(response) -> list[int]:
    return [obj.pk for obj in response.context["cl"].result_list]


def link(response, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', response.content.decode())
    return LIST + html.unescape(found.group(1)) if found else None


def test_walking_forward_shows_every_row_once_in_order(staff_client, many):
    response = staff_client.get(LIST)
    pages = [shown(response)]
    assert "Trang sau" in response.content.decode()
    assert link(response, "prev") is None
    while (after := link(response, "next")) is not None:
        response = staff_client.get(after)
        pages.append(shown(response))
    assert [len(p) for p in pages] == [50, 50, 30]
    assert sum(pages, []) == many


def test_going_back_and_the_last_page(staff_client, many):
    second = staff_client.get(link(staff_client.get(LIST), "next"))
    assert shown(second) == many[50:100]
    back = staff_client.get(link(second, "prev"))
    assert shown(back) == many[:50]
    assert link(back, "prev") is None  # the first page has nothing before it

    last = staff_client.get(LIST + "?cuoi=1")
    assert shown(last) == many[-50:]
    assert link(last, "next") is None
    assert shown(staff_client.get(link(last, "prev"))) == many[-100:-50]


def test_keys_keep_the_search_and_a_new_search_starts_again(staff_client, many):
    first = staff_client.get(LIST, {"q": "Học viên 3"})
    matching = list(
        Participant.objects.filter(full_name="Học viên 3")
        .order_by(*ORDER)
        .values_list("pk", flat=True)
    )
    assert shown(first) == matching  # 18 rows: one page, no keys needed
    assert len(matching) < 50 and link(first, "next") is None

    page_two = link(staff_client.get(LIST), "next")
    # A sort header built on a keyed page does not carry the key along.
    response = staff_client.get(page_two)
    headers = re.findall(r'href="(\?o=[^"]+)"', response.content.decode())
    assert headers and not any("sau=" in h for h in headers)


def test_a_hand_edited_link_is_refused_with_a_message(staff_client, many):
    response = staff_client.get(LIST, {"sau": "giả-mạo"}, follow=True)
    assert response.status_code == 200
    assert "Đường dẫn trang không hợp lệ" in response.content.decode()
    assert shown(response) == many[:50]


def test_a_deep_page_costs_what_the_first_costs(
    staff_client, many, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        response = staff_client.get(LIST)
    with django_assert_max_num_queries(len(first)):
        staff_client.get(link(response, "next"))
    with django_assert_max_num_queries(len(first)):
        staff_client.get(LIST + "?cuoi=1")


def test_small_lists_keep_page_numbers(staff_client, many, settings):
    settings.ADMIN_KEYSET_ABOVE = 10_000
    response = staff_client.get(LIST)
    assert response.context["cl"].keyset is None
    assert "Trang sau" not in response.content.decode()
    assert shown(staff_client.get(LIST, {"p": 3})) == many[100:]
