from django.urls import path

from . import views

app_name = "businesses"
urlpatterns = [
    # The business portal and its invitation.
    path("doanh-nghiep/", views.portal_home, name="portal"),
    path("doanh-nghiep/ho-so/<str:code>/", views.portal_case, name="portal_case"),
    path("doanh-nghiep/ho-so/<str:code>/<slug:step>/", views.portal_case, name="portal_step"),
    path("doanh-nghiep/loi-moi/<str:token>/", views.invitation, name="invitation"),
    # The public scorecards.
    path("cong-khai/doanh-nghiep/", views.public_list, name="public_list"),
    path("cong-khai/doanh-nghiep/<int:pk>/", views.public_scorecard, name="public"),
    # Staff: the registry, imports, alerts.
    path("can-bo/doanh-nghiep/", views.registry_list, name="registry"),
    path("can-bo/doanh-nghiep/moi/", views.business_new, name="new"),
    path("can-bo/doanh-nghiep/nhap/", views.import_new, name="import_new"),
    path("can-bo/doanh-nghiep/nhap/<int:pk>/", views.import_detail, name="import"),
    path("can-bo/doanh-nghiep/nhap/<int:pk>/loi.csv", views.import_errors_csv, name="import_errors"),
    path("can-bo/doanh-nghiep/nhap/<int:pk>/<slug:step>/", views.import_step, name="import_step"),
    path("can-bo/doanh-nghiep/<int:pk>/", views.business_detail, name="detail"),
    path("can-bo/doanh-nghiep/<int:pk>/<slug:action>/", views.business_action, name="action"),
    path("can-bo/canh-bao/", views.alert_list, name="alerts"),
    path("can-bo/canh-bao/<int:pk>/", views.alert_detail, name="alert"),
    # Staff: the case page's business and mediation steps.
    path("can-bo/ho-so/<str:code>/doanh-nghiep/<slug:step>/", views.case_business_step, name="case_step"),
    path("can-bo/ho-so/<str:code>/hoa-giai/<slug:step>/", views.mediation_step, name="mediation_step"),
    path(
        "can-bo/ho-so/<str:code>/hoa-giai/<int:session_id>/bien-ban.pdf",
        views.mediation_pdf,
        name="mediation_pdf",
    ),
]
