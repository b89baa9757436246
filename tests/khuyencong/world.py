"""A small programme of every register, `n` rows of each, for the dashboard and public
page tests. Personal data and internal comments carry markers the tests look for."""

from datetime import date
from decimal import Decimal

from clusters.models import WastewaterPlant
from programs.models import CourseKind, EquipmentProject, EquipmentStatus
from tests.clusters.factories import (
    ClusterPlanFactory,
    IndustrialClusterFactory,
    WastewaterPlantFactory,
)
from tests.khuyencong.factories import LegalDocumentFactory, unit
from tests.programs.factories import (
    EstablishmentFactory,
    ParticipantFactory,
    PlanFactory,
    PlanTargetFactory,
    TradeEventFactory,
    TrainingCourseFactory,
)
from tests.villages.factories import (
    BrandingApplicationFactory,
    BrandingCallFactory,
    CraftVillageFactory,
)
from villages.models import ApplicationStatus

SECRET = "GHI-CHU-NOI-BO-KHONG-CONG-KHAI"
ID_PREFIX = "0010670"  # participants' ID numbers start with this
BIRTH_YEAR = 1967
REPRESENTATIVE = "Người Đại Diện Riêng Tư"
PHONE = "0987654321"
CONTACT = "Người Liên Hệ Riêng Tư"


class World:
    def __init__(self, year: int = 2019):
        self.year = year
        self.units = [unit("277"), unit("280")]
        document = LegalDocumentFactory(
            number=f"{year - 1968}/KH-UBND", kind="ke_hoach"
        )
        self.plan = PlanFactory(year=year, document=document)
        PlanTargetFactory(plan=self.plan, indicator="craft_classes", target_value=38)
        PlanTargetFactory(plan=self.plan, indicator="craft_trainees", target_value=1300)
        self.call = BrandingCallFactory(
            year=year, opens_on=date(year, 3, 1), deadline=date(year, 5, 15)
        )
        self.cluster_plan = ClusterPlanFactory()
        self.decision = LegalDocumentFactory(number=f"MH-{year}/QĐ-UBND")
        self.size = 0
        self.seq = 0

    def grow(self, n: int) -> "World":
        """Add n rows of every register."""
        for _ in range(n):
            self.seq += 1
            i = self.seq
            where = self.units[i % 2]
            establishment = EstablishmentFactory(
                administrative_unit=where,
                representative=REPRESENTATIVE,
                phone=PHONE,
            )
            craft = TrainingCourseFactory(
                plan=self.plan, administrative_unit=where, note=SECRET
            )
            ParticipantFactory(
                course=craft,
                birth_year=BIRTH_YEAR,
                id_number=f"{ID_PREFIX}{i:05d}",
            )
            mgmt = TrainingCourseFactory(
                plan=self.plan,
                kind=CourseKind.MARKETING,
                administrative_unit=where,
                start_date=date(self.year, 9, 1),
                end_date=date(self.year, 9, 3),
            )
            ParticipantFactory(
                course=mgmt,
                birth_year=BIRTH_YEAR,
                id_number=f"{ID_PREFIX[:-1]}8{i:05d}",
                establishment=establishment,
            )
            EquipmentProject.objects.create(
                plan=self.plan,
                establishment=establishment,
                title=f"Đề án thử nghiệm {i}",
                total_cost=Decimal("600000000"),
                requested_support=Decimal("300000000"),
                approved_support=Decimal("300000000"),
                status=EquipmentStatus.APPROVED,
                registered_on=date(self.year, 3, 1),
                forwarded_on=date(self.year, 6, 1),
                decision=self.decision,
                decided_on=date(self.year, 7, 1),
                survey_notes=SECRET,
            )
            TradeEventFactory(plan=self.plan, administrative_unit=where, note=SECRET)
            village = CraftVillageFactory(administrative_unit=where)
            BrandingApplicationFactory(
                call=self.call,
                village=village,
                status=ApplicationStatus.SUBMITTED,
                note=SECRET,
                contact_name=CONTACT,
                contact_phone=PHONE,
            )
            cluster = IndustrialClusterFactory(
                plan=self.cluster_plan,
                administrative_unit=where,
                established_on=date(self.year - 3, 1, 1),
                operating_from=date(self.year - 2, 1, 1),
                note=SECRET,
            )
            WastewaterPlantFactory(
                serves=[cluster],
                built_by=WastewaterPlant.BuiltBy.INVESTOR,
                note=SECRET,
            )
        self.size += n
        return self

    def draft_application(self, where=None):
        village = CraftVillageFactory(administrative_unit=where or unit("017"))
        return BrandingApplicationFactory(
            call=self.call, village=village, status=ApplicationStatus.DRAFT
        )
