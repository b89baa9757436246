"""Annual plans with their targets, rural industrial establishments, training courses
with their participants, and trade-promotion events (DOMAIN.md §3, programs).

Equipment-support projects live in this app too (their own issue)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.models import (
    AdministrativeUnit,
    FundingSource,
    LegalDocument,
    Role,
    TimeStampedModel,
    user_is_officer,
    within_unit_q,
)
from programs.indicators import Indicator
from programs.validators import (
    ID_NUMBER_PATTERN,
    TAX_CODE_PATTERN,
    id_number_mismatches,
    normalize_id_number,
    normalize_tax_code,
)
from villages.models import CraftVillage

MIN_YEAR = 2000
MAX_YEAR = 2100
# Beyond these a figure is a typing error, not a fact.
MAX_COURSE_SIZE = 500
MAX_COURSE_DAYS = 366
MAX_MONTHLY_INCOME = Decimal("200000000")
MIN_TRAINEE_AGE = 15
MAX_TRAINEE_AGE = 80


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name,
        max_digits=16,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("0"))],
        **kwargs,
    )


class NormalizedCharField(models.CharField):
    """A CharField whose value is normalised during model validation (full_clean),
    so the admin, imports and services all store the same canonical form."""

    normalizer = staticmethod(lambda value: value)
    input_max_length = 30

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalizer(value) if value else ""

    def get_prep_value(self, value):
        # Lookups must not normalise (CharField's would call to_python): searching
        # an ID number field for a name is no error, it just finds nothing.
        value = models.Field.get_prep_value(self, value)
        return value if value is None else str(value)

    def pre_save(self, model_instance, add):
        # Every write stores the canonical form; a value that cannot be normalised
        # is left as typed for the database's check constraint to refuse.
        value = getattr(model_instance, self.attname)
        try:
            value = self.normalizer(value) if value else ""
        except ValidationError:
            return value
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # Clerks may type separators: the form accepts a little more than is stored.
        field = super().formfield(**kwargs)
        field.max_length = self.input_max_length
        for validator in list(field.validators):
            if getattr(validator, "code", "") == "max_length":
                field.validators.remove(validator)
        field.widget.attrs["maxlength"] = str(self.input_max_length)
        return field


class TaxCodeField(NormalizedCharField):
    normalizer = staticmethod(normalize_tax_code)


class IdNumberField(NormalizedCharField):
    normalizer = staticmethod(normalize_id_number)


def unit_scope(user, field: str = "administrative_unit") -> Q | None:
    """The row filter of a user: a district officer sees their unit and the units
    under it; department staff, leadership and superusers see every row (None);
    anyone else (the public, IT administrators) sees none."""
    if user_is_officer(user):
        return within_unit_q(user.administrative_unit_id, field)
    if getattr(user, "is_authenticated", False) and (
        user.is_superuser or user.role in (Role.STAFF, Role.LEADERSHIP)
    ):
        return None
    return Q(pk__in=[])


# --------------------------------------------------------------------------- plans


class Plan(TimeStampedModel):
    year = models.PositiveSmallIntegerField(
        _("năm"),
        unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        error_messages={"unique": _("Đã có kế hoạch khuyến công cho năm này.")},
    )
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("văn bản kế hoạch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_plans",
        help_text=_("Kế hoạch của UBND Thành phố, ví dụ 51/KH-UBND."),
    )
    total_budget = money_field(_("tổng kinh phí (đồng)"))
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch khuyến công năm")
        verbose_name_plural = _("kế hoạch khuyến công năm")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="plan_year_range",
                violation_error_message=_("Năm kế hoạch phải từ 2000 đến 2100."),
            ),
            models.CheckConstraint(
                condition=Q(total_budget__gte=0),
                name="plan_budget_nonnegative",
                violation_error_message=_("Tổng kinh phí không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Kế hoạch khuyến công năm %(year)s") % {"year": self.year}


class PlanTarget(TimeStampedModel):
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("kế hoạch"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    indicator = models.CharField(
        _("chỉ tiêu"), max_length=32, choices=Indicator.choices
    )
    target_value = models.DecimalField(
        _("giá trị kế hoạch"),
        max_digits=16,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = _("chỉ tiêu kế hoạch")
        ordering = ["plan", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator"],
                name="plantarget_one_per_indicator",
                violation_error_message=_(
                    "Mỗi chỉ tiêu chỉ được nhập một lần trong một kế hoạch."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_value__gte=0),
                name="plantarget_value_nonnegative",
                violation_error_message=_("Giá trị kế hoạch không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.target_value}"

    @property
    def measure(self) -> str:
        return Indicator(self.indicator).measure


# ------------------------------------------------------------------ establishments


class EstablishmentQuerySet(models.QuerySet):
    def for_user(self, user) -> "EstablishmentQuerySet":
        scope = unit_scope(user)
        return self if scope is None else self.filter(scope)


class Establishment(TimeStampedModel):
    class Kind(models.TextChoices):
        SME = "dn_nho_va_vua", _("Doanh nghiệp nhỏ và vừa")
        COOPERATIVE = "hop_tac_xa", _("Hợp tác xã")
        COOPERATIVE_GROUP = "to_hop_tac", _("Tổ hợp tác")
        HOUSEHOLD = "ho_kinh_doanh", _("Hộ kinh doanh")

    name = models.CharField(_("tên cơ sở"), max_length=255)
    kind = models.CharField(_("loại hình"), max_length=16, choices=Kind.choices)
    tax_code = TaxCodeField(
        _("mã số thuế"),
        max_length=14,
        blank=True,
        help_text=_("10 chữ số, hoặc 13 chữ số dạng 0101234567-001."),
    )
    representative = models.CharField(_("người đại diện"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    sector = models.CharField(
        _("ngành nghề"),
        max_length=150,
        blank=True,
        help_text=_("Ví dụ: mây tre đan, gốm sứ, dệt may."),
    )
    employees = models.PositiveIntegerField(
        _("số lao động"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100000)],
    )
    craft_village = models.ForeignKey(
        "villages.CraftVillage",
        verbose_name=_("làng nghề"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="establishments",
    )
    industrial_cluster = models.ForeignKey(
        "clusters.IndustrialCluster",
        verbose_name=_("cụm công nghiệp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="establishments",
    )

    objects = EstablishmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ sở công nghiệp nông thôn")
        verbose_name_plural = _("cơ sở công nghiệp nông thôn")
        ordering = ["name"]
        indexes = [
            # The changelist order with the "-id" the admin appends: a page is an
            # index scan, not a sort of the table (bench/README.md).
            models.Index(fields=["name", "-id"], name="establishment_list_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="establishment_tax_code_unique",
                violation_error_message=_(
                    "Mã số thuế này đã có trong danh sách cơ sở."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tax_code="") | Q(tax_code__regex=TAX_CODE_PATTERN),
                name="establishment_tax_code_format",
                violation_error_message=_(
                    "Mã số thuế phải gồm 10 chữ số hoặc dạng 0101234567-001."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.administrative_unit_id:
            return
        errors = {}
        unit = self.administrative_unit
        places = (
            ("craft_village", _("Làng nghề"), self.craft_village_id),
            ("industrial_cluster", _("Cụm công nghiệp"), self.industrial_cluster_id),
        )
        for field, noun, linked in places:
            if not linked:
                continue
            place = getattr(self, field)
            if not same_place(place.administrative_unit, unit):
                errors[field] = _(
                    "%(noun)s “%(name)s” thuộc %(place_unit)s, không thuộc đơn vị "
                    "hành chính của cơ sở (%(unit)s)."
                ) % {
                    "noun": noun,
                    "name": place.name,
                    "place_unit": place.administrative_unit,
                    "unit": unit,
                }
        if errors:
            raise ValidationError(errors)


def same_place(a: AdministrativeUnit, b: AdministrativeUnit) -> bool:
    """Whether two units may hold the same place: equal, or one directly under the
    other. Across the 2025 reform a district-level unit and a commune-level one
    cannot be compared by parent links, so such a pair is not refused."""
    if a.pk == b.pk or a.parent_id == b.pk or b.parent_id == a.pk:
        return True
    districts = AdministrativeUnit.DISTRICT_KINDS
    return (a.kind in districts) != (b.kind in districts)


# ------------------------------------------------------------------------ courses


class CourseKind(models.TextChoices):
    # Rural workers (lao động nông thôn).
    CRAFT_TRANSFER = "truyen_nghe", _("Truyền nghề")
    CRAFT_INTRODUCTION = "cay_nghe", _("Cấy nghề")
    CRAFT_UPGRADE = "nang_cao_tay_nghe", _("Nâng cao tay nghề")
    # Owners and managers of establishments.
    START_UP = "khoi_su", _("Khởi sự doanh nghiệp")
    MANAGEMENT = "quan_tri", _("Quản trị doanh nghiệp")
    MARKETING = "marketing", _("Marketing")
    PRODUCT_DESIGN = "thiet_ke_mau", _("Thiết kế mẫu sản phẩm")


CRAFT_KINDS = (
    CourseKind.CRAFT_TRANSFER,
    CourseKind.CRAFT_INTRODUCTION,
    CourseKind.CRAFT_UPGRADE,
)
MANAGEMENT_KINDS = (
    CourseKind.START_UP,
    CourseKind.MANAGEMENT,
    CourseKind.MARKETING,
    CourseKind.PRODUCT_DESIGN,
)


class CourseFamily(models.TextChoices):
    CRAFT = "nghe", _("Đào tạo nghề cho lao động nông thôn")
    MANAGEMENT = "quan_ly", _("Đào tạo, tập huấn cho chủ cơ sở, cán bộ quản lý")


class TrainingCourseQuerySet(models.QuerySet):
    def for_user(self, user) -> "TrainingCourseQuerySet":
        scope = unit_scope(user)
        return self if scope is None else self.filter(scope)

    def craft(self) -> "TrainingCourseQuerySet":
        return self.filter(kind__in=CRAFT_KINDS)

    def management(self) -> "TrainingCourseQuerySet":
        return self.filter(kind__in=MANAGEMENT_KINDS)

    def not_cancelled(self) -> "TrainingCourseQuerySet":
        # Written as the states kept, not "status <> cancelled": an IN is an
        # index condition (course_year_totals_idx), a <> is not.
        kept = [
            s for s in TrainingCourse.Status if s != TrainingCourse.Status.CANCELLED
        ]
        return self.filter(status__in=kept)

    def of_year(self, year: int) -> "TrainingCourseQuerySet":
        return self.filter(plan__year=year)


class TrainingCourse(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "ke_hoach", _("Kế hoạch")
        RUNNING = "dang_hoc", _("Đang tổ chức")
        FINISHED = "ket_thuc", _("Đã kết thúc")
        CANCELLED = "huy", _("Đã hủy")

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("kế hoạch"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    kind = models.CharField(_("loại lớp"), max_length=20, choices=CourseKind.choices)
    title = models.CharField(_("tên lớp"), max_length=255)
    craft = models.CharField(
        _("nghề đào tạo"),
        max_length=150,
        blank=True,
        help_text=_("Với lớp nghề: mây tre đan, sơn mài, thêu ren..."),
    )
    host_establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở tổ chức"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_courses",
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="training_courses",
    )
    venue = models.CharField(_("địa điểm"), max_length=255, blank=True)
    start_date = models.DateField(_("ngày khai giảng"))
    end_date = models.DateField(_("ngày kết thúc"))
    planned_participants = models.PositiveIntegerField(
        _("số học viên dự kiến"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_COURSE_SIZE)],
    )
    total_budget = money_field(_("tổng kinh phí (đồng)"))
    support_budget = money_field(
        _("kinh phí khuyến công hỗ trợ (đồng)"),
        help_text=_("Phần đối ứng được tính bằng tổng kinh phí trừ phần hỗ trợ."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    employed_after = models.PositiveIntegerField(
        _("số học viên có việc làm sau khóa học"), null=True, blank=True
    )
    average_monthly_income = models.DecimalField(
        _("thu nhập bình quân (đồng/tháng)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # How many participants the course has: kept by programs.participant_counts
    # on every save, delete and import of a participant, so that the reports sum
    # 50,000 courses instead of counting two million participants
    # (bench/README.md). Never typed in; recount_participants() rebuilds it.
    participant_count = models.PositiveIntegerField(
        _("số học viên"), default=0, editable=False
    )

    objects = TrainingCourseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["participant_count"])

    class Meta:
        verbose_name = _("lớp đào tạo")
        verbose_name_plural = _("lớp đào tạo")
        ordering = ["-start_date", "title"]
        indexes = [
            models.Index(fields=["kind", "status"]),
            # The changelist order with the "-id" the admin appends: a page is an
            # index scan, not a sort of the table (bench/README.md).
            models.Index(
                fields=["-start_date", "title", "-id"], name="course_list_idx"
            ),
            # The reports' sums per plan year read this index alone (on
            # PostgreSQL, which keeps the included columns in it), not the table.
            models.Index(
                fields=["plan", "status", "kind"],
                include=[
                    "administrative_unit",
                    "participant_count",
                    "employed_after",
                    "support_budget",
                ],
                name="course_year_totals_idx",
            ),
            # The dashboard's coming deadlines: courses ending in the next weeks.
            models.Index(fields=["end_date"], name="course_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="course_end_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày khai giảng."),
            ),
            models.CheckConstraint(
                condition=Q(support_budget__lte=models.F("total_budget")),
                name="course_support_within_total",
                violation_error_message=_(
                    "Kinh phí hỗ trợ không được lớn hơn tổng kinh phí."
                ),
            ),
            models.CheckConstraint(
                condition=Q(support_budget__gte=0) & Q(total_budget__gte=0),
                name="course_budget_nonnegative",
                violation_error_message=_("Kinh phí không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("Ngày kết thúc phải sau ngày khai giảng.")
            elif (self.end_date - self.start_date).days >= MAX_COURSE_DAYS:
                errors["end_date"] = _("Một lớp không thể kéo dài quá một năm.")
        if (
            self.total_budget is not None
            and self.support_budget is not None
            and self.support_budget > self.total_budget
        ):
            errors["support_budget"] = _(
                "Kinh phí hỗ trợ không được lớn hơn tổng kinh phí."
            )
        if self.employed_after is not None and self.employed_after > MAX_COURSE_SIZE:
            errors["employed_after"] = _(
                "Số học viên có việc làm không hợp lý (tối đa 500 một lớp)."
            )
        if (
            self.average_monthly_income is not None
            and self.average_monthly_income > MAX_MONTHLY_INCOME
        ):
            errors["average_monthly_income"] = _(
                "Thu nhập bình quân vượt 200 triệu đồng/tháng: hãy kiểm tra lại "
                "(đơn vị là đồng/tháng)."
            )
        if self.status != self.Status.FINISHED and (
            self.employed_after is not None or self.average_monthly_income is not None
        ):
            errors["status"] = _(
                "Chỉ nhập kết quả sau khóa học (việc làm, thu nhập) khi lớp đã "
                "kết thúc."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def family(self) -> str:
        if self.kind in CRAFT_KINDS:
            return CourseFamily.CRAFT
        return CourseFamily.MANAGEMENT

    @property
    def is_craft(self) -> bool:
        return self.kind in CRAFT_KINDS

    @property
    def counterpart_budget(self) -> Decimal | None:
        """Kinh phí đối ứng: what the host and trainees contribute."""
        if self.total_budget is None or self.support_budget is None:
            return None
        return self.total_budget - self.support_budget

    @property
    def duration_days(self) -> int | None:
        if not (self.start_date and self.end_date):
            return None
        return (self.end_date - self.start_date).days + 1

    def warnings(self) -> list[str]:
        """What staff should look at, though it does not block saving.

        At most two queries, whatever the number of participants."""
        messages: list[str] = []
        if self.administrative_unit_id and self.start_date:
            unit = self.administrative_unit
            in_village = bool(
                self.host_establishment_id and self.host_establishment.craft_village_id
            )
            if not unit.is_eligible_on(self.start_date, in_craft_village=in_village):
                messages.append(
                    gettext(
                        "Lớp “%(course)s” tổ chức tại %(unit)s: địa bàn này không "
                        "thuộc diện được hỗ trợ khuyến công vào ngày %(day)s."
                    )
                    % {
                        "course": self.title,
                        "unit": unit,
                        "day": self.start_date.strftime("%d/%m/%Y"),
                    }
                )
        if self.plan_id and self.start_date and self.start_date.year != self.plan.year:
            messages.append(
                gettext(
                    "Lớp “%(course)s” khai giảng năm %(start)s nhưng thuộc kế hoạch "
                    "năm %(year)s."
                )
                % {
                    "course": self.title,
                    "start": self.start_date.year,
                    "year": self.plan.year,
                }
            )
        if self.pk is None:
            return messages
        people = list(
            self.participants.values_list(
                "full_name", "id_number", "gender", "birth_year"
            )
        )
        count = len(people)
        if self.planned_participants and count > self.planned_participants:
            messages.append(
                gettext(
                    "Lớp “%(course)s” có %(count)s học viên, vượt số dự kiến "
                    "(%(planned)s)."
                )
                % {
                    "course": self.title,
                    "count": count,
                    "planned": self.planned_participants,
                }
            )
        if self.employed_after is not None and self.employed_after > count:
            messages.append(
                gettext(
                    "Số học viên có việc làm (%(employed)s) lớn hơn số học viên của "
                    "lớp (%(count)s)."
                )
                % {"employed": self.employed_after, "count": count}
            )
        messages.extend(_at_most(self.id_number_warnings(people)))
        if self.is_craft and self.plan_id:
            duplicates = []
            for id_number, name, other in self.duplicate_craft_trainees():
                duplicates.append(
                    gettext(
                        "Học viên %(name)s (CCCD %(id)s) đã học lớp nghề “%(other)s” "
                        "trong năm %(year)s."
                    )
                    % {
                        "name": name,
                        "id": id_number,
                        "other": other,
                        "year": self.plan.year,
                    }
                )
            messages.extend(_at_most(duplicates))
        return messages

    def id_number_warnings(self, people=None) -> list[str]:
        """Participants whose CCCD number disagrees with their gender or birth
        year (most often a typing error). `people`: (name, ID, gender, birth year)
        rows if already fetched; else one query."""
        fields = {
            "gender": gettext("giới tính"),
            "birth_year": gettext("năm sinh"),
        }
        out = []
        if people is None:
            people = self.participants.values_list(
                "full_name", "id_number", "gender", "birth_year"
            )
        for name, id_number, gender, birth_year in people:
            wrong = id_number_mismatches(
                id_number, gender=gender, birth_year=birth_year
            )
            if wrong:
                out.append(
                    gettext(
                        "Học viên %(name)s: số CCCD %(id)s không khớp với %(what)s "
                        "đã nhập, hãy kiểm tra lại."
                    )
                    % {
                        "name": name,
                        "id": id_number,
                        "what": ", ".join(fields[f] for f in fields if f in wrong),
                    }
                )
        return out

    def duplicate_craft_trainees(self) -> list[tuple[str, str, str]]:
        """(ID number, name, other course) for this course's participants who are
        also in another craft class of the same plan year. One query."""
        return list(
            Participant.objects.filter(
                course__plan__year=self.plan.year,
                course__kind__in=CRAFT_KINDS,
                id_number__in=self.participants.values("id_number"),
            )
            .exclude(course_id=self.pk)
            .exclude(course__status=self.Status.CANCELLED)
            .order_by("id_number", "course__start_date")
            .values_list("id_number", "full_name", "course__title")
        )


def _at_most(messages: list[str], limit: int = 10) -> list[str]:
    """A page of messages is read; a hundred are not."""
    if len(messages) <= limit:
        return messages
    more = gettext("… và %(count)s trường hợp tương tự khác.") % {
        "count": len(messages) - limit
    }
    return [*messages[:limit], more]


class ParticipantQuerySet(models.QuerySet):
    def for_user(self, user) -> "ParticipantQuerySet":
        scope = unit_scope(user, "course__administrative_unit")
        return self if scope is None else self.filter(scope)


class Participant(TimeStampedModel):
    class Gender(models.TextChoices):
        MALE = "nam", _("Nam")
        FEMALE = "nu", _("Nữ")

    course = models.ForeignKey(
        TrainingCourse,
        verbose_name=_("lớp đào tạo"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(
        _("năm sinh"),
        validators=[MinValueValidator(1900), MaxValueValidator(MAX_YEAR)],
    )
    gender = models.CharField(_("giới tính"), max_length=4, choices=Gender.choices)
    id_number = IdNumberField(
        _("số CCCD"), max_length=12, help_text=_("12 chữ số của căn cước công dân.")
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("nơi cư trú"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trained_people",
        help_text=_("Với lớp quản lý: cơ sở mà học viên làm chủ hoặc quản lý."),
    )
    completed = models.BooleanField(_("hoàn thành khóa học"), default=False)
    certificate_number = models.CharField(_("số chứng chỉ"), max_length=50, blank=True)

    objects = ParticipantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("học viên")
        verbose_name_plural = _("học viên")
        ordering = ["course", "full_name"]
        indexes = [
            models.Index(fields=["id_number"]),
            # The changelist order with the "-id" the admin appends: a page is an
            # index scan, not a sort of the table (bench/README.md).
            models.Index(
                fields=["course", "full_name", "-id"], name="participant_list_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "id_number"],
                name="participant_once_per_course",
                violation_error_message=_(
                    "Số CCCD này đã có trong danh sách học viên của lớp."
                ),
            ),
            models.CheckConstraint(
                condition=Q(id_number__regex=ID_NUMBER_PATTERN),
                name="participant_id_number_format",
                violation_error_message=_("Số CCCD phải gồm đúng 12 chữ số."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.id_number})"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The course it was read with: programs.participant_counts moves one from
        # that course's count to the new one when a save changes it.
        if "course_id" in instance.__dict__:
            instance._participant_counts_course_id = instance.course_id
        return instance

    def clean(self) -> None:
        errors = {}
        try:
            # In the course's admin page the course may not be saved yet.
            course = self.course
        except TrainingCourse.DoesNotExist:
            course = None
        start = course.start_date if course else None
        year = start.year if start else date.today().year
        if self.birth_year:
            age = year - self.birth_year
            if age < MIN_TRAINEE_AGE or age > MAX_TRAINEE_AGE:
                errors["birth_year"] = _(
                    "Năm sinh %(birth)s không hợp lý: học viên phải từ %(min)s đến "
                    "%(max)s tuổi khi khai giảng."
                ) % {
                    "birth": self.birth_year,
                    "min": MIN_TRAINEE_AGE,
                    "max": MAX_TRAINEE_AGE,
                }
        if self.certificate_number and not self.completed:
            errors["certificate_number"] = _(
                "Chỉ ghi số chứng chỉ cho học viên đã hoàn thành khóa học."
            )
        if errors:
            raise ValidationError(errors)


# ------------------------------------------------------------------- trade events


class TradeEventQuerySet(models.QuerySet):
    def for_user(self, user) -> "TradeEventQuerySet":
        scope = unit_scope(user)
        if scope is None:
            return self
        if not user_is_officer(user):
            return self.filter(scope)
        unit_id = user.administrative_unit_id
        taking_part = Establishment.objects.filter(
            Q(administrative_unit_id=unit_id)
            | Q(administrative_unit__parent_id=unit_id)
        )
        villages = CraftVillage.objects.filter(
            Q(administrative_unit_id=unit_id)
            | Q(administrative_unit__parent_id=unit_id)
        )
        return self.filter(
            scope
            | Q(
                pk__in=TradeEvent.establishments.through.objects.filter(
                    establishment__in=taking_part
                ).values("tradeevent_id")
            )
            | Q(
                pk__in=TradeEvent.villages.through.objects.filter(
                    craftvillage__in=villages
                ).values("tradeevent_id")
            )
        )

    def of_year(self, year: int) -> "TradeEventQuerySet":
        return self.filter(plan__year=year)


class TradeEvent(TimeStampedModel):
    class Kind(models.TextChoices):
        FAIR = "hoi_cho", _("Hội chợ")
        EXHIBITION = "trien_lam", _("Triển lãm")
        MATCHMAKING = "ket_noi_cung_cau", _("Kết nối cung cầu")

    class Location(models.TextChoices):
        DOMESTIC = "trong_nuoc", _("Trong nước")
        ABROAD = "nuoc_ngoai", _("Nước ngoài")

    plan = models.ForeignKey(
        Plan,
        verbose_name=_("kế hoạch"),
        on_delete=models.PROTECT,
        related_name="trade_events",
    )
    name = models.CharField(_("tên sự kiện"), max_length=255)
    kind = models.CharField(_("loại sự kiện"), max_length=20, choices=Kind.choices)
    location = models.CharField(
        _("trong nước/nước ngoài"),
        max_length=12,
        choices=Location.choices,
        default=Location.DOMESTIC,
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn tổ chức"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trade_events",
        help_text=_("Để trống với sự kiện cấp Thành phố hoặc ở nước ngoài."),
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    venue = models.CharField(_("địa điểm"), max_length=255, blank=True)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=255, blank=True)
    booths = models.PositiveIntegerField(
        _("tổng số gian hàng"), default=0, validators=[MaxValueValidator(10000)]
    )
    supported_booths = models.PositiveIntegerField(
        _("số gian hàng được hỗ trợ"), default=0
    )
    support_amount = money_field(_("kinh phí hỗ trợ (đồng)"))
    transaction_value = models.DecimalField(
        _("giá trị giao dịch (đồng)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    establishments = models.ManyToManyField(
        Establishment,
        verbose_name=_("cơ sở tham gia"),
        blank=True,
        related_name="trade_events",
    )
    villages = models.ManyToManyField(
        "villages.CraftVillage",
        verbose_name=_("làng nghề tham gia"),
        blank=True,
        related_name="trade_events",
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = TradeEventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[establishments, villages])

    class Meta:
        verbose_name = _("hội chợ, triển lãm")
        verbose_name_plural = _("hội chợ, triển lãm, kết nối cung cầu")
        ordering = ["-start_date", "name"]
        indexes = [
            # The changelist order with the "-id" the admin appends: a page is an
            # index scan, not a sort of the table (bench/README.md).
            models.Index(
                fields=["-start_date", "name", "-id"], name="tradeevent_list_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="tradeevent_end_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(supported_booths__lte=models.F("booths")),
                name="tradeevent_supported_within_booths",
                violation_error_message=_(
                    "Số gian hàng được hỗ trợ không được lớn hơn tổng số gian hàng."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
            elif (self.end_date - self.start_date).days > 90:
                errors["end_date"] = _("Một hội chợ không thể kéo dài quá 90 ngày.")
        if (
            self.booths is not None
            and self.supported_booths is not None
            and self.supported_booths > self.booths
        ):
            errors["supported_booths"] = _(
                "Số gian hàng được hỗ trợ không được lớn hơn tổng số gian hàng."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def duration_days(self) -> int | None:
        if not (self.start_date and self.end_date):
            return None
        return (self.end_date - self.start_date).days + 1


# ------------------------------------------------------------ equipment projects
# Đề án hỗ trợ ứng dụng máy móc thiết bị (DOMAIN.md §3, §4). The workflow (the
# declared steps, who may take them and the SupportRule check) is in
# programs/workflows.py; the stored status values below are stable strings.


class EquipmentStatus(models.TextChoices):
    REGISTERED = "dang_ky", _("Đăng ký")
    NEEDS_SUPPLEMENT = "bo_sung", _("Cần bổ sung hồ sơ")
    SURVEYED = "khao_sat", _("Đã khảo sát")
    FORWARDED = "trinh_ubnd", _("Đã trình UBND Thành phố")
    APPROVED = "phe_duyet", _("Được phê duyệt")
    IMPLEMENTING = "trien_khai", _("Đang triển khai")
    ACCEPTED = "nghiem_thu", _("Đã nghiệm thu")
    SETTLED = "quyet_toan", _("Đã quyết toán")
    REJECTED = "khong_phe_duyet", _("Không phê duyệt")


# "Approved or later": what the plan indicators count (DOMAIN.md §5).
EQUIPMENT_APPROVED_STATES = (
    EquipmentStatus.APPROVED,
    EquipmentStatus.IMPLEMENTING,
    EquipmentStatus.ACCEPTED,
    EquipmentStatus.SETTLED,
)


class EquipmentActivity(models.TextChoices):
    # The SupportRule activities that apply to an equipment project.
    EQUIPMENT = "thiet_bi", _("Ứng dụng máy móc thiết bị, công nghệ")
    PRODUCTION_LINE = "day_chuyen", _("Dây chuyền sản xuất")
    DEMONSTRATION = "mo_hinh", _("Mô hình trình diễn kỹ thuật")


class EquipmentProjectQuerySet(models.QuerySet):
    def for_user(self, user) -> "EquipmentProjectQuerySet":
        scope = unit_scope(user, "establishment__administrative_unit")
        return self if scope is None else self.filter(scope)

    def of_year(self, year: int) -> "EquipmentProjectQuerySet":
        return self.filter(plan__year=year)

    def approved_or_later(self) -> "EquipmentProjectQuerySet":
        return self.filter(status__in=EQUIPMENT_APPROVED_STATES)


class EquipmentProject(TimeStampedModel):
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("kế hoạch"),
        on_delete=models.PROTECT,
        related_name="equipment_projects",
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở đề nghị hỗ trợ"),
        on_delete=models.PROTECT,
        related_name="equipment_projects",
    )
    title = models.CharField(_("tên đề án"), max_length=255)
    activity = models.CharField(
        _("nội dung hỗ trợ"),
        max_length=20,
        choices=EquipmentActivity.choices,
        default=EquipmentActivity.EQUIPMENT,
        help_text=_("Quyết định mức hỗ trợ tối đa được áp dụng khi phê duyệt."),
    )
    description = models.TextField(
        _("máy móc, thiết bị hoặc dây chuyền"),
        blank=True,
        help_text=_("Tên, số lượng, thông số chính của máy móc thiết bị, công nghệ."),
    )
    funding_source = models.CharField(
        _("nguồn kinh phí"),
        max_length=12,
        choices=FundingSource.choices,
        default=FundingSource.LOCAL,
    )
    total_cost = money_field(_("tổng chi phí đề án (đồng)"), default=None)
    requested_support = money_field(_("kinh phí đề nghị hỗ trợ (đồng)"), default=None)
    approved_support = models.DecimalField(
        _("kinh phí được phê duyệt (đồng)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
    )
    advanced_amount = models.DecimalField(
        _("kinh phí đã tạm ứng (đồng)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    settled_amount = models.DecimalField(
        _("kinh phí quyết toán (đồng)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=EquipmentStatus.choices,
        default=EquipmentStatus.REGISTERED,
        db_index=True,
    )
    registered_on = models.DateField(_("ngày đăng ký"), default=date.today)
    surveyed_on = models.DateField(_("ngày khảo sát"), null=True, blank=True)
    survey_notes = models.TextField(_("kết quả khảo sát"), blank=True)
    forwarded_on = models.DateField(_("ngày trình UBND"), null=True, blank=True)
    decision = models.ForeignKey(
        LegalDocument,
        verbose_name=_("quyết định phê duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment_projects",
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    advanced_on = models.DateField(_("ngày tạm ứng"), null=True, blank=True)
    accepted_on = models.DateField(_("ngày nghiệm thu"), null=True, blank=True)
    acceptance_notes = models.TextField(_("kết quả nghiệm thu"), blank=True)
    settled_on = models.DateField(_("ngày quyết toán"), null=True, blank=True)
    rejected_on = models.DateField(_("ngày không phê duyệt"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do không phê duyệt"), blank=True)

    objects = EquipmentProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề án hỗ trợ máy móc thiết bị")
        verbose_name_plural = _("đề án hỗ trợ máy móc thiết bị")
        ordering = ["-registered_on", "title"]
        permissions = [
            (
                "decide_equipmentproject",
                _("Ghi nhận quyết định phê duyệt đề án máy móc thiết bị"),
            )
        ]
        indexes = [
            models.Index(fields=["plan", "status"], name="equipment_plan_status_idx"),
            # The reports' sums per plan year (and by the establishment's unit)
            # read this index alone on PostgreSQL, not the table.
            models.Index(
                fields=["plan", "status"],
                include=["approved_support", "establishment"],
                name="equipment_year_totals_idx",
            ),
            # The changelist order with the "-id" the admin appends: a page is an
            # index scan, not a sort of the table (bench/README.md).
            models.Index(
                fields=["-registered_on", "title", "-id"], name="equipment_list_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost__gt=0),
                name="equipment_cost_positive",
                violation_error_message=_("Tổng chi phí đề án phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(requested_support__gte=0)
                & Q(requested_support__lte=models.F("total_cost")),
                name="equipment_requested_within_cost",
                violation_error_message=_(
                    "Kinh phí đề nghị hỗ trợ không được lớn hơn tổng chi phí."
                ),
            ),
            models.CheckConstraint(
                condition=Q(approved_support__isnull=True)
                | Q(approved_support__lte=models.F("total_cost")),
                name="equipment_approved_within_cost",
                violation_error_message=_(
                    "Kinh phí được phê duyệt không được lớn hơn tổng chi phí."
                ),
            ),
            models.CheckConstraint(
                condition=Q(advanced_amount__isnull=True)
                | Q(advanced_amount__lte=models.F("approved_support")),
                name="equipment_advance_within_approved",
                violation_error_message=_(
                    "Kinh phí tạm ứng không được lớn hơn kinh phí được phê duyệt."
                ),
            ),
            models.CheckConstraint(
                condition=Q(settled_amount__isnull=True)
                | Q(settled_amount__lte=models.F("approved_support")),
                name="equipment_settled_within_approved",
                violation_error_message=_(
                    "Kinh phí quyết toán không được lớn hơn kinh phí được phê duyệt."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        cost = self.total_cost
        if cost is not None and cost <= 0:
            errors["total_cost"] = _("Tổng chi phí đề án phải lớn hơn 0.")
        if (
            cost is not None
            and self.requested_support is not None
            and self.requested_support > cost
        ):
            errors["requested_support"] = _(
                "Kinh phí đề nghị hỗ trợ không được lớn hơn tổng chi phí."
            )
        approved = self.approved_support
        if approved is not None and cost is not None and approved > cost:
            errors["approved_support"] = _(
                "Kinh phí được phê duyệt không được lớn hơn tổng chi phí."
            )
        for name, label in (
            ("advanced_amount", _("Kinh phí tạm ứng")),
            ("settled_amount", _("Kinh phí quyết toán")),
        ):
            value = getattr(self, name)
            if value is not None and (approved is None or value > approved):
                errors[name] = _(
                    "%(what)s (%(value)s đồng) không được lớn hơn kinh phí được phê "
                    "duyệt (%(approved)s đồng)."
                ) % {
                    "what": label,
                    "value": vnd(value),
                    "approved": vnd(approved or 0),
                }
        if self.plan_id and self.registered_on:
            if abs(self.registered_on.year - self.plan.year) > 1:
                errors["registered_on"] = _(
                    "Ngày đăng ký %(day)s không khớp với kế hoạch năm %(year)s."
                ) % {
                    "day": self.registered_on.strftime("%d/%m/%Y"),
                    "year": self.plan.year,
                }
        if errors:
            raise ValidationError(errors)

    @property
    def support(self) -> Decimal | None:
        """The support that counts: approved once decided, else requested."""
        if self.approved_support is not None:
            return self.approved_support
        return self.requested_support

    @property
    def counterpart(self) -> Decimal | None:
        """Kinh phí đối ứng of the establishment: cost minus support."""
        if self.total_cost is None or self.support is None:
            return None
        return self.total_cost - self.support

    def warnings(self) -> list[str]:
        """What staff should look at before forwarding (does not block)."""
        messages: list[str] = []
        if self.establishment_id:
            unit = self.establishment.administrative_unit
            day = self.registered_on or date.today()
            if not unit.is_eligible_on(day):
                messages.append(
                    gettext(
                        "Cơ sở “%(name)s” ở %(unit)s: địa bàn này không thuộc diện "
                        "được hỗ trợ khuyến công vào ngày %(day)s."
                    )
                    % {
                        "name": self.establishment.name,
                        "unit": unit,
                        "day": day.strftime("%d/%m/%Y"),
                    }
                )
        return messages


def vnd(amount: Decimal | int) -> str:
    """300000000 -> "300.000.000" (as the department writes money)."""
    return f"{int(amount):,}".replace(",", ".")
