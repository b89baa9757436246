from django.urls import path

from villages import views

app_name = "villages"

urlpatterns = [
    path("", views.portal_home, name="portal-home"),
    path("lang-nghe/<int:pk>/", views.village_detail, name="village-detail"),
    path("ho-so/tao/", views.application_create, name="application-create"),
    path("ho-so/<int:pk>/", views.application_detail, name="application-detail"),
    path("ho-so/<int:pk>/sua/", views.application_update, name="application-update"),
    path("ho-so/<int:pk>/nop/", views.application_submit, name="application-submit"),
    path(
        "ho-so/<int:pk>/tai-lieu/",
        views.application_document_add,
        name="application-document-add",
    ),
    path(
        "ho-so/<int:pk>/tai-lieu/<uuid:uid>/xoa/",
        views.application_document_remove,
        name="application-document-remove",
    ),
]
