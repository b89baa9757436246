"""The public-page cache: a cached page is served again, and any change to the
registers shows up on the next request."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from khuyencong.cache import cache_public_page, public_pages_changed, public_version
from tests.villages.factories import CraftVillageFactory
from villages.models import CraftVillage


@cache_public_page
def village_names(request):
    names = ", ".join(
        CraftVillage.objects.order_by("name").values_list("name", flat=True)
    )
    return HttpResponse(names)


@cache_public_page
def village_csv(request):
    rows = CraftVillage.objects.order_by("name").values_list("name", flat=True)
    return StreamingHttpResponse(f"{n}\n" for n in rows)


def get(view, user=None, path="/cong-khai/lang-nghe/"):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return view(request)


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.django_db
def test_cached_public_page_is_served_without_queries(django_assert_num_queries):
    CraftVillageFactory(name="Làng nghề Phú Vinh")
    first = get(village_names)
    with django_assert_num_queries(0):
        again = get(village_names)
    assert again.content == first.content == "Làng nghề Phú Vinh".encode()


@pytest.mark.django_db
def test_new_row_shows_up_on_the_cached_page_at_once():
    CraftVillageFactory(name="Làng nghề Phú Vinh")
    assert get(village_names).content.decode() == "Làng nghề Phú Vinh"
    village = CraftVillageFactory(name="Làng nghề Bát Tràng")
    assert get(village_names).content.decode() == (
        "Làng nghề Bát Tràng, Làng nghề Phú Vinh"
    )
    village.name = "Làng gốm Bát Tràng"
    village.save()
    assert "Làng gốm Bát Tràng" in get(village_names).content.decode()
    village.delete()
    assert get(village_names).content.decode() == "Làng nghề Phú Vinh"


@pytest.mark.django_db
def test_streamed_export_is_cached_whole_and_refreshed(django_assert_num_queries):
    CraftVillageFactory(name="Làng nghề Phú Vinh")
    first = get(village_csv, path="/x/?tai=csv")
    assert body(first) == "Làng nghề Phú Vinh\n".encode()
    with django_assert_num_queries(0):
        again = get(village_csv, path="/x/?tai=csv")
    assert again.streaming  # the same kind of response as the first time
    assert body(again) == "Làng nghề Phú Vinh\n".encode()
    CraftVillageFactory(name="Làng nghề Bát Tràng")
    assert "Bát Tràng".encode() in body(get(village_csv, path="/x/?tai=csv"))


@pytest.mark.django_db
def test_each_query_string_is_its_own_page():
    CraftVillageFactory(name="Làng nghề Phú Vinh")
    get(village_names, path="/cong-khai/lang-nghe/?trang=1")
    CraftVillage.objects.update(name="Đổi bằng update()")  # no signal
    public_pages_changed()  # what code that bypasses signals must call
    assert get(
        village_names, path="/cong-khai/lang-nghe/?trang=1"
    ).content.decode() == ("Đổi bằng update()")


@pytest.mark.django_db
def test_signed_in_users_never_get_or_fill_the_public_cache(staff_user):
    CraftVillageFactory(name="Làng nghề Phú Vinh")
    version = public_version()
    response = get(village_names, user=staff_user)
    assert "X-Cache-Version" not in response
    assert public_version() == version


@pytest.mark.django_db
def test_cached_figures_are_computed_again_after_a_change():
    from khuyencong.cache import cached_by_version

    def count():
        return CraftVillage.objects.count()

    assert cached_by_version("villages", count) == 0
    CraftVillage.objects.bulk_create([])  # no signal, nothing changes
    assert cached_by_version("villages", count) == 0
    CraftVillageFactory()
    assert cached_by_version("villages", count) == 1


@pytest.mark.django_db
def test_public_village_list_shows_a_new_village_at_once(
    client, django_assert_num_queries
):
    CraftVillageFactory(name="Làng nghề Phú Vinh")
    assert "Làng nghề Phú Vinh" in client.get("/cong-khai/lang-nghe/").content.decode()
    with django_assert_num_queries(0):
        cached = client.get("/cong-khai/lang-nghe/")
    assert "Làng nghề Phú Vinh" in cached.content.decode()
    CraftVillageFactory(name="Làng nghề Bát Tràng")
    page = client.get("/cong-khai/lang-nghe/").content.decode()
    assert "Làng nghề Bát Tràng" in page
    assert "Làng nghề Phú Vinh" in page
