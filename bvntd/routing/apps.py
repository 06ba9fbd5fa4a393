from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "bvntd.routing"
    label = "routing"
