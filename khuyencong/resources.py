"""Import/export of the core registers (see khuyencong/importing)."""

from khuyencong.importing.resources import RegisterResource
from khuyencong.models import AdministrativeUnit, LegalDocument, SupportRule


class AdministrativeUnitResource(RegisterResource):
    class Meta:
        model = AdministrativeUnit
        fields = ("code", "name", "kind", "parent", "valid_from", "valid_until")
        import_id_fields = ("code",)

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class LegalDocumentResource(RegisterResource):
    class Meta:
        model = LegalDocument
        fields = ("number", "kind", "issuer", "issued_on", "summary")
        import_id_fields = ("number",)


class SupportRuleResource(RegisterResource):
    class Meta:
        model = SupportRule
        fields = (
            "activity",
            "funding_source",
            "effective_from",
            "effective_until",
            "max_share_percent",
            "max_amount",
            "max_items",
            "legal_basis",
            "note",
        )
        # One rule per activity, funding source and start date.
        import_id_fields = ("activity", "funding_source", "effective_from")

    def get_queryset(self):
        return super().get_queryset().select_related("legal_basis")
