from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from khuyencong import views

core_patterns = (
    [path("tep/<uuid:uid>/", views.attachment_download, name="attachment-download")],
    "khuyencong",
)

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include(core_patterns)),
    path("huyen/", include("villages.urls")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/tai-ve/", views.dashboard_export, name="dashboard-export"),
    path("cong-khai/", views.public_report_index, name="public-report-index"),
    path("bao-cao/<int:year>/", views.public_report, name="public-report"),
    path(
        "cong-khai/cum-cong-nghiep/",
        views.public_list,
        {"kind": "clusters"},
        name="public-clusters",
    ),
    path(
        "cong-khai/lang-nghe/",
        views.public_list,
        {"kind": "villages"},
        name="public-villages",
    ),
    path(
        "cong-khai/du-an-ho-tro/",
        views.public_list,
        {"kind": "projects"},
        name="public-projects",
    ),
    path(
        "cong-khai/hoi-cho/",
        views.public_list,
        {"kind": "events"},
        name="public-events",
    ),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    # Resolved per request: the manifest of collected static files may not exist
    # when the URLs are loaded (e.g. by `check --deploy` before `collectstatic`).
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True),
    ),
]
