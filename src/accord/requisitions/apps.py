from django.apps import AppConfig


class RequisitionsConfig(AppConfig):
    name = "accord.requisitions"
    label = "requisitions"
    verbose_name = "Requisitions"
