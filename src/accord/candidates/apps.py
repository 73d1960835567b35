from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "accord.candidates"
    label = "candidates"
    verbose_name = "Candidates"
