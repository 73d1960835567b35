from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "accord.pipeline"
    label = "pipeline"
    verbose_name = "Pipeline"
