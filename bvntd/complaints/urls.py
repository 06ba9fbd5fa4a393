from django.urls import path

from bvntd.routing import views as routing_views

from . import views

app_name = "complaints"
urlpatterns = [
    path("khieu-nai/moi/", views.file_complaint, name="file"),
    path("khieu-nai/da-gui/", views.filed, name="filed"),
    path("khieu-nai/xa-phuong/", views.communes, name="communes"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", views.track, name="track"),
    path("tra-cuu/<str:code>/<slug:action>/", views.track, name="track_action"),
    path("can-bo/ho-so/", views.staff_inbox, name="inbox"),
    path("can-bo/dieu-phoi/", routing_views.board, name="board"),
    path("can-bo/dieu-phoi/<slug:agency_code>/<slug:metric>/", routing_views.board_cases, name="board_cases"),
    path("can-bo/tong-dai/moi/", views.hotline_complaint, name="hotline"),
    path("can-bo/ho-so/<str:code>/", views.staff_case, name="case"),
    path("can-bo/ho-so/<str:code>/tep/<int:attachment_id>/", views.staff_attachment, name="attachment"),
    path("can-bo/ho-so/<str:code>/chuyen/<slug:step>/", routing_views.transfer_step, name="transfer"),
    path("can-bo/ho-so/<str:code>/phoi-hop/<slug:step>/", routing_views.task_step, name="task"),
    path("can-bo/ho-so/<str:code>/<slug:action>/", views.staff_action, name="action"),
]
