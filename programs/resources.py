"""Import/export of the programme registers (see khuyencong/importing).

Natural keys: a plan by its year; a target by plan and indicator; an
establishment by tax code (by name and unit when it has none); a course by plan,
title and unit; a participant by course and ID number; an event by plan and name.
"""

import re

from django.utils.translation import gettext as _

from clusters.models import IndustrialCluster
from khuyencong import parsers
from khuyencong.importing import widgets as w
from khuyencong.importing.resources import Field, RegisterResource
from programs.models import (
    EquipmentProject,
    Establishment,
    Participant,
    Plan,
    PlanTarget,
    TradeEvent,
    TrainingCourse,
    same_place,
)
from programs.participant_counts import count_added
from villages.models import CraftVillage


class DigitsWidget(w.TextWidget):
    """An identifier Excel may have turned into a number, losing its leading
    zeros: every Hanoi CCCD starts with 001, many tax codes with 0."""

    def __init__(self, digits: int, **kwargs):
        super().__init__(**kwargs)
        self.digits = digits

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if float(value).is_integer():
                return str(int(value)).zfill(self.digits)
        return super().clean(value, row, **kwargs)


class PhoneWidget(w.TextWidget):
    """A phone number typed into a number cell: 912345678 was 0912345678."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if float(value).is_integer():
                return "0" + str(int(value))
        return super().clean(value, row, **kwargs)


class NamedInUnitWidget(w.NaturalKeyWidget):
    """A craft village or a cluster by its name; when two units have one of that
    name, the row's unit (column "Đơn vị hành chính") tells which."""

    def __init__(self, model, unit_column="Đơn vị hành chính", **kwargs):
        super().__init__(model, field="name", **kwargs)
        self.unit_column = unit_column
        self._units = None

    def prefetch(self, values) -> None:
        keys = {self.key(v) for v in values} - {""}
        wanted = {parsers.text_key(k) for k in keys}
        found = {}
        for obj in self.model._default_manager.select_related("administrative_unit"):
            name = parsers.text_key(obj.name)
            if name in wanted:
                found.setdefault(name, []).append(obj)
        for key in keys:
            self._cache[key] = found.get(parsers.text_key(key), [])

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if not key:
            return None
        if key not in self._cache:
            self.prefetch([key])
        candidates = self._cache[key]
        if len(candidates) > 1 and row and row.get(self.unit_column):
            if self._units is None:
                from khuyencong.models import AdministrativeUnit

                self._units = w.UnitIndex(AdministrativeUnit.objects.all())
            try:
                unit = self._units.resolve(row[self.unit_column])
            except ValueError:
                unit = None
            if unit is not None:
                candidates = [
                    c for c in candidates if same_place(c.administrative_unit, unit)
                ]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ValueError(
                _("Không tìm thấy %(model)s “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "value": key}
            )
        raise ValueError(
            _("Có %(count)s %(model)s tên “%(value)s” ở các đơn vị khác nhau.")
            % {
                "count": len(candidates),
                "model": self.model._meta.verbose_name,
                "value": key,
            }
        )


class PlanWidget(w.NaturalKeyWidget):
    """A plan by its year: "2019" or "Kế hoạch khuyến công năm 2019"."""

    def __init__(self, **kwargs):
        super().__init__(Plan, field="year", **kwargs)

    def key(self, value):
        text = super().key(value)
        found = re.findall(r"\b(\d{4})\b", text)
        return found[-1] if found else text


class CourseWidget(w.NaturalKeyWidget):
    """A course by the code the list shows ("#12", "12") or written as exported
    ("Lớp truyền nghề mây tre đan (#12)"), or by its exact title if no other
    course has that title."""

    CODE = re.compile(r"(?:^|\(\s*)#?\s*(\d+)\s*\)?$")

    def __init__(self, **kwargs):
        super().__init__(TrainingCourse, field="pk", **kwargs)

    def code(self, key: str) -> int | None:
        match = self.CODE.search(key)
        return int(match.group(1)) if match else None

    def prefetch(self, values) -> None:
        keys = {self.key(v) for v in values} - {""} - set(self._cache)
        codes = {k: self.code(k) for k in keys}
        by_pk = TrainingCourse.objects.in_bulk(
            [c for c in codes.values() if c is not None]
        )
        titles = [k for k, c in codes.items() if c is None]
        by_title = {}
        for course in TrainingCourse.objects.filter(title__in=titles):
            by_title.setdefault(parsers.text_key(course.title), []).append(course)
        for key, code in codes.items():
            if code is not None:
                self._cache[key] = by_pk.get(code)
            else:
                found = by_title.get(parsers.text_key(key), [])
                self._cache[key] = found[0] if len(found) == 1 else found or None

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if not key:
            return None
        if key not in self._cache:
            self.prefetch([key])
        found = self._cache[key]
        if isinstance(found, list):
            raise ValueError(
                _(
                    "Có %(count)s lớp tên “%(value)s”: ghi mã lớp (ví dụ #12) như "
                    "trong danh sách lớp."
                )
                % {"count": len(found), "value": key}
            )
        if found is None:
            raise ValueError(
                _("Không tìm thấy lớp đào tạo “%(value)s”.") % {"value": key}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{value.title} (#{value.pk})"


class PlanResource(RegisterResource):
    class Meta:
        model = Plan
        fields = ("year", "title", "document", "total_budget", "note")
        import_id_fields = ("year",)

    def get_queryset(self):
        return super().get_queryset().select_related("document")


class PlanTargetResource(RegisterResource):
    plan = Field(attribute="plan", column_name="Kế hoạch (năm)", widget=PlanWidget())

    class Meta:
        model = PlanTarget
        fields = ("plan", "indicator", "target_value", "note")
        import_id_fields = ("plan", "indicator")

    def get_queryset(self):
        return super().get_queryset().select_related("plan")


class EstablishmentResource(RegisterResource):
    tax_code = Field(
        attribute="tax_code", column_name="Mã số thuế", widget=DigitsWidget(10)
    )
    phone = Field(attribute="phone", column_name="Điện thoại", widget=PhoneWidget())
    craft_village = Field(
        attribute="craft_village",
        column_name="Làng nghề",
        widget=NamedInUnitWidget(CraftVillage),
    )
    industrial_cluster = Field(
        attribute="industrial_cluster",
        column_name="Cụm công nghiệp",
        widget=NamedInUnitWidget(IndustrialCluster),
    )
    alternate_import_id_fields = ("name", "administrative_unit")

    class Meta:
        model = Establishment
        fields = (
            "name",
            "kind",
            "tax_code",
            "representative",
            "phone",
            "administrative_unit",
            "address",
            "sector",
            "employees",
            "craft_village",
            "industrial_cluster",
        )
        import_id_fields = ("tax_code",)

    def get_queryset(self):
        return super().get_queryset().select_related("administrative_unit")


class TrainingCourseResource(RegisterResource):
    plan = Field(attribute="plan", column_name="Kế hoạch (năm)", widget=PlanWidget())
    host_establishment = Field(
        attribute="host_establishment",
        column_name="Cơ sở tổ chức (mã số thuế)",
        widget=w.NaturalKeyWidget(Establishment, field="tax_code"),
    )

    class Meta:
        model = TrainingCourse
        fields = (
            "plan",
            "kind",
            "title",
            "craft",
            "host_establishment",
            "administrative_unit",
            "venue",
            "start_date",
            "end_date",
            "planned_participants",
            "total_budget",
            "support_budget",
            "status",
            "employed_after",
            "average_monthly_income",
            "note",
        )
        import_id_fields = ("plan", "title", "administrative_unit")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("plan", "host_establishment", "administrative_unit")
        )


class ParticipantResource(RegisterResource):
    course = Field(attribute="course", column_name="Lớp đào tạo", widget=CourseWidget())
    id_number = Field(
        attribute="id_number", column_name="Số CCCD", widget=DigitsWidget(12)
    )
    establishment = Field(
        attribute="establishment",
        column_name="Cơ sở (mã số thuế)",
        widget=w.NaturalKeyWidget(Establishment, field="tax_code"),
    )

    class Meta:
        model = Participant
        fields = (
            "course",
            "full_name",
            "birth_year",
            "gender",
            "id_number",
            "administrative_unit",
            "establishment",
            "completed",
            "certificate_number",
        )
        import_id_fields = ("course", "id_number")

    def get_queryset(self):
        return super().get_queryset().select_related("course")

    def after_bulk_write(self, instances, *, create: bool) -> None:
        # An update keeps the course (it identifies the row): only new rows count.
        if create:
            count_added(instances)


class TradeEventResource(RegisterResource):
    plan = Field(attribute="plan", column_name="Kế hoạch (năm)", widget=PlanWidget())

    class Meta:
        model = TradeEvent
        fields = (
            "plan",
            "name",
            "kind",
            "location",
            "administrative_unit",
            "start_date",
            "end_date",
            "venue",
            "organiser",
            "booths",
            "supported_booths",
            "support_amount",
            "transaction_value",
            "note",
        )
        import_id_fields = ("plan", "name")

    def get_queryset(self):
        return super().get_queryset().select_related("plan")


class EquipmentProjectResource(RegisterResource):
    """Projects move only through their workflow (registered, surveyed, forwarded,
    decided...): exported, never imported."""

    import_allowed = False

    plan = Field(attribute="plan", column_name="Kế hoạch (năm)", widget=PlanWidget())
    establishment = Field(
        attribute="establishment",
        column_name="Cơ sở đề nghị hỗ trợ",
        widget=w.NaturalKeyWidget(Establishment, field="name"),
    )

    class Meta:
        model = EquipmentProject
        fields = (
            "plan",
            "establishment",
            "title",
            "activity",
            "funding_source",
            "total_cost",
            "requested_support",
            "approved_support",
            "advanced_amount",
            "settled_amount",
            "status",
            "registered_on",
            "surveyed_on",
            "forwarded_on",
            "decision",
            "decided_on",
            "accepted_on",
            "settled_on",
            "rejected_on",
        )
        import_id_fields = ("plan", "establishment", "title")

    def get_queryset(self):
        return (
            super().get_queryset().select_related("plan", "establishment", "decision")
        )
