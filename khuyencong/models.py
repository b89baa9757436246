"""What every app shares: users, administrative units, legal documents, support rules
and uploaded files."""

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The day the 2025 reform removed the district level (NQ 1656/NQ-UBTVQH15).
COMMUNE_LEVEL_FROM = date(2025, 7, 1)
# ND 235/2025 replaces ND 45/2012 for eligibility by place from this day.
ND235_FROM = date(2025, 10, 15)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> "AdministrativeUnitQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )

    def districts(self) -> "AdministrativeUnitQuerySet":
        return self.filter(kind__in=AdministrativeUnit.DISTRICT_KINDS)

    def communes(self) -> "AdministrativeUnitQuerySet":
        return self.filter(kind__in=AdministrativeUnit.COMMUNE_KINDS)

    def for_user(self, user) -> "AdministrativeUnitQuerySet":
        if user_is_officer(user):
            unit_id = user.administrative_unit_id
            return self.filter(Q(pk=unit_id) | Q(parent_id=unit_id))
        return self


class AdministrativeUnit(TimeStampedModel):
    class Kind(models.TextChoices):
        CITY = "thanh_pho", _("Thành phố")
        URBAN_DISTRICT = "quan", _("Quận")
        TOWN = "thi_xa", _("Thị xã")
        RURAL_DISTRICT = "huyen", _("Huyện")
        WARD = "phuong", _("Phường")
        COMMUNE = "xa", _("Xã")

    DISTRICT_KINDS = (Kind.URBAN_DISTRICT, Kind.TOWN, Kind.RURAL_DISTRICT)
    COMMUNE_KINDS = (Kind.WARD, Kind.COMMUNE)

    code = models.CharField(_("mã đơn vị"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("cấp/loại"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = AdministrativeUnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="adminunit_valid_range",
                violation_error_message=_(
                    "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return unit_full_name(self.kind, self.name)

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def is_eligible_on(self, day: date, *, in_craft_village: bool = False) -> bool:
        """Eligibility for khuyến công support by place (DOMAIN.md §2).

        Before 15/10/2025 (ND 45/2012): huyện and thị xã, not quận. From that day
        (ND 235/2025): xã, not phường, except inside a recognised craft village.
        """
        if day < ND235_FROM:
            return self.kind in (self.Kind.RURAL_DISTRICT, self.Kind.TOWN)
        if self.kind == self.Kind.COMMUNE:
            return True
        return self.kind == self.Kind.WARD and in_craft_village


def unit_full_name(kind: str, name: str) -> str:
    """ "Huyện Chương Mỹ": the kind's label, then the name. The label comes from
    the enum, as get_kind_display() gives it: that method rebuilds a dict of every
    choice on each call, and a changelist with a unit filter names some 800 units
    (about 40 ms of its page)."""
    try:
        label = AdministrativeUnit.Kind(kind).label
    except ValueError:
        label = kind
    return f"{label} {name}"


def within_unit_q(unit, path: str = "administrative_unit") -> Q:
    """Rows whose `path` (a foreign key to AdministrativeUnit, across relations if
    need be) is `unit` (an instance or an id) or a unit directly under it: a
    district and its communes. Every row when `unit` is None.

    Written as `<path> IN (SELECT id FROM units WHERE id = u OR parent = u)`, not
    as an OR across the join to the units table: with the OR, PostgreSQL joins
    every row of the register to the units before filtering (100,000
    establishments scanned for one district's projects; bench/README.md), where
    the IN reads the district's rows by their index."""
    if unit is None:
        return Q()
    unit_id = getattr(unit, "pk", unit)
    units = AdministrativeUnit.objects.filter(Q(pk=unit_id) | Q(parent_id=unit_id))
    return Q(**{f"{path}__in": units.values("pk")})


def unit_group(
    path: str = "administrative_unit", *, per_province: bool = False, field="id"
):
    """What a table by unit groups a register's rows by: the `field` of the row's
    unit (`path`, a foreign key to AdministrativeUnit), or with `per_province` of
    the province above it. Units are at most three levels deep (a commune, its
    district, its province; two since the 2025 reform), so the province is the
    grandparent, else the parent, else the unit itself."""
    own = f"{path}__{field}"
    if not per_province:
        return F(own)
    return Coalesce(
        F(f"{path}__parent__parent__{field}"), F(f"{path}__parent__{field}"), F(own)
    )


class LegalDocument(TimeStampedModel):
    class Kind(models.TextChoices):
        DECISION = "quyet_dinh", _("Quyết định")
        PLAN = "ke_hoach", _("Kế hoạch")
        RESOLUTION = "nghi_quyet", _("Nghị quyết")
        DECREE = "nghi_dinh", _("Nghị định")
        CIRCULAR = "thong_tu", _("Thông tư")
        OFFICIAL_LETTER = "cong_van", _("Công văn")
        OTHER = "khac", _("Khác")

    number = models.CharField(
        _("số, ký hiệu"),
        max_length=60,
        unique=True,
        help_text=_("Ví dụ: 7209/QĐ-UBND, 51/KH-UBND."),
    )
    kind = models.CharField(_("loại văn bản"), max_length=12, choices=Kind.choices)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(
        _("ngày ban hành"),
        null=True,
        blank=True,
        help_text=_("Để trống khi chưa đối chiếu được ngày trên văn bản gốc."),
    )
    summary = models.TextField(_("trích yếu"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        if self.issued_on:
            return f"{self.number} ngày {self.issued_on:%d/%m/%Y}"
        return self.number


class SupportRuleQuerySet(models.QuerySet):
    def in_force(self, *, activity: str, on: date, funding_source: str = ""):
        """The rule in force for an activity on a day: the latest effective_from not
        after that day, preferring a rule of the same funding source over a general
        one (blank funding source)."""
        rules = self.filter(activity=activity, effective_from__lte=on).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=on)
        )
        if funding_source:
            specific = rules.filter(funding_source=funding_source)
            if specific.exists():
                rules = specific
            else:
                rules = rules.filter(funding_source="")
        return rules.order_by("-effective_from", "-pk").first()


class FundingSource(models.TextChoices):
    LOCAL = "dia_phuong", _("Khuyến công địa phương")
    NATIONAL = "quoc_gia", _("Khuyến công quốc gia")


class SupportRule(TimeStampedModel):
    """A support level (mức hỗ trợ) as data that staff edit (DOMAIN.md §2)."""

    class Activity(models.TextChoices):
        EQUIPMENT = "thiet_bi", _("Ứng dụng máy móc thiết bị, công nghệ")
        PRODUCTION_LINE = "day_chuyen", _("Dây chuyền sản xuất")
        DEMONSTRATION = "mo_hinh", _("Mô hình trình diễn kỹ thuật")
        BRANDING_ACTIVITY = "thuong_hieu", _("Xây dựng thương hiệu làng nghề")

    activity = models.CharField(
        _("nội dung hỗ trợ"), max_length=20, choices=Activity.choices
    )
    funding_source = models.CharField(
        _("nguồn kinh phí"),
        max_length=12,
        choices=FundingSource.choices,
        blank=True,
        help_text=_("Để trống nếu áp dụng cho mọi nguồn kinh phí."),
    )
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_until = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    max_share_percent = models.DecimalField(
        _("tỷ lệ hỗ trợ tối đa (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_amount = models.DecimalField(
        _("mức hỗ trợ tối đa (đồng)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_items = models.PositiveSmallIntegerField(
        _("số nội dung tối đa"),
        null=True,
        blank=True,
        help_text=_("Ví dụ: tối đa 5 nội dung cho mỗi làng nghề."),
    )
    legal_basis = models.ForeignKey(
        LegalDocument,
        verbose_name=_("căn cứ pháp lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_rules",
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = SupportRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mức hỗ trợ")
        verbose_name_plural = _("mức hỗ trợ")
        ordering = ["activity", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_share_percent__isnull=True)
                | Q(max_share_percent__gte=0, max_share_percent__lte=100),
                name="supportrule_share_0_100",
                violation_error_message=_("Tỷ lệ hỗ trợ phải từ 0 đến 100%%."),
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gte=0),
                name="supportrule_amount_nonnegative",
                violation_error_message=_("Mức hỗ trợ tối đa không được âm."),
            ),
        ]

    def __str__(self) -> str:
        basis = f" ({self.legal_basis.number})" if self.legal_basis_id else ""
        return f"{self.get_activity_display()} từ {self.effective_from:%d/%m/%Y}{basis}"

    def clean(self) -> None:
        if self.effective_until and self.effective_until < self.effective_from:
            raise ValidationError(
                {"effective_until": _("Ngày kết thúc phải sau ngày bắt đầu áp dụng.")}
            )

    def max_support_for(self, cost: Decimal) -> Decimal | None:
        """The largest support this rule allows for a cost (None: no limit)."""
        limits = []
        if self.max_share_percent is not None:
            limits.append((cost * self.max_share_percent / 100).quantize(Decimal("1")))
        if self.max_amount is not None:
            limits.append(self.max_amount)
        return min(limits) if limits else None


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # The stored name is random: nobody can guess a path, and the original name
    # is kept only in the database.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/{instance.uploaded_at_folder()}/{uuid.uuid4().hex}.{suffix}"


class AttachmentQuerySet(models.QuerySet):
    def for_object(self, obj) -> "AttachmentQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(
                obj, for_concrete_model=False
            ),
            object_id=obj.pk,
        )


class Attachment(TimeStampedModel):
    """A file attached to any record (decisions, application documents, ...).

    Files are private: stored under an unguessable name and downloaded only through
    `khuyencong:attachment-download`, which checks that the user may see the record
    the file belongs to."""

    class Kind(models.TextChoices):
        DISTRICT_LETTER = "cong_van_huyen", _("Công văn của UBND cấp huyện/xã")
        RECOGNITION = "quyet_dinh_cong_nhan", _("Quyết định công nhận làng nghề")
        HOUSEHOLD_LIST = "danh_sach_ho", _("Danh sách hộ tham gia")
        DECISION = "quyet_dinh", _("Quyết định")
        MINUTES = "bien_ban", _("Biên bản")
        PROPOSAL = "de_an", _("Hồ sơ đề án")
        OTHER = "khac", _("Tài liệu khác")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(
        _("loại tài liệu"), max_length=24, choices=Kind.choices, default=Kind.OTHER
    )
    title = models.CharField(_("tên tài liệu"), max_length=255, blank=True)
    file = models.FileField(_("tệp"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(
        _("dung lượng (byte)"), default=0, editable=False
    )
    mime_type = models.CharField(_("kiểu tệp"), max_length=100, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title or self.original_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("khuyencong:attachment-download", args=[self.uid])

    def uploaded_at_folder(self) -> str:
        return date.today().strftime("%Y/%m")


class Role(models.TextChoices):
    STAFF = "can_bo_so", _("Cán bộ Sở Công Thương")
    OFFICER = "can_bo_huyen", _("Cán bộ UBND quận/huyện/thị xã, xã/phường")
    LEADERSHIP = "lanh_dao", _("Lãnh đạo Sở")
    ADMINISTRATOR = "quan_tri", _("Quản trị hệ thống")


class User(AbstractUser):
    role = models.CharField(
        _("vai trò"), max_length=16, choices=Role.choices, blank=True
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Bắt buộc với cán bộ quận/huyện: chỉ thấy dữ liệu của đơn vị này."),
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="can_bo_huyen")
                | Q(administrative_unit__isnull=False),
                name="officer_has_unit",
                violation_error_message=_(
                    "Cán bộ quận/huyện phải được gán một đơn vị hành chính."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.OFFICER and not self.administrative_unit_id:
            raise ValidationError(
                {
                    "administrative_unit": _(
                        "Cán bộ quận/huyện phải được gán một đơn vị hành chính."
                    )
                }
            )

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_department_staff(self) -> bool:
        return self.is_superuser or self.role == Role.STAFF

    @property
    def is_leadership(self) -> bool:
        return self.role == Role.LEADERSHIP


def user_is_officer(user) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and getattr(user, "role", "") == Role.OFFICER
        and not user.is_superuser
    )


class WorkflowLogQuerySet(models.QuerySet):
    def for_object(self, obj) -> "WorkflowLogQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )


class WorkflowLog(models.Model):
    """One row per workflow step taken: who, when, from, to, and the comment."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("bước"), max_length=40)
    from_state = models.CharField(_("từ trạng thái"), max_length=40)
    to_state = models.CharField(_("sang trạng thái"), max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    data = models.JSONField(_("dữ liệu của bước"), default=dict, blank=True)

    objects = WorkflowLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký xử lý")
        verbose_name_plural = _("nhật ký xử lý")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state} ({self.by})"
