"""Craft villages, branding calls and branding applications (DOMAIN.md §3–4)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.models import (
    AdministrativeUnit,
    LegalDocument,
    Role,
    SupportRule,
    TimeStampedModel,
    user_is_officer,
    within_unit_q,
)

# ND 52/2018/ND-CP art. 5: the criteria of a craft village and a traditional craft.
ND52_MIN_HOUSEHOLD_SHARE = Decimal("20")  # percent of households in the trade
ND52_MIN_PRODUCTION_YEARS = 2
ND52_TRADITIONAL_CRAFT_YEARS = 50  # "more than 50 years"


def _unit_scope(user, field: str) -> Q | None:
    """Row scope of a district officer: their unit and its children. None: all."""
    if user_is_officer(user):
        return within_unit_q(user.administrative_unit_id, field)
    return None


def _sees_all(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role in (Role.STAFF, Role.LEADERSHIP)
    )


class CraftVillageQuerySet(models.QuerySet):
    def for_user(self, user) -> "CraftVillageQuerySet":
        scope = _unit_scope(user, "administrative_unit")
        if scope is not None:
            return self.filter(scope)
        return self if _sees_all(user) else self.none()


@dataclass(frozen=True)
class VillageCheck:
    ok: bool | None  # None: not enough data to tell
    label: str
    detail: str


class CraftVillage(TimeStampedModel):
    class Title(models.TextChoices):
        CRAFT_VILLAGE = "lang_nghe", _("Làng nghề")
        TRADITIONAL = "lang_nghe_truyen_thong", _("Làng nghề truyền thống")

    name = models.CharField(_("tên làng nghề"), max_length=200)
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="craft_villages",
    )
    hamlet = models.CharField(_("thôn, xã"), max_length=200, blank=True)
    crafts = models.CharField(
        _("nghề"), max_length=255, help_text=_("Ví dụ: mây tre đan, sơn mài.")
    )
    title = models.CharField(
        _("danh hiệu"),
        max_length=24,
        choices=Title.choices,
        default=Title.CRAFT_VILLAGE,
    )
    recognition_document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("quyết định công nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognised_villages",
    )
    recognition_year = models.PositiveSmallIntegerField(
        _("năm công nhận"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    households_total = models.PositiveIntegerField(_("tổng số hộ"), default=0)
    households_in_trade = models.PositiveIntegerField(_("số hộ làm nghề"), default=0)
    workers = models.PositiveIntegerField(_("số lao động"), default=0)
    craft_started_year = models.PositiveSmallIntegerField(
        _("năm nghề bắt đầu"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
        help_text=_("Năm nghề xuất hiện ở làng (theo hồ sơ công nhận)."),
    )
    stable_production_since = models.PositiveSmallIntegerField(
        _("sản xuất ổn định từ năm"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    trademark_number = models.CharField(
        _("số văn bằng nhãn hiệu tập thể"), max_length=60, blank=True
    )
    trademark_date = models.DateField(
        _("ngày cấp nhãn hiệu tập thể"), null=True, blank=True
    )

    objects = CraftVillageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("làng nghề")
        verbose_name_plural = _("làng nghề")
        ordering = ["administrative_unit__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["administrative_unit", "name"],
                name="craftvillage_unique_name_in_unit",
                violation_error_message=_("Đơn vị này đã có một làng nghề cùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(households_in_trade__lte=models.F("households_total")),
                name="craftvillage_trade_households_within_total",
                violation_error_message=_(
                    "Số hộ làm nghề không được lớn hơn tổng số hộ."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.administrative_unit.name})"

    def get_absolute_url(self) -> str:
        return reverse("villages:village-detail", args=[self.pk])

    @property
    def household_share(self) -> Decimal | None:
        if not self.households_total:
            return None
        share = Decimal(self.households_in_trade) * 100 / self.households_total
        return share.quantize(Decimal("0.1"))

    def nd52_checks(self, *, today: date | None = None) -> list[VillageCheck]:
        """The ND 52/2018 art. 5 criteria, as warnings for staff (not refusals)."""
        year = (today or timezone.localdate()).year
        checks = []
        share = self.household_share
        checks.append(
            VillageCheck(
                None if share is None else share >= ND52_MIN_HOUSEHOLD_SHARE,
                str(_("Tỷ lệ hộ làm nghề ≥ 20% tổng số hộ")),
                str(_("Chưa có số hộ."))
                if share is None
                else str(_("%(share)s%% (%(n)s/%(total)s hộ)"))
                % {
                    "share": f"{share:n}".replace(".", ","),
                    "n": self.households_in_trade,
                    "total": self.households_total,
                },
            )
        )
        since = self.stable_production_since or self.craft_started_year
        checks.append(
            VillageCheck(
                None if since is None else year - since >= ND52_MIN_PRODUCTION_YEARS,
                str(_("Sản xuất ổn định tối thiểu 2 năm")),
                str(_("Chưa có năm bắt đầu sản xuất."))
                if since is None
                else str(_("Từ năm %(since)s (%(n)s năm)"))
                % {"since": since, "n": year - since},
            )
        )
        if self.title == self.Title.TRADITIONAL:
            started = self.craft_started_year
            checks.append(
                VillageCheck(
                    None
                    if started is None
                    else year - started > ND52_TRADITIONAL_CRAFT_YEARS,
                    str(_("Nghề truyền thống có trên 50 năm")),
                    str(_("Chưa có năm nghề bắt đầu."))
                    if started is None
                    else str(_("Nghề có từ năm %(y)s (%(n)s năm)"))
                    % {"y": started, "n": year - started},
                )
            )
        return checks

    @property
    def nd52_warnings(self) -> list[VillageCheck]:
        return [c for c in self.nd52_checks() if c.ok is not True]


class BrandingCall(TimeStampedModel):
    """A call for branding applications (đợt đăng ký), e.g. 2019 until 15/5/2019."""

    year = models.PositiveSmallIntegerField(
        _("năm kế hoạch"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("tên đợt đăng ký"), max_length=255)
    document = models.ForeignKey(
        LegalDocument,
        verbose_name=_("văn bản triển khai"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branding_calls",
    )
    opens_on = models.DateField(_("mở từ ngày"))
    deadline = models.DateField(_("hạn nộp hồ sơ"))
    note = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt đăng ký xây dựng thương hiệu")
        verbose_name_plural = _("đợt đăng ký xây dựng thương hiệu")
        ordering = ["-year", "-deadline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")),
                name="brandingcall_deadline_after_opening",
                violation_error_message=_("Hạn nộp phải sau ngày mở đăng ký."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (hạn {self.deadline:%d/%m/%Y})"

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.deadline

    def support_rule(self) -> SupportRule | None:
        return SupportRule.objects.in_force(
            activity=SupportRule.Activity.BRANDING_ACTIVITY, on=self.deadline
        )


class ApplicationStatus(models.TextChoices):
    DRAFT = "nhap", _("Nháp")
    SUBMITTED = "da_nop", _("Đã nộp")
    UNDER_REVIEW = "dang_tham_dinh", _("Đang thẩm định")
    NEEDS_SUPPLEMENT = "yeu_cau_bo_sung", _("Yêu cầu bổ sung")
    FORWARDED = "trinh_ubnd", _("Trình UBND Thành phố")
    APPROVED = "duoc_ho_tro", _("Được hỗ trợ")
    REJECTED = "khong_duoc_ho_tro", _("Không được hỗ trợ")
    DONE = "hoan_thanh", _("Hoàn thành")


# What a district officer reads: plain words, no internal step names.
PLAIN_STATUS = {
    ApplicationStatus.DRAFT: _("Đang soạn, chưa nộp"),
    ApplicationStatus.SUBMITTED: _("Đã nộp, chờ Sở tiếp nhận"),
    ApplicationStatus.UNDER_REVIEW: _("Sở đang xem xét"),
    ApplicationStatus.NEEDS_SUPPLEMENT: _("Cần bổ sung hồ sơ"),
    ApplicationStatus.FORWARDED: _("Đã trình UBND Thành phố"),
    ApplicationStatus.APPROVED: _("Được hỗ trợ"),
    ApplicationStatus.REJECTED: _("Không được hỗ trợ"),
    ApplicationStatus.DONE: _("Đã hoàn thành"),
}

# The officer may change the application only in these states.
EDITABLE_STATES = (ApplicationStatus.DRAFT, ApplicationStatus.NEEDS_SUPPLEMENT)
# "Registered for branding" (DOMAIN.md §5): submitted or any later step.
SUBMITTED_OR_LATER = tuple(s for s in ApplicationStatus if s != ApplicationStatus.DRAFT)


class BrandingApplicationQuerySet(models.QuerySet):
    def for_user(self, user) -> "BrandingApplicationQuerySet":
        scope = _unit_scope(user, "administrative_unit")
        if scope is not None:
            return self.filter(scope)
        return self if _sees_all(user) else self.none()

    def submitted_or_later(self) -> "BrandingApplicationQuerySet":
        return self.filter(status__in=SUBMITTED_OR_LATER)


class TrademarkStatus(models.TextChoices):
    NONE = "chua_nop", _("Chưa nộp đơn")
    FILED = "da_nop_don", _("Đã nộp đơn đăng ký")
    GRANTED = "da_cap", _("Đã được cấp văn bằng")


class BrandingApplication(TimeStampedModel):
    call = models.ForeignKey(
        BrandingCall,
        verbose_name=_("đợt đăng ký"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    village = models.ForeignKey(
        CraftVillage,
        verbose_name=_("làng nghề"),
        on_delete=models.PROTECT,
        related_name="branding_applications",
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="branding_applications",
        editable=False,
        help_text=_("Lấy theo làng nghề."),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập hồ sơ"),
        on_delete=models.PROTECT,
        related_name="branding_applications",
        null=True,
        blank=True,
    )
    contact_name = models.CharField(_("người liên hệ"), max_length=120, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=20, blank=True)
    note = models.TextField(_("thuyết minh"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("nộp lần đầu lúc"), null=True, blank=True)
    decision = models.ForeignKey(
        LegalDocument,
        verbose_name=_("quyết định hỗ trợ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branding_applications",
    )
    approved_amount = models.DecimalField(
        _("kinh phí được hỗ trợ (đồng)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    logo_done = models.BooleanField(_("đã có logo, bộ nhận diện"), default=False)
    trademark_status = models.CharField(
        _("nhãn hiệu tập thể"),
        max_length=12,
        choices=TrademarkStatus.choices,
        default=TrademarkStatus.NONE,
    )
    result_note = models.TextField(_("kết quả thực hiện"), blank=True)

    objects = BrandingApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ xây dựng thương hiệu")
        verbose_name_plural = _("hồ sơ xây dựng thương hiệu")
        ordering = ["-created_at"]
        indexes = [
            # The changelist order with the "-id" the admin appends: a page is an
            # index scan, not a sort of the table (bench/README.md).
            models.Index(fields=["-created_at", "-id"], name="brandingapp_list_idx"),
        ]
        permissions = [
            ("submit_brandingapplication", _("Nộp hồ sơ xây dựng thương hiệu")),
            ("decide_brandingapplication", _("Quyết định hỗ trợ xây dựng thương hiệu")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "village"],
                name="brandingapplication_one_per_village_and_call",
                violation_error_message=_(
                    "Làng nghề này đã có hồ sơ trong đợt đăng ký này."
                ),
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="brandingapplication_approved_nonnegative",
                violation_error_message=_("Kinh phí được hỗ trợ không được âm."),
            ),
        ]

    def __str__(self) -> str:
        village = self.village.name if self.village_id else "?"
        return f"{village} — {self.call.title if self.call_id else ''}".strip(" —")

    def get_absolute_url(self) -> str:
        return reverse("villages:application-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.village_id:
            # The unit is the village's; never typed in.
            self.administrative_unit_id = self.village.administrative_unit_id

    @property
    def plain_status(self) -> str:
        return str(PLAIN_STATUS.get(self.status, self.get_status_display()))

    @property
    def is_editable_by_officer(self) -> bool:
        return self.status in EDITABLE_STATES


class BrandingActivity(TimeStampedModel):
    """One activity asked for (at most five per village, each within the rule)."""

    class Kind(models.TextChoices):
        TRAINING = "dao_tao", _("Đào tạo, tập huấn về thương hiệu")
        STRATEGY = "chien_luoc", _("Xây dựng chiến lược thương hiệu")
        IDENTITY = "nhan_dien", _("Đặt tên, thiết kế logo, bộ nhận diện thương hiệu")
        PROMOTION = "quang_ba", _("Quảng bá, giới thiệu thương hiệu")
        TRADEMARK = "nhan_hieu", _("Đăng ký bảo hộ nhãn hiệu tập thể")

    application = models.ForeignKey(
        BrandingApplication,
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("nội dung"), max_length=12, choices=Kind.choices)
    cost = models.DecimalField(
        _("kinh phí đề nghị hỗ trợ (đồng)"),
        max_digits=16,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("1"))],
    )
    description = models.CharField(_("mô tả"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung đề nghị hỗ trợ")
        verbose_name_plural = _("nội dung đề nghị hỗ trợ")
        ordering = ["application", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                name="brandingactivity_one_per_kind",
                violation_error_message=_("Mỗi nội dung chỉ được đề nghị một lần."),
            ),
            models.CheckConstraint(
                condition=Q(cost__gt=0),
                name="brandingactivity_cost_positive",
                violation_error_message=_("Kinh phí phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.cost:,.0f} đồng".replace(",", ".")


def _vnd(amount) -> str:
    from django.utils.formats import number_format

    return number_format(amount, decimal_pos=0, force_grouping=True)


def branding_activities_check(*, call: BrandingCall, activities) -> None:
    """Refuse activities outside the SupportRule in force for the call: a cost above
    the per-activity cap, or more activities than allowed. `activities` is a list of
    (kind, cost). The message names the rule's legal basis."""
    rule = call.support_rule()
    if rule is None:
        return
    basis = rule.legal_basis.number if rule.legal_basis_id else str(rule)
    errors = []
    if rule.max_items is not None and len(activities) > rule.max_items:
        errors.append(
            ValidationError(
                _(
                    "Đề nghị %(n)s nội dung, vượt quá tối đa %(max)s nội dung cho mỗi "
                    "làng nghề theo %(basis)s."
                ),
                code="too_many_activities",
                params={"n": len(activities), "max": rule.max_items, "basis": basis},
            )
        )
    if rule.max_amount is not None:
        for kind, cost in activities:
            if cost is not None and cost > rule.max_amount:
                errors.append(
                    ValidationError(
                        _(
                            "Nội dung “%(kind)s”: kinh phí %(cost)s đồng vượt mức hỗ "
                            "trợ tối đa %(max)s đồng mỗi nội dung theo %(basis)s."
                        ),
                        code="activity_over_cap",
                        params={
                            "kind": BrandingActivity.Kind(kind).label,
                            "cost": _vnd(cost),
                            "max": _vnd(rule.max_amount),
                            "basis": basis,
                        },
                    )
                )
    if errors:
        raise ValidationError(errors)
