from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    """Show a refused action's reasons on the page the person is sent back to."""
    for text in error.messages:
        messages.error(request, text)
