from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "bvntd.geo"
    label = "geo"
