import pytest

from tests.khuyencong.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_admin_changelist_speaks_vietnamese_where_django_does_not(client, staff_user):
    client.login(username=staff_user.username, password=PASSWORD)
    html = client.get("/admin/khuyencong/legaldocument/").content.decode()
    assert "Hiện số lượng" in html
    assert "Show counts" not in html
