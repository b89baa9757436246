"""The base of every register's admin.

Cross-cutting admin behaviour plugs in here, once, for every register: history of
changes (django-simple-history), import/export (issue 7), protection against lost
updates (issue 11). App admins subclass RegisterAdmin and never re-implement these."""

from simple_history.admin import SimpleHistoryAdmin

from khuyencong.concurrency import ConcurrencyAdminMixin
from khuyencong.importing.admin import RegisterImportExportMixin


class RegisterAdmin(
    ConcurrencyAdminMixin, RegisterImportExportMixin, SimpleHistoryAdmin
):
    list_per_page = 50
    # Counting every row of a large table on each page is what makes changelists
    # slow at scale; the filtered count is still shown.
    show_full_result_count = False
    save_on_top = True
