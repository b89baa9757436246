"""The 2019 demo data set (DOMAIN.md §6), generated from fixtures/demo_2019.json.

The fixture declares what the source article states (plan targets, how many courses,
trainees, projects, villages, clusters and plants); this module builds the rows from it
deterministically (a seeded random generator, bulk inserts), so the counted actuals
equal the article's figures. Every invented name says it is demo data; district
names and the documents cited are real. Loading is idempotent: when the 2019 plan
already exists nothing is written."""

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from khuyencong.models import AdministrativeUnit, LegalDocument

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_2019.json"
DEMO = "(dữ liệu minh họa)"
INTERNAL_NOTE = "Ghi chú nội bộ minh họa: chưa kiểm tra hóa đơn"


@dataclass
class DemoResult:
    created: bool
    counts: dict


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def demo_id_number(seq: int, year: int, born: int, gender: str) -> str:
    """A CCCD-shaped number that is plainly not real: province code 000 (no such
    province), then gender and century, birth year, the plan year's last digit and
    a sequence, so that it agrees with the gender and birth year it stands beside."""
    century = (born // 100 - 19) * 2 + (1 if gender == "nu" else 0)
    return f"000{century}{born % 100:02d}{year % 10}{seq:05d}"


def load_spec(path: Path = FIXTURE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def demo_loaded() -> bool:
    from programs.models import Plan

    return Plan.objects.filter(year=2019).exists()


@transaction.atomic
def demo_data_load(*, path: Path = FIXTURE) -> DemoResult:
    """Create the demo data set unless the 2019 plan exists already."""
    if demo_loaded():
        return DemoResult(created=False, counts={})
    spec = load_spec(path)
    builder = _Builder(spec)
    builder.run()
    return DemoResult(created=True, counts=builder.counts)


class _Builder:
    def __init__(self, spec: dict):
        self.spec = spec
        self.rng = random.Random(spec["seed"])
        self.units = {u.code: u for u in AdministrativeUnit.objects.all()}
        self.counts: dict[str, int] = {}
        self.establishment_seq = 0

    def count(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    # ------------------------------------------------------------------ documents

    def run(self) -> None:
        self.documents = {}
        for doc in self.spec["documents"]:
            obj, _ = LegalDocument.objects.get_or_create(
                number=doc["number"],
                defaults={
                    "kind": doc["kind"],
                    "issuer": doc["issuer"],
                    "issued_on": _day(doc["issued_on"]),
                    "summary": doc["summary"],
                },
            )
            self.documents[doc["number"]] = obj
        self.establishments = self.build_establishments()
        for plan_spec in self.spec["plans"]:
            self.build_plan(plan_spec)
        self.build_villages()
        self.build_clusters()

    def demo_decision(self, year: int) -> LegalDocument:
        obj, _ = LegalDocument.objects.get_or_create(
            number=f"MH-{year}/QĐ-UBND",
            defaults={
                "kind": LegalDocument.Kind.DECISION,
                "issuer": "UBND Thành phố Hà Nội",
                "issued_on": date(year, 7, 15),
                "summary": f"Quyết định phê duyệt hỗ trợ máy móc thiết bị {DEMO}.",
            },
        )
        return obj

    # ------------------------------------------------------------- establishments

    def build_establishments(self) -> list:
        from programs.models import Establishment

        units = self.spec["course_units"]
        kinds = [k.value for k in Establishment.Kind]
        rows = []
        for n in range(1, 61):
            code = units[(n - 1) % len(units)]
            rows.append(
                Establishment(
                    name=f"Cơ sở mẫu số {n} {DEMO}",
                    kind=kinds[n % len(kinds)],
                    representative=f"Người đại diện minh họa {n}",
                    phone=f"0900{n:06d}",
                    administrative_unit=self.units[code],
                    address=f"Thôn minh họa {n}, {self.units[code].name}",
                    sector=self.spec["crafts"][n % len(self.spec["crafts"])],
                    employees=10 + (n * 7) % 90,
                )
            )
        created = Establishment.objects.bulk_create(rows)
        self.count("establishments", len(created))
        return created

    # ---------------------------------------------------------------------- plans

    def build_plan(self, spec: dict) -> None:
        from programs.models import Plan, PlanTarget

        year = spec["year"]
        plan = Plan.objects.create(
            year=year,
            title=spec["title"],
            document=self.documents[spec["document"]],
            total_budget=Decimal(spec["total_budget"]),
            note=DEMO,
        )
        PlanTarget.objects.bulk_create(
            PlanTarget(plan=plan, indicator=code, target_value=Decimal(value))
            for code, value in spec["targets"].items()
        )
        self.build_courses(plan, spec)
        self.build_projects(plan, spec)
        self.build_events(plan, spec)

    # -------------------------------------------------------------------- courses

    def build_courses(self, plan, spec: dict) -> None:
        from programs.models import (
            CRAFT_KINDS,
            MANAGEMENT_KINDS,
            Participant,
            TrainingCourse,
        )
        from programs.participant_counts import count_added

        year = plan.year
        units = self.spec["course_units"]
        crafts = self.spec["crafts"]
        courses = []
        sizes = []

        def split(total: int, parts: int) -> list[int]:
            base, extra = divmod(total, parts)
            return [base + (1 if i < extra else 0) for i in range(parts)]

        for i, size in enumerate(split(spec["craft_trainees"], spec["craft_courses"])):
            code = units[i % len(units)]
            craft = crafts[i % len(crafts)]
            start = date(year, 7, 1) + timedelta(days=(i * 3) % 45)
            host = self.establishments[i % len(self.establishments)]
            kind = CRAFT_KINDS[i % len(CRAFT_KINDS)]
            courses.append(
                TrainingCourse(
                    plan=plan,
                    kind=kind,
                    title=f"Lớp {kind.label.lower()} {craft} số {i + 1}/{year} {DEMO}",
                    craft=craft,
                    host_establishment=host,
                    administrative_unit=self.units[code],
                    venue=f"Nhà văn hóa thôn minh họa, {self.units[code].name}",
                    start_date=start,
                    end_date=start + timedelta(days=89),
                    planned_participants=size,
                    total_budget=Decimal("150000000"),
                    support_budget=Decimal("120000000"),
                    status=TrainingCourse.Status.FINISHED,
                    employed_after=size * 85 // 100,
                    average_monthly_income=Decimal(4000000 + (i % 5) * 250000),
                    note=INTERNAL_NOTE,
                )
            )
            sizes.append(size)
        for i in range(spec.get("cancelled_craft_courses", 0)):
            code = units[(i + 3) % len(units)]
            start = date(year, 8, 1)
            courses.append(
                TrainingCourse(
                    plan=plan,
                    kind=CRAFT_KINDS[0],
                    title=f"Lớp truyền nghề đã hủy số {i + 1}/{year} {DEMO}",
                    craft=crafts[0],
                    administrative_unit=self.units[code],
                    start_date=start,
                    end_date=start + timedelta(days=89),
                    planned_participants=30,
                    total_budget=Decimal("150000000"),
                    support_budget=Decimal("120000000"),
                    status=TrainingCourse.Status.CANCELLED,
                    note=INTERNAL_NOTE,
                )
            )
            # People had enrolled before the class was cancelled: they never count.
            sizes.append(12)
        mgmt_titles = {
            "khoi_su": "Khởi sự doanh nghiệp",
            "quan_tri": "Quản trị doanh nghiệp",
            "marketing": "Marketing",
            "thiet_ke_mau": "Thiết kế mẫu sản phẩm",
        }
        mgmt_sizes = split(spec["mgmt_participants"], spec["mgmt_courses"])
        for i, size in enumerate(mgmt_sizes):
            kind = MANAGEMENT_KINDS[i % len(MANAGEMENT_KINDS)]
            code = units[(i * 2) % len(units)]
            start = date(year, 8, 5) + timedelta(days=i * 7)
            courses.append(
                TrainingCourse(
                    plan=plan,
                    kind=kind,
                    title=f"Tập huấn {mgmt_titles[str(kind)]} số {i + 1}/{year} {DEMO}",
                    administrative_unit=self.units[code],
                    venue=f"Hội trường UBND {self.units[code].name}",
                    start_date=start,
                    end_date=start + timedelta(days=2),
                    planned_participants=size,
                    total_budget=Decimal("70000000"),
                    support_budget=Decimal("60000000"),
                    status=TrainingCourse.Status.FINISHED,
                    note=INTERNAL_NOTE,
                )
            )
            sizes.append(size)
        courses = TrainingCourse.objects.bulk_create(courses)
        self.count("courses", len(courses))
        people = []
        seq = 0
        for course, size in zip(courses, sizes, strict=True):
            for _ in range(size):
                seq += 1
                born = self.rng.randint(year - 55, year - 18)
                gender = self.rng.choice(["nam", "nu"])
                people.append(
                    Participant(
                        course=course,
                        full_name=f"Học viên minh họa {year}-{seq:04d}",
                        birth_year=born,
                        gender=gender,
                        id_number=demo_id_number(seq, year, born, gender),
                        administrative_unit=course.administrative_unit,
                        completed=course.status == TrainingCourse.Status.FINISHED,
                    )
                )
        Participant.objects.bulk_create(people, batch_size=1000)
        count_added(people)
        self.count("participants", len(people))

    # ------------------------------------------------------------------- projects

    def build_projects(self, plan, spec: dict) -> None:
        from programs.models import (
            EQUIPMENT_APPROVED_STATES,
            EquipmentProject,
            EquipmentStatus,
        )

        year = plan.year
        decision = self.demo_decision(year)
        offset = 0 if year == 2019 else 30
        rows = []
        n = 0
        for status, how_many in spec["equipment"].items():
            for _ in range(how_many):
                establishment = self.establishments[offset + n]
                n += 1
                cost = Decimal(500000000 + (n % 6) * 100000000)
                support = min(Decimal("300000000"), cost / 2)
                approved = status in EQUIPMENT_APPROVED_STATES
                reached = list(EquipmentStatus).index(EquipmentStatus(status))
                row = EquipmentProject(
                    plan=plan,
                    establishment=establishment,
                    title=f"Đề án máy móc thiết bị số {n}/{year} {DEMO}",
                    description="Máy móc thiết bị minh họa",
                    total_cost=cost,
                    requested_support=support,
                    status=status,
                    registered_on=date(year, 3, 1) + timedelta(days=n),
                    survey_notes=INTERNAL_NOTE,
                )
                if status != EquipmentStatus.REGISTERED:
                    row.surveyed_on = date(year, 4, 15)
                forwarded = list(EquipmentStatus).index(EquipmentStatus.FORWARDED)
                if reached >= forwarded and status != EquipmentStatus.REJECTED:
                    row.forwarded_on = date(year, 6, 1)
                if status == EquipmentStatus.REJECTED:
                    row.rejected_on = date(year, 5, 20)
                    row.rejection_reason = INTERNAL_NOTE
                if approved:
                    row.approved_support = support
                    row.decision = decision
                    row.decided_on = decision.issued_on
                if status in (
                    EquipmentStatus.IMPLEMENTING,
                    EquipmentStatus.ACCEPTED,
                    EquipmentStatus.SETTLED,
                ):
                    row.advanced_amount = support / 2
                    row.advanced_on = date(year, 8, 1)
                if status in (EquipmentStatus.ACCEPTED, EquipmentStatus.SETTLED):
                    row.accepted_on = date(year, 11, 20)
                if status == EquipmentStatus.SETTLED:
                    row.settled_amount = support
                    row.settled_on = date(year, 12, 20)
                rows.append(row)
        EquipmentProject.objects.bulk_create(rows)
        self.count("equipment_projects", len(rows))

    # --------------------------------------------------------------------- events

    def build_events(self, plan, spec: dict) -> None:
        from programs.models import TradeEvent

        year = plan.year
        kinds = [k.value for k in TradeEvent.Kind]
        rows = []
        for i in range(spec["trade_events"]):
            start = date(year, 4 + i * 2, 10)
            abroad = i == spec["trade_events"] - 1
            rows.append(
                TradeEvent(
                    plan=plan,
                    name=f"Hội chợ mẫu số {i + 1}/{year} {DEMO}",
                    kind=kinds[i % len(kinds)],
                    location=(
                        TradeEvent.Location.ABROAD
                        if abroad
                        else TradeEvent.Location.DOMESTIC
                    ),
                    start_date=start,
                    end_date=start + timedelta(days=4),
                    venue="Địa điểm minh họa",
                    organiser=f"Trung tâm Khuyến công {DEMO}",
                    booths=100 + i * 20,
                    supported_booths=20 + i * 5,
                    support_amount=Decimal(200000000 + i * 50000000),
                    note=INTERNAL_NOTE,
                )
            )
        created = TradeEvent.objects.bulk_create(rows)
        for event in created:
            event.establishments.set(self.rng.sample(self.establishments, 5))
        self.count("trade_events", len(created))

    # ------------------------------------------------------------------- villages

    def build_villages(self) -> None:
        """The seven villages registered in 2019 come from the villages app's own
        demo loader (idempotent); here: more villages, and a draft that never
        counts."""
        from villages.demo import villages_demo_load
        from villages.models import BrandingApplication, CraftVillage

        call = villages_demo_load()
        villages = []
        for n, item in enumerate(self.spec["villages"], start=1):
            unit = self.units[item["unit"]]
            total = 300 + n * 37
            villages.append(
                CraftVillage(
                    name=f"Làng nghề minh họa số {n} – {item['crafts']} {DEMO}",
                    administrative_unit=unit,
                    hamlet=f"Thôn minh họa {n}",
                    crafts=item["crafts"],
                    title=(
                        CraftVillage.Title.TRADITIONAL
                        if n % 2
                        else CraftVillage.Title.CRAFT_VILLAGE
                    ),
                    recognition_year=2005 + n % 10,
                    households_total=total,
                    households_in_trade=total * 45 // 100,
                    workers=total * 2,
                    craft_started_year=1900 + n * 3,
                    stable_production_since=2000,
                )
            )
        villages = CraftVillage.objects.bulk_create(villages)
        self.count("villages", len(villages))
        drafts = [
            BrandingApplication(
                call=call,
                village=village,
                administrative_unit=village.administrative_unit,
                contact_name=f"Người liên hệ minh họa {n}",
                contact_phone=f"0911{n:06d}",
                note=INTERNAL_NOTE,
                status=item["apply"],
            )
            for n, (village, item) in enumerate(
                zip(villages, self.spec["villages"], strict=True), start=1
            )
            if item["apply"]
        ]
        BrandingApplication.objects.bulk_create(drafts)
        self.count("branding_drafts", len(drafts))

    # ------------------------------------------------------------------- clusters

    def build_clusters(self) -> None:
        from clusters.models import (
            ClusterPlan,
            IndustrialCluster,
            WastewaterPlant,
            WastewaterPlantCluster,
        )

        spec = self.spec["clusters"]
        plan = ClusterPlan.objects.create(
            title=spec["plan_title"],
            horizon_year=2020,
            vision_year=2030,
            effective_from=_day(spec["plan_effective_from"]),
            note=f"Ngày hiệu lực {DEMO}.",
        )
        units = spec["units"]
        operating_old = spec["operating_before_2019"]
        operating_new = spec["operating_from_2019_h1"]
        idle_old = spec["established_not_operating_before_2018"]
        established = {int(y): n for y, n in spec["established"].items()}
        planned = (
            spec["in_plan"]
            - operating_old
            - operating_new
            - idle_old
            - sum(established.values())
        )
        kinds = []
        kinds += [("operating_old", None)] * operating_old
        kinds += [("operating_new", None)] * operating_new
        kinds += [("idle", None)] * idle_old
        for year, n in sorted(established.items()):
            kinds += [("new", year)] * n
        kinds += [("planned", None)] * planned
        rows = []
        for n, (kind, year) in enumerate(kinds, start=1):
            code = units[(n - 1) % len(units)]
            area = Decimal(12 + (n * 7) % 60)
            row = IndustrialCluster(
                plan=plan,
                name=f"Cụm công nghiệp minh họa số {n:03d} {DEMO}",
                administrative_unit=self.units[code],
                kind=(
                    IndustrialCluster.Kind.CRAFT_VILLAGE
                    if n % 5 == 0
                    else IndustrialCluster.Kind.GENERAL
                ),
                planned_area_ha=area,
                industrial_land_ha=(area * Decimal("0.7")).quantize(Decimal("0.01")),
                investor=f"Công ty hạ tầng minh họa số {n} {DEMO}",
                note=INTERNAL_NOTE,
            )
            if kind == "operating_old":
                row.established_on = date(2005 + n % 12, 3, 1)
                row.operating_from = date(2006 + n % 12, 6, 1)
            elif kind == "operating_new":
                row.established_on = date(2017, 5, 1)
                row.operating_from = date(2019, 3, 1 + n % 20)
            elif kind == "idle":
                row.established_on = date(2012 + n % 5, 9, 1)
            elif kind == "new":
                row.established_on = date(year, 4 if year == 2019 else 8, 10)
            else:
                row.investor = ""
                row.industrial_land_ha = None
            if row.operating_from:
                row.leased_land_ha = (
                    row.industrial_land_ha * Decimal(40 + n % 60) / 100
                ).quantize(Decimal("0.01"))
                row.tenant_count = 10 + n % 40
                row.worker_count = 500 + n * 13
            rows.append(row)
        clusters = IndustrialCluster.objects.bulk_create(rows)
        self.count("clusters", len(clusters))

        operating = [c for c in clusters if c.operating_from]
        by_unit: dict[int, list] = {}
        for cluster in operating:
            by_unit.setdefault(cluster.administrative_unit_id, []).append(cluster)
        # One City plant serves two neighbouring clusters of the same unit.
        pair = next(group[:2] for group in by_unit.values() if len(group) >= 2)
        others = [c for c in operating if c not in pair]
        city_single = spec["city_plant_clusters"] - 2
        city_groups = [pair] + [[c] for c in others[:city_single]]
        investor_groups = [
            [c] for c in others[city_single : city_single + spec["investor_plants"]]
        ]
        assert len(city_groups) == spec["city_plants"]
        decision = self.documents["7209/QĐ-UBND"]
        plants, links = [], []
        for n, group in enumerate(city_groups, start=1):
            plants.append(
                (
                    WastewaterPlant(
                        name=f"Trạm xử lý nước thải minh họa TP-{n:02d} {DEMO}",
                        capacity_m3_per_day=300 + n * 50,
                        built_by=WastewaterPlant.BuiltBy.CITY,
                        decision=decision,
                        completed_on=date(2016, 6, 1),
                        operating_from=date(2016, 9, 1),
                    ),
                    group,
                )
            )
        for n, group in enumerate(investor_groups, start=1):
            plants.append(
                (
                    WastewaterPlant(
                        name=f"Trạm xử lý nước thải minh họa CĐT-{n:02d} {DEMO}",
                        capacity_m3_per_day=200 + n * 40,
                        built_by=WastewaterPlant.BuiltBy.INVESTOR,
                        completed_on=date(2014, 3, 1),
                        operating_from=date(2014, 6, 1),
                    ),
                    group,
                )
            )
        idle_cluster = next(
            c for c in clusters if c.established_on and not c.operating_from
        )
        for n in range(spec["city_plant_under_construction"]):
            plants.append(
                (
                    WastewaterPlant(
                        name=f"Trạm xử lý nước thải minh họa đang xây {n + 1} {DEMO}",
                        capacity_m3_per_day=500,
                        built_by=WastewaterPlant.BuiltBy.CITY,
                        decision=decision,
                    ),
                    [idle_cluster],
                )
            )
        created = WastewaterPlant.objects.bulk_create([p for p, _ in plants])
        for plant, (_, group) in zip(created, plants, strict=True):
            for cluster in group:
                links.append(WastewaterPlantCluster(plant=plant, cluster=cluster))
        WastewaterPlantCluster.objects.bulk_create(links)
        self.count("wastewater_plants", len(created))
