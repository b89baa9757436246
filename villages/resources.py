"""Import/export of the village registers (see khuyencong/importing).

Natural keys: a craft village by its name within a unit; a branding call by year
and title. Branding applications move only through their workflow: their
resource exports the list (for the City, for the department) and imports nothing.
"""

from khuyencong.importing import widgets as w
from khuyencong.importing.resources import Field, RegisterResource
from villages.models import BrandingApplication, BrandingCall, CraftVillage


class CraftVillageResource(RegisterResource):
    class Meta:
        model = CraftVillage
        fields = (
            "name",
            "administrative_unit",
            "hamlet",
            "crafts",
            "title",
            "recognition_document",
            "recognition_year",
            "households_total",
            "households_in_trade",
            "workers",
            "craft_started_year",
            "stable_production_since",
            "trademark_number",
            "trademark_date",
        )
        import_id_fields = ("administrative_unit", "name")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("administrative_unit", "recognition_document")
        )


class BrandingCallResource(RegisterResource):
    class Meta:
        model = BrandingCall
        fields = ("year", "title", "document", "opens_on", "deadline", "note")
        import_id_fields = ("year", "title")


class CallWidget(w.NaturalKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(BrandingCall, field="title", **kwargs)


class VillageWidget(w.NaturalKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(CraftVillage, field="name", **kwargs)


class BrandingApplicationResource(RegisterResource):
    import_allowed = False

    call = Field(attribute="call", column_name="Đợt đăng ký", widget=CallWidget())
    village = Field(
        attribute="village", column_name="Làng nghề", widget=VillageWidget()
    )

    class Meta:
        model = BrandingApplication
        fields = (
            "call",
            "village",
            "administrative_unit",
            "contact_name",
            "contact_phone",
            "status",
            "submitted_at",
            "decision",
            "approved_amount",
            "logo_done",
            "trademark_status",
            "result_note",
        )
        import_id_fields = ("call", "village")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("call", "village", "administrative_unit", "decision")
        )
