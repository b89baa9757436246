"""After a request that changed data, the public downloads are built ahead for the
new data version: the next visitor gets them from the cache, with the change."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.cache import public_pages_changed, public_version
from tests.khuyencong.pages import body_of
from tests.villages.factories import CraftVillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def look_at_every_request(settings):
    """Each request that changed nothing looks whether a build is due (the
    default is once every few seconds per worker thread)."""
    from khuyencong import cache

    settings.PUBLIC_WARM_CHECK_SECONDS = 0
    cache._looked.next = 0.0  # what an earlier test's request left
    yield
    cache._looked.next = 0.0


DOWNLOADS = [
    f"/cong-khai/{page}/?tai={fmt}"
    for page in ("cum-cong-nghiep", "lang-nghe", "du-an-ho-tro", "hoi-cho")
    for fmt in ("csv", "xlsx")
]


def queries_for(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        text = body_of(response)
    assert response.status_code == 200
    return len(captured), text


def test_downloads_are_built_after_the_request_that_changed_data(client, settings):
    settings.PUBLIC_WARM_AFTER_CHANGE = True
    CraftVillageFactory(name="Làng gốm Bát Tràng mới")  # the change
    # Any request that changed data warms the downloads once it has answered.
    client.get("/")
    for path in DOWNLOADS:
        count, text = queries_for(client, path)
        assert count == 0, path  # from the cache
    assert "Làng gốm Bát Tràng mới" in queries_for(client, DOWNLOADS[2])[1]
    assert "Làng gốm Bát Tràng mới" in queries_for(client, DOWNLOADS[3])[1]


def test_a_later_change_is_not_hidden_by_what_was_built_before(client, settings):
    settings.PUBLIC_WARM_AFTER_CHANGE = True
    CraftVillageFactory(name="Làng thứ nhất")
    client.get("/")
    CraftVillageFactory(name="Làng thứ hai")
    # Within PUBLIC_WARM_MIN_SECONDS of the last warming: built on request.
    client.get("/")
    count, text = queries_for(client, DOWNLOADS[2])
    assert count > 0 and "Làng thứ hai" in text


def test_the_last_change_of_a_burst_is_built_once_the_window_has_passed(
    client, settings
):
    from django.core.cache import cache

    settings.PUBLIC_WARM_AFTER_CHANGE = True
    CraftVillageFactory(name="Làng thứ nhất")
    client.get("/")
    CraftVillageFactory(name="Làng cuối đợt")
    client.get("/")  # inside the window: left pending
    cache.delete("khuyencong:warmed-recently")  # the window has passed
    client.get("/admin/login/")  # anyone's next request, changing nothing
    count, text = queries_for(client, DOWNLOADS[2])
    assert count == 0 and "Làng cuối đợt" in text
    # Built once: a later request with nothing pending builds nothing.
    cache.delete("khuyencong:warmed-recently")
    with CaptureQueriesContext(connection) as captured:
        client.get("/admin/login/")
    assert not any("villages_craftvillage" in q["sql"] for q in captured)


def test_a_quiet_site_builds_its_downloads_again_before_they_expire(client, settings):
    from django.core.cache import cache

    from villages.models import CraftVillage

    settings.PUBLIC_WARM_AFTER_CHANGE = True
    village = CraftVillageFactory(name="Làng trước")
    client.get("/")  # built after the change
    # A change that sends no signal (an update() of the queryset): the cached
    # downloads keep the old name until they are built again.
    CraftVillage.objects.filter(pk=village.pk).update(name="Làng sau")
    assert "Làng trước" in queries_for(client, DOWNLOADS[2])[1]
    cache.delete("khuyencong:refreshed-recently")  # refresh_seconds() have passed
    client.get("/admin/login/")  # anyone's request
    count, text = queries_for(client, DOWNLOADS[2])
    assert count == 0 and "Làng sau" in text and "Làng trước" not in text


def test_after_the_cache_is_emptied_the_first_request_builds_the_downloads(
    client, settings
):
    from django.core.cache import cache

    settings.PUBLIC_WARM_AFTER_CHANGE = True
    CraftVillageFactory(name="Làng sau khi xoá bộ nhớ đệm")
    client.get("/")  # built after the change
    cache.clear()  # a Redis restart
    client.get("/admin/login/")
    for path in DOWNLOADS:
        assert queries_for(client, path)[0] == 0, path


def test_a_request_that_changed_nothing_looks_at_most_every_few_seconds(
    client, settings
):
    from django.core.cache import cache

    settings.PUBLIC_WARM_AFTER_CHANGE = True
    settings.PUBLIC_WARM_CHECK_SECONDS = 60
    CraftVillageFactory(name="Làng đã có")
    client.get("/")  # built after the change
    client.get("/admin/login/")  # looks (nothing due) and waits a minute to look again
    cache.clear()
    client.get("/admin/login/")  # within the minute: does not look
    assert queries_for(client, DOWNLOADS[2])[0] > 0  # built on request


def test_the_leadership_dashboard_is_built_ahead_too(client, settings, leadership_user):
    from tests.khuyencong.world import World

    settings.PUBLIC_WARM_AFTER_CHANGE = True
    World().grow(2)
    client.get("/")
    client.force_login(leadership_user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    # Session, user and the plan years; the figures come from the cache.
    assert len(captured) <= 6


def test_without_warming_a_download_is_built_on_request(client, settings):
    settings.PUBLIC_WARM_AFTER_CHANGE = False
    CraftVillageFactory(name="Làng không dựng trước")
    client.get("/")
    count, text = queries_for(client, DOWNLOADS[2])
    assert count > 0 and "Làng không dựng trước" in text


def test_a_change_bumps_the_version_again_when_it_commits(
    django_capture_on_commit_callbacks,
):
    before = public_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        CraftVillageFactory()
        CraftVillageFactory()
        public_pages_changed()
    # Three bumps at once, one more at the commit (one per transaction).
    assert len(callbacks) == 1
    assert public_version() == before + 4


def test_the_command_builds_the_downloads(capsys):
    CraftVillageFactory()
    call_command("warm_public_cache")
    assert "Đã dựng trước 8 tệp tải về công khai." in capsys.readouterr().out
