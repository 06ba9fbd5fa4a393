from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "bvntd.agencies"
    label = "agencies"
