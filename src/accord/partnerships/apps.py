from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "accord.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships and the post-hire loop"
