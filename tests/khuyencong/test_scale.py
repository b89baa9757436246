"""seed_scale, the pages' query counts at two data sizes, and the public-page cache.

Timings are the benchmarks' business (bench/); these tests only assert what must be
true whatever the machine: the seed fills every register and refuses real data, and
no page runs more queries because there is more data."""

from dataclasses import replace

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.pages import page_specs
from clusters.models import IndustrialCluster, WastewaterPlantCluster
from khuyencong import scale
from khuyencong.models import AdministrativeUnit, LegalDocument, User
from tests.villages.factories import CraftVillageFactory
from villages.models import BrandingApplication, CraftVillage

SMALL = scale.Size(
    name="test-small",
    provinces=2,
    districts_per_province=3,
    years=(2018, 2019),
    villages=24,
    clusters=8,
    plants=3,
    branding_applications=8,
    establishments=30,
    courses=6,
    participants=60,
    projects=8,
    trade_events=4,
)
LARGE = replace(
    SMALL,
    name="test-large",
    provinces=4,
    villages=96,
    clusters=30,
    plants=9,
    branding_applications=40,
    establishments=120,
    courses=24,
    participants=300,
    projects=30,
    trade_events=12,
)


@pytest.fixture
def sizes(monkeypatch):
    monkeypatch.setitem(scale.SIZES, SMALL.name, SMALL)
    monkeypatch.setitem(scale.SIZES, LARGE.name, LARGE)


def seed(name: str, *extra: str) -> None:
    call_command("seed_scale", "--size", name, *extra, stdout=None)


@pytest.mark.django_db(transaction=False)
def test_seed_fills_the_registers_and_units_of_other_provinces(sizes):
    seed(SMALL.name)
    assert CraftVillage.objects.count() == SMALL.villages
    assert IndustrialCluster.objects.count() == SMALL.clusters
    assert WastewaterPlantCluster.objects.exists()
    assert BrandingApplication.objects.count() == SMALL.branding_applications
    # Other provinces' districts have dotted codes, never a real three-digit code.
    provinces = AdministrativeUnit.objects.filter(
        kind=AdministrativeUnit.Kind.CITY
    ).exclude(code="01")
    assert sorted(provinces.values_list("code", flat=True)) == ["02", "04"]
    assert AdministrativeUnit.objects.filter(code="02.01", parent__code="02").exists()
    assert LegalDocument.objects.filter(number=scale.SEED_MARKER).exists()
    assert User.objects.filter(username="bench_officer", role="can_bo_huyen").exists()
    # Rows added later through the ORM get fresh ids (sequences moved past).
    village = CraftVillageFactory()
    assert village.pk > CraftVillage.objects.exclude(pk=village.pk).latest("pk").pk


@pytest.mark.django_db
def test_seeded_plans_aim_near_what_the_registers_count(sizes):
    """A plan's target is within 15 % of its year's actual (money to the
    million), so the dashboard's shares read like a real year's."""
    from programs.indicators import Indicator
    from programs.models import Plan, PlanTarget
    from programs.selectors import indicator_actuals_by_year

    seed(SMALL.name)
    actuals = indicator_actuals_by_year(years=SMALL.years)
    targets = PlanTarget.objects.values_list("plan__year", "indicator", "target_value")
    assert len(targets) == len(SMALL.years) * len(Indicator)
    for year, indicator, target in targets:
        actual = actuals[year].get(indicator) or 0
        if indicator.endswith("_vnd"):
            assert target % 1_000_000 == 0, (year, indicator)
        if actual >= 20:
            assert actual * 80 / 100 <= target <= actual * 120 / 100, (
                year, indicator, actual, target,
            )  # fmt: skip
        assert target >= 1
    budgets = dict(
        PlanTarget.objects.filter(indicator="budget_vnd").values_list(
            "plan__year", "target_value"
        )
    )
    assert {p.year: p.total_budget for p in Plan.objects.all()} == budgets


@pytest.mark.django_db
def test_seed_is_deterministic(sizes):
    seed(SMALL.name)
    first = list(CraftVillage.objects.order_by("pk").values_list("name", "crafts"))
    seed(SMALL.name, "--reset")
    assert (
        list(CraftVillage.objects.order_by("pk").values_list("name", "crafts")) == first
    )


@pytest.mark.django_db
def test_seed_refuses_a_database_with_real_registers(sizes):
    CraftVillageFactory(name="Làng nghề thật")
    with pytest.raises(CommandError, match="dữ liệu thật"):
        seed(SMALL.name)
    with pytest.raises(CommandError, match="dữ liệu thật"):
        seed(SMALL.name, "--reset")
    assert CraftVillage.objects.get().name == "Làng nghề thật"


@pytest.mark.django_db
def test_seed_asks_for_reset_over_a_previous_synthetic_set(sizes):
    seed(SMALL.name)
    with pytest.raises(CommandError, match="--reset"):
        seed(SMALL.name)
    seed(LARGE.name, "--reset")
    assert CraftVillage.objects.count() == LARGE.villages
    assert not AdministrativeUnit.objects.filter(code__startswith="02.04").exists()


def _query_counts() -> dict[str, int]:
    users = {
        who: User.objects.get(username=f"bench_{who}")
        for who in ("staff", "leader", "officer")
    }
    counts = {}
    for name, url_name, args, query, who in page_specs():
        if "trang" in name or "tìm" in name:
            continue  # the same views as their first page
        try:
            url = reverse(url_name, args=args)
        except NoReverseMatch:
            continue  # a page of an app not on this branch
        client = Client()
        if who != "anon":
            client.force_login(users[who])
        url = f"{url}?{query}" if query else url
        client.get(url)  # once: per-process caches (content types) fill up
        cache.clear()  # count what the page costs, not a cache hit
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


@pytest.mark.django_db
def test_every_page_runs_as_many_queries_at_both_sizes(sizes):
    seed(SMALL.name)
    small = _query_counts()
    seed(LARGE.name, "--reset")
    large = _query_counts()
    # Detail pages exist where a table has a row (axes' log fills up with logins).
    assert {k for k in small if "chi tiết" not in k} == {
        k for k in large if "chi tiết" not in k
    }
    # A detail page shows a different row at each size: its queries follow that
    # row's content (a status, how many inline rows), not the size of the table.
    differ = {
        page: (small[page], large[page])
        for page in small
        if "chi tiết" not in page and small[page] != large[page]
    }
    assert differ == {}


@pytest.mark.django_db
def test_seed_makes_cached_public_pages_stale(sizes):
    from khuyencong.cache import public_version

    before = public_version()
    seed(SMALL.name)  # COPY and executemany send no post_save
    assert public_version() > before
