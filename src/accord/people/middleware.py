from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class TimeZoneMiddleware:
    """Show every date and time in the signed-in person's own time zone.

    The zone is set for the request only: the thread goes back to the site's zone afterwards, so
    whatever it runs next (a test, a task run in the same process) is not in someone's zone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = ZoneInfo(user.time_zone) if user is not None and user.is_authenticated else None
        with timezone.override(zone):
            return self.get_response(request)
