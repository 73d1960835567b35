from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    """Show a refused action's reasons on the page the person is sent back to."""
    for text in error.messages:
        messages.error(request, text)


def form_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form that was posted: each reason beside its field, and
    reasons about anything the form has no field for at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
