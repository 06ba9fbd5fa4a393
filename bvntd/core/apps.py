from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bvntd.core"
    label = "core"
