from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "bvntd.stats"
    label = "stats"
