from django.apps import AppConfig


class BusinessesConfig(AppConfig):
    name = "bvntd.businesses"
    verbose_name = "Doanh nghiệp"
