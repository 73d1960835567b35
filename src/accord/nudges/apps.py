from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "accord.nudges"
    label = "nudges"
    verbose_name = "Commitments and nudges"
