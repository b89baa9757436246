import re

from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.admin import AttachmentAdminMixin, AttachmentInline
from khuyencong.admin_base import AnyOf, RegisterAdmin, related_count
from khuyencong.models import AdministrativeUnit
from khuyencong.widget_rendering import INLINE_ROWS_RENDERER
from khuyencong.workflow import user_may
from khuyencong.workflow_admin import WorkflowAdminMixin
from programs.equipment_services import equipment_forward_list_xlsx
from programs.indicators import Indicator
from programs.models import (
    CRAFT_KINDS,
    EQUIPMENT_APPROVED_STATES,
    MANAGEMENT_KINDS,
    CourseFamily,
    EquipmentProject,
    Establishment,
    Participant,
    Plan,
    PlanTarget,
    TradeEvent,
    TrainingCourse,
)
from programs.selectors import plan_vs_actual
from programs.validators import normalize_id_number, search_variants
from programs.workflows import EQUIPMENT_WORKFLOW

# ------------------------------------------------------------------- helpers


def plan_year_filter(path: str):
    """A "Năm" filter over the years that have a plan (one query)."""

    class PlanYearFilter(admin.SimpleListFilter):
        title = _("năm kế hoạch")
        parameter_name = "nam"

        def lookups(self, request, model_admin):
            years = Plan.objects.order_by("-year").values_list("year", flat=True)
            return [(str(year), str(year)) for year in years]

        def queryset(self, request, queryset):
            value = self.value()
            if value and value.isdigit():
                return queryset.filter(**{path: int(value)})
            return queryset

    return PlanYearFilter


def course_family_filter(path: str):
    class CourseFamilyFilter(admin.SimpleListFilter):
        title = _("nhóm lớp")
        parameter_name = "nhom"

        def lookups(self, request, model_admin):
            return CourseFamily.choices

        def queryset(self, request, queryset):
            if self.value() == CourseFamily.CRAFT:
                return queryset.filter(**{f"{path}__in": CRAFT_KINDS})
            if self.value() == CourseFamily.MANAGEMENT:
                return queryset.filter(**{f"{path}__in": MANAGEMENT_KINDS})
            return queryset

    return CourseFamilyFilter


def units_in_use_filter(model, *, path: str, parameter_name: str, title=None):
    """A filter over the administrative units that `model` rows use, same URL
    parameter as Django's RelatedOnlyFieldListFilter. That filter finds the units
    with a DISTINCT over every row of the list (establishments: 100,000 rows, 25
    to 55 ms on every page; participants: 0.5 s); an EXISTS per unit on the
    indexed foreign key reads a few index entries for each of the ~700 units."""

    class UnitsInUseFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            rows = model.objects.for_user(request.user).filter(
                administrative_unit=OuterRef("pk")
            )
            units = AdministrativeUnit.objects.filter(Exists(rows)).order_by("code")
            return [(str(unit.pk), str(unit)) for unit in units]

        def queryset(self, request, queryset):
            value = self.value()
            if value and value.isdigit():
                return queryset.filter(**{path: int(value)})
            return queryset

    UnitsInUseFilter.title = (
        title or model._meta.get_field("administrative_unit").verbose_name
    )
    UnitsInUseFilter.parameter_name = parameter_name
    return UnitsInUseFilter


def money(value) -> str:
    if value is None:
        return "–"
    return number_format(value, force_grouping=True)


class SearchVariantsMixin:
    """Find a tax code or an ID number however the clerk typed it."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        for variant in search_variants(search_term.strip()) if search_term else []:
            more, dup = super().get_search_results(request, queryset, variant)
            results = results | more
            may_have_duplicates = may_have_duplicates or dup
        return results, may_have_duplicates


class ScopedAdminMixin:
    """Every register admin shows only the rows the user may see."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


class PrefetchedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id widget whose labels come from a dict filled once per page, so a
    formset of hundreds of rows does not run one query per row."""

    def __init__(self, rel, admin_site, labels: dict, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.labels = labels

    def label_and_url_for_value(self, value):
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return "", ""
        if pk not in self.labels:
            return super().label_and_url_for_value(value)
        opts = self.rel.model._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=(pk,),
            )
        except NoReverseMatch:
            url = ""
        return Truncator(self.labels[pk]).words(14), url


# --------------------------------------------------------------------- plans


class PlanTargetInline(admin.TabularInline):
    model = PlanTarget
    fields = ("indicator", "target_value", "measure", "note")
    readonly_fields = ("measure",)
    min_num = 0
    verbose_name = _("chỉ tiêu")
    verbose_name_plural = _("chỉ tiêu kế hoạch (một dòng cho mỗi chỉ tiêu)")

    @admin.display(description=_("đơn vị tính"))
    def measure(self, obj):
        return obj.measure if obj and obj.indicator else "–"

    def get_extra(self, request, obj=None, **kwargs):
        return len(missing_indicators(obj))


def missing_indicators(plan: Plan | None) -> list[str]:
    present = set(plan.targets.values_list("indicator", flat=True)) if plan else set()
    return [code for code in Indicator.values if code not in present]


@admin.register(Plan)
class PlanAdmin(RegisterAdmin):
    list_display = ("year", "title", "document", "total_budget_display", "targets")
    list_display_links = ("year", "title")
    list_select_related = ("document",)
    search_fields = ("title", "=year", "document__number")
    autocomplete_fields = ("document",)
    fields = ("year", "title", "document", "total_budget", "note", "progress")
    readonly_fields = ("progress",)
    inlines = [PlanTargetInline]
    ordering = ("-year",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(target_count=Count("targets"))

    @admin.display(description=_("tổng kinh phí (đồng)"), ordering="total_budget")
    def total_budget_display(self, obj):
        return money(obj.total_budget)

    @admin.display(description=_("số chỉ tiêu"), ordering="target_count")
    def targets(self, obj):
        return obj.target_count

    @admin.display(description=_("thực hiện so với kế hoạch"))
    def progress(self, obj):
        """Targets against the actuals counted from the registers."""
        if not obj or not obj.pk:
            return "–"
        rows = [
            row
            for row in plan_vs_actual(year=obj.year)
            if row.target is not None or row.actual is not None
        ]
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("chỉ tiêu"),
            _("đơn vị tính"),
            _("kế hoạch"),
            _("thực hiện"),
            _("tỷ lệ (%)"),
        )
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row.label,
                    row.measure,
                    money(row.target),
                    money(row.actual),
                    number_format(row.share, 1) if row.share is not None else "–",
                )
                for row in rows
            ),
        )
        return format_html("<table>{}{}</table>", head, body)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PlanTargetInline):
            plan = obj if obj is not None and obj.pk else None
            kwargs["initial"] = [
                {"indicator": code} for code in missing_indicators(plan)
            ]
        return kwargs


# ------------------------------------------------------------ establishments


@admin.register(Establishment)
class EstablishmentAdmin(SearchVariantsMixin, ScopedAdminMixin, RegisterAdmin):
    list_display = (
        "name",
        "kind",
        "tax_code",
        "administrative_unit",
        "sector",
        "employees",
        "craft_village_name",
        "industrial_cluster",
        "representative",
        "phone",
    )
    list_filter = (
        "kind",
        units_in_use_filter(
            Establishment,
            path="administrative_unit_id",
            parameter_name="administrative_unit__id__exact",
        ),
        ("craft_village", admin.EmptyFieldListFilter),
        ("industrial_cluster", admin.EmptyFieldListFilter),
    )
    list_select_related = ("administrative_unit", "craft_village", "industrial_cluster")
    search_fields = (
        "name",
        "tax_code",
        "representative",
        "address",
        "sector",
        "craft_village__name",
        "industrial_cluster__name",
    )
    autocomplete_fields = ("administrative_unit", "craft_village", "industrial_cluster")
    fieldsets = (
        (None, {"fields": ("name", "kind", "tax_code", "sector", "employees")}),
        (
            _("Liên hệ và địa bàn"),
            {
                "fields": (
                    "representative",
                    "phone",
                    "administrative_unit",
                    "address",
                    "craft_village",
                    "industrial_cluster",
                )
            },
        ),
    )

    @admin.display(description=_("làng nghề"), ordering="craft_village__name")
    def craft_village_name(self, obj):
        # The name only: the village's full label would fetch its unit per row.
        return obj.craft_village.name if obj.craft_village_id else "–"


# ------------------------------------------------------------------- courses


class ParticipantFormSet(BaseInlineFormSet):
    def clean(self):
        """The same ID twice in the list is refused, naming both rows."""
        seen: dict[str, tuple[int, str]] = {}
        errors = []
        for row, form in enumerate(self.forms, start=1):
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and self._should_delete_form(form)):
                continue
            try:
                id_number = normalize_id_number(data.get("id_number"))
            except ValidationError:
                continue
            if not id_number:
                continue
            name = data.get("full_name", "")
            if id_number in seen:
                first_row, first_name = seen[id_number]
                message = gettext(
                    "Số CCCD %(id)s bị nhập hai lần trong lớp: dòng %(first)s "
                    "(%(first_name)s) và dòng %(row)s (%(name)s)."
                ) % {
                    "id": id_number,
                    "first": first_row,
                    "first_name": first_name,
                    "row": row,
                    "name": name,
                }
                form.add_error("id_number", message)
                errors.append(message)
            else:
                seen[id_number] = (row, name)
        if errors:
            raise ValidationError(errors)
        super().clean()


class ParticipantInline(admin.TabularInline):
    model = Participant
    formset = ParticipantFormSet
    fields = (
        "full_name",
        "birth_year",
        "gender",
        "id_number",
        "administrative_unit",
        "establishment",
        "completed",
        "certificate_number",
    )
    raw_id_fields = ("administrative_unit", "establishment")
    extra = 1
    # Django's tabular inline with its rows written in Python (60 rows of 11
    # cells: khuyencong.widget_rendering.tabular_rows).
    template = "admin/edit_inline/tabular_rows.html"
    # Narrow inputs keep the eight columns within a laptop screen.
    INPUT_SIZES = {"full_name": 18, "id_number": 12, "certificate_number": 8}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.INPUT_SIZES:
            field.widget.attrs["size"] = self.INPUT_SIZES[db_field.name]
        return field

    def get_formset(self, request, obj=None, **kwargs):
        request._participant_labels = participant_labels(obj)
        # Hundreds of widgets: rendered without the template engine, same HTML.
        kwargs.setdefault("renderer", INLINE_ROWS_RENDERER)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        labels = getattr(request, "_participant_labels", None)
        if labels is not None and db_field.name in labels:
            kwargs["widget"] = PrefetchedRawIdWidget(
                db_field.remote_field, self.admin_site, labels[db_field.name]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def participant_labels(course: TrainingCourse | None) -> dict[str, dict[int, str]]:
    """Labels of the units and establishments the course's participants point to:
    two queries for the whole list."""
    labels: dict[str, dict[int, str]] = {"administrative_unit": {}, "establishment": {}}
    if course is None or course.pk is None:
        return labels
    people = Participant.objects.filter(course=course)
    for unit in AdministrativeUnit.objects.filter(
        pk__in=people.values("administrative_unit_id")
    ):
        labels["administrative_unit"][unit.pk] = str(unit)
    for pk, name in Establishment.objects.filter(
        pk__in=people.values("establishment_id")
    ).values_list("pk", "name"):
        labels["establishment"][pk] = name
    return labels


@admin.register(TrainingCourse)
class TrainingCourseAdmin(SearchVariantsMixin, ScopedAdminMixin, RegisterAdmin):
    list_display = (
        "title",
        "kind",
        "plan_year",
        "administrative_unit",
        "start_date",
        "end_date",
        "duration",
        "planned_participants",
        "participant_count_display",
        "support_budget_display",
        "counterpart",
        "status",
    )
    list_filter = (
        plan_year_filter("plan__year"),
        course_family_filter("kind"),
        "kind",
        "status",
        units_in_use_filter(
            TrainingCourse,
            path="administrative_unit_id",
            parameter_name="administrative_unit__id__exact",
        ),
    )
    list_select_related = ("plan", "administrative_unit")
    search_fields = ("title", "craft", "venue", "host_establishment__name")
    date_hierarchy = "start_date"
    autocomplete_fields = ("plan", "host_establishment", "administrative_unit")
    readonly_fields = ("duration", "participant_count_display", "counterpart")
    fieldsets = (
        (None, {"fields": ("plan", "kind", "title", "craft", "status")}),
        (
            _("Địa điểm và thời gian"),
            {
                "fields": (
                    "host_establishment",
                    "administrative_unit",
                    "venue",
                    ("start_date", "end_date", "duration"),
                )
            },
        ),
        (
            _("Quy mô và kinh phí"),
            {
                "fields": (
                    ("planned_participants", "participant_count_display"),
                    ("total_budget", "support_budget", "counterpart"),
                )
            },
        ),
        (
            _("Kết quả sau khóa học"),
            {"fields": (("employed_after", "average_monthly_income"), "note")},
        ),
    )
    inlines = [ParticipantInline]

    def get_search_results(self, request, queryset, search_term):
        """Also find the courses of a participant by ID number, through a subquery
        on the indexed ID: as a search field (`=participants__id_number`) it joins
        every participant and makes the list DISTINCT (18 s at national size)."""
        results, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        digits = re.sub(r"[\s.\-]", "", search_term or "")
        if digits.isdigit() and len(digits) == 12:
            courses = Participant.objects.filter(id_number=digits).values("course_id")
            results = results | queryset.filter(AnyOf("pk", courses))
        return results, may_have_duplicates

    @admin.display(description=_("năm"), ordering="plan__year")
    def plan_year(self, obj):
        return obj.plan.year

    @admin.display(description=_("số ngày"))
    def duration(self, obj):
        return obj.duration_days if obj and obj.pk else "–"

    @admin.display(description=_("số học viên"), ordering="participant_count")
    def participant_count_display(self, obj):
        return obj.participant_count if obj and obj.pk else "–"

    @admin.display(description=_("hỗ trợ (đồng)"), ordering="support_budget")
    def support_budget_display(self, obj):
        return money(obj.support_budget)

    @admin.display(description=_("đối ứng (đồng)"))
    def counterpart(self, obj):
        return money(obj.counterpart_budget) if obj and obj.pk else "–"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in form.instance.warnings():
            messages.warning(request, warning)


# The units that organised courses, for the participant list: the courses table
# is forty times smaller than the participants' and indexed by unit.
CourseUnitFilter = units_in_use_filter(
    TrainingCourse,
    path="course__administrative_unit_id",
    title=_("đơn vị tổ chức lớp"),
    # A name without "__": Django's lookup_allowed refuses a two-hop relation
    # path as a filter parameter ("Filtering by ... not allowed").
    parameter_name="don_vi",
)


@admin.register(Participant)
class ParticipantAdmin(SearchVariantsMixin, ScopedAdminMixin, RegisterAdmin):
    list_display = (
        "full_name",
        "id_number",
        "birth_year",
        "gender",
        "course",
        "course_unit",
        "completed",
        "certificate_number",
    )
    list_filter = (
        plan_year_filter("course__plan__year"),
        course_family_filter("course__kind"),
        "course__kind",
        "gender",
        "completed",
        CourseUnitFilter,
    )
    list_select_related = ("course", "course__administrative_unit")
    # The ID number compared as typed (digits), not `=id_number`: Django's "="
    # compares UPPER(id_number), which no index answers. Names, course titles and
    # certificate numbers are found by any part (trigram indexes, migration 0008).
    search_fields = (
        "id_number__exact",
        "full_name",
        "course__title",
        "certificate_number",
    )
    search_help_text = _(
        "Tìm theo họ tên, tên lớp hoặc số chứng chỉ (gõ một phần là đủ), hoặc "
        "theo số CCCD đủ 12 chữ số."
    )
    # No date hierarchy: its list of years scans every participant joined to its
    # course (0.65 s at two million rows); the plan-year filter says the same.
    autocomplete_fields = ("course", "administrative_unit", "establishment")

    @admin.display(
        description=_("đơn vị tổ chức lớp"), ordering="course__administrative_unit"
    )
    def course_unit(self, obj):
        return obj.course.administrative_unit


# --------------------------------------------------------------- trade events


@admin.register(TradeEvent)
class TradeEventAdmin(ScopedAdminMixin, RegisterAdmin):
    list_display = (
        "name",
        "kind",
        "location",
        "plan_year",
        "start_date",
        "end_date",
        "duration",
        "administrative_unit",
        "booths",
        "supported_booths",
        "support_amount_display",
        "establishment_count",
        "village_count",
    )
    list_filter = (
        plan_year_filter("plan__year"),
        "kind",
        "location",
        units_in_use_filter(
            TradeEvent,
            path="administrative_unit_id",
            parameter_name="administrative_unit__id__exact",
        ),
    )
    list_select_related = ("plan", "administrative_unit")
    search_fields = ("name", "venue", "organiser")
    date_hierarchy = "start_date"
    autocomplete_fields = (
        "plan",
        "administrative_unit",
        "establishments",
        "villages",
    )
    readonly_fields = ("duration",)
    fieldsets = (
        (None, {"fields": ("plan", "name", "kind", "location", "organiser")}),
        (
            _("Thời gian và địa điểm"),
            {
                "fields": (
                    ("start_date", "end_date", "duration"),
                    "venue",
                    "administrative_unit",
                )
            },
        ),
        (
            _("Quy mô, kinh phí và kết quả"),
            {
                "fields": (
                    ("booths", "supported_booths"),
                    "support_amount",
                    "transaction_value",
                    "establishments",
                    "villages",
                    "note",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                establishment_total=related_count(
                    TradeEvent.establishments.through, "tradeevent"
                ),
                village_total=related_count(TradeEvent.villages.through, "tradeevent"),
            )
        )

    @admin.display(description=_("năm"), ordering="plan__year")
    def plan_year(self, obj):
        return obj.plan.year

    @admin.display(description=_("số ngày"))
    def duration(self, obj):
        return obj.duration_days if obj and obj.pk else "–"

    @admin.display(description=_("kinh phí hỗ trợ (đồng)"), ordering="support_amount")
    def support_amount_display(self, obj):
        return money(obj.support_amount)

    @admin.display(description=_("số cơ sở tham gia"), ordering="establishment_total")
    def establishment_count(self, obj):
        return obj.establishment_total

    @admin.display(description=_("số làng nghề tham gia"), ordering="village_total")
    def village_count(self, obj):
        return obj.village_total


# ------------------------------------------------------------ equipment projects

# Filled by the workflow steps only, never typed into the change form: the steps
# check them (the SupportRule cap, settled ≤ approved...).
EQUIPMENT_STEP_FIELDS = (
    "surveyed_on",
    "forwarded_on",
    "decision",
    "decided_on",
    "approved_support",
    "advanced_amount",
    "advanced_on",
    "accepted_on",
    "acceptance_notes",
    "settled_amount",
    "settled_on",
    "rejected_on",
    "rejection_reason",
)
# Once the City has decided, what it decided on stays as it was.
EQUIPMENT_DECIDED_FIELDS = (
    "plan",
    "establishment",
    "activity",
    "funding_source",
    "total_cost",
    "requested_support",
)


@admin.register(EquipmentProject)
class EquipmentProjectAdmin(
    WorkflowAdminMixin, AttachmentAdminMixin, ScopedAdminMixin, RegisterAdmin
):
    workflow = EQUIPMENT_WORKFLOW
    list_display = (
        "title",
        "establishment",
        "unit",
        "plan",
        "status",
        "requested_display",
        "approved_display",
        "settled_display",
    )
    list_filter = (
        "status",
        "plan",
        "activity",
        "funding_source",
        "establishment__administrative_unit",
    )
    list_select_related = ("plan", "establishment__administrative_unit")
    search_fields = (
        "title",
        "description",
        "establishment__name",
        "establishment__tax_code",
    )
    date_hierarchy = "registered_on"
    autocomplete_fields = ("establishment",)
    inlines = [AttachmentInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "plan",
                    "establishment",
                    "title",
                    "activity",
                    "description",
                    "funding_source",
                    "status",
                    "registered_on",
                )
            },
        ),
        (
            _("Kinh phí"),
            {
                "fields": (
                    "total_cost",
                    "requested_support",
                    "approved_support",
                    "counterpart_display",
                    "advanced_amount",
                    "settled_amount",
                )
            },
        ),
        (_("Khảo sát"), {"fields": ("surveyed_on", "survey_notes")}),
        (
            _("Quyết định"),
            {
                "fields": (
                    "forwarded_on",
                    "decision",
                    "decided_on",
                    "rejected_on",
                    "rejection_reason",
                )
            },
        ),
        (
            _("Triển khai, nghiệm thu, quyết toán"),
            {
                "fields": (
                    "advanced_on",
                    "accepted_on",
                    "acceptance_notes",
                    "settled_on",
                )
            },
        ),
    )
    actions = [
        WorkflowAdminMixin.bulk_step_action(
            "forward",
            _("Trình UBND Thành phố các đề án đã chọn (tải danh sách Excel)"),
        ),
        "download_forward_list",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "counterpart_display"]
        fields += [f for f in EQUIPMENT_STEP_FIELDS if f not in fields]
        if obj is not None and obj.status in EQUIPMENT_APPROVED_STATES:
            fields += [f for f in EQUIPMENT_DECIDED_FIELDS if f not in fields]
        return fields

    def get_actions(self, request):
        # Offer a step as a bulk action only to those who may take it.
        actions = super().get_actions(request)
        for name in list(actions):
            if name.startswith("bulk_"):
                step = self.workflow.get(name.removeprefix("bulk_"))
                if not user_may(step, request.user):
                    del actions[name]
        return actions

    @admin.display(description=_("đơn vị hành chính"))
    def unit(self, obj):
        return obj.establishment.administrative_unit

    @admin.display(description=_("đề nghị hỗ trợ"), ordering="requested_support")
    def requested_display(self, obj):
        return money(obj.requested_support)

    @admin.display(description=_("được duyệt"), ordering="approved_support")
    def approved_display(self, obj):
        return "" if obj.approved_support is None else money(obj.approved_support)

    @admin.display(description=_("quyết toán"), ordering="settled_amount")
    def settled_display(self, obj):
        return "" if obj.settled_amount is None else money(obj.settled_amount)

    @admin.display(description=_("kinh phí đối ứng (đồng)"))
    def counterpart_display(self, obj):
        value = obj.counterpart if obj else None
        return "" if value is None else money(value)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in form.instance.warnings():
            messages.warning(request, warning)

    def workflow_after_bulk_step(self, request, objs, step):
        if step.name != "forward":
            return None
        return self._forward_list_response(
            [p.pk for p in objs], on=timezone.localdate()
        )

    @admin.action(
        description=_("Tải lại danh sách trình UBND của các đề án đã chọn (Excel)"),
        permissions=["view"],
    )
    def download_forward_list(self, request, queryset):
        not_forwarded = [str(p) for p in queryset if p.forwarded_on is None]
        if not_forwarded:
            self.message_user(
                request,
                gettext("Các đề án sau chưa được trình UBND: %(names)s.")
                % {"names": "; ".join(not_forwarded)},
                messages.ERROR,
            )
            return None
        last = max(p.forwarded_on for p in queryset)
        return self._forward_list_response([p.pk for p in queryset], on=last)

    def _forward_list_response(self, pks: list[int], *, on) -> HttpResponse:
        projects = (
            EquipmentProject.objects.filter(pk__in=pks)
            .select_related("establishment__administrative_unit")
            .order_by("establishment__administrative_unit__code", "title")
        )
        response = HttpResponse(
            equipment_forward_list_xlsx(projects=projects, on=on),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
        response["Content-Disposition"] = (
            f'attachment; filename="danh-sach-de-an-trinh-ubnd-{on:%Y%m%d}.xlsx"'
        )
        return response
