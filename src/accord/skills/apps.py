from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "accord.skills"
    label = "skills"
    verbose_name = "Skills"
