from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "accord.demo"
    label = "demo"
    verbose_name = "Demo workspace"
