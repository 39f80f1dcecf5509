from django.apps import AppConfig


class MalomradenConfig(AppConfig):
    name = "malomraden"
    verbose_name = "Program och målområden"
