"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import django; django.setup(); print('started')"


def run(env_overrides, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    env.update({"DJANGO_SETTINGS_MODULE": "khuyencong.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run({}, "-c", PROBE)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY chưa được đặt" in result.stderr


def test_debug_starts_without_a_secret_key():
    result = run({"DJANGO_DEBUG": "1"}, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_check_deploy_is_clean_with_production_variables():
    result = run(
        {
            "DJANGO_SECRET_KEY": "x" * 20
            + "-Production-Secret-Key-With-Enough-Entropy-1",
            "DJANGO_ALLOWED_HOSTS": "khuyencong.hanoi.gov.vn",
            "DATABASE_URL": "sqlite:////tmp/khuyencong-check-deploy.sqlite3",
        },
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_postgresql():
    result = run(
        {
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/khuyencong",
        },
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_collectstatic_with_the_production_manifest_storage_succeeds(tmp_path):
    # A vendored file pointing to a source map that is not vendored makes the
    # manifest storage fail at deploy time; catch it here.
    result = run(
        {
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "khuyencong.hanoi.gov.vn",
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        },
        "manage.py",
        "collectstatic",
        "--noinput",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_manage_py_without_a_secret_says_what_is_missing_in_one_line():
    result = run({}, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "manage.py: DJANGO_SECRET_KEY chưa được đặt. Hãy đặt biến môi trường này "
        "(hoặc DJANGO_DEBUG=1 khi phát triển)."
    )
