from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Render every form with Bootstrap's markup (templates/forms/ and widget overrides)."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
