"""Operations interrupted by a fault leave the data as it was before them."""

import logging
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from khuyencong.backup import dump_rows_for_comparison
from khuyencong.models import WorkflowLog
from tests.faults.db_faults import insert_fails
from tests.khuyencong.factories import LegalDocumentFactory
from tests.villages.factories import (
    BrandingActivityFactory,
    BrandingApplicationFactory,
    CraftVillageFactory,
)
from villages.models import ApplicationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(unit_a, officer_a):
    app = BrandingApplicationFactory(
        village=CraftVillageFactory(administrative_unit=unit_a),
        filed_by=officer_a,
        status=ApplicationStatus.SUBMITTED,
    )
    BrandingActivityFactory(application=app)
    return app


def step_url(app, transition):
    return reverse(
        "admin:villages_brandingapplication_workflow_step", args=[app.pk, transition]
    )


def test_a_workflow_step_interrupted_by_a_database_error_leaves_the_previous_state(
    client, staff_user, submitted
):
    client.force_login(staff_user)
    client.raise_request_exception = False
    history_before = submitted.history.count()
    with insert_fails(WorkflowLog._meta.db_table):
        response = client.post(step_url(submitted, "tiep_nhan"), {"comment": "x"})
    assert response.status_code == 500
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert not WorkflowLog.objects.exists()
    assert submitted.history.count() == history_before

    # The fault gone, the same step goes through.
    response = client.post(step_url(submitted, "tiep_nhan"), {"comment": "x"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.UNDER_REVIEW
    assert WorkflowLog.objects.count() == 1


def test_a_mail_server_down_does_not_undo_or_break_a_workflow_step(
    client, staff_user, submitted, settings, caplog, django_capture_on_commit_callbacks
):
    # Nothing listens on port 9 here: sending the officer's notice fails.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    settings.EMAIL_TIMEOUT = 5
    submitted.filed_by.email = "canbo@demo.invalid"
    submitted.filed_by.save()
    client.force_login(staff_user)
    client.raise_request_exception = False
    # The mail goes out once the step is committed: run those callbacks as a
    # commit would, with the mail server down.
    with (
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post(
            step_url(submitted, "yeu_cau_bo_sung"), {"comment": "Bổ sung danh sách."}
        )
    assert len(callbacks) == 1
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.NEEDS_SUPPLEMENT
    assert WorkflowLog.objects.count() == 1
    assert response.status_code == 302, "the step was saved; the page must say so"
    assert any("on_commit" in r.getMessage() for r in caplog.records)


def test_a_restore_interrupted_halfway_leaves_the_database_as_it_was(tmp_path):
    LegalDocumentFactory(number="51/KH-UBND")
    call_command("backup", output=str(tmp_path / "b"))
    LegalDocumentFactory(number="chỉ có sau bản sao lưu")
    before = dump_rows_for_comparison()
    files_before = sorted(Path(p).name for p in tmp_path.rglob("media/**/*"))
    try:
        with (
            insert_fails("khuyencong_legaldocument"),
            pytest.raises(DatabaseError, match="su co gia lap"),
        ):
            call_command("restore", str(tmp_path / "b"), replace=True)
    finally:
        ContentType.objects.clear_cache()
    assert dump_rows_for_comparison() == before
    assert sorted(Path(p).name for p in tmp_path.rglob("media/**/*")) == files_before
