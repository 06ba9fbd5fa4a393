from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "bvntd.complaints"
    label = "complaints"
