from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from accord.workspaces.access import public


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and `make run`: answers once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
