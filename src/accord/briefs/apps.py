from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "accord.briefs"
    label = "briefs"
    verbose_name = "Briefs"
