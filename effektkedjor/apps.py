from django.apps import AppConfig


class EffektkedjorConfig(AppConfig):
    name = "effektkedjor"
    verbose_name = "Effektkedjor"
