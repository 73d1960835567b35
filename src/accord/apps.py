from django.apps import AppConfig


class AccordConfig(AppConfig):
    """The project package itself: shared templates, static files and operator commands."""

    name = "accord"
    verbose_name = "Accord"
