"""The daily retention job: candidates past their retention date are erased."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from accord.candidates.services import imports_purge, retention_purge

PURGE_AT = time(3, 0)


def _next_run(now: datetime) -> datetime:
    today = timezone.localtime(now)
    at = today.replace(hour=PURGE_AT.hour, minute=PURGE_AT.minute, second=0, microsecond=0)
    return at if at > today else at + timedelta(days=1)


def _already_waiting() -> bool:
    """A purge already queued (database backend only; RQ's scheduler has its own registry)."""
    if settings.TASK_BACKEND != "database":
        return False
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    path = f"{purge_expired_candidates.func.__module__}.{purge_expired_candidates.func.__name__}"
    return DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists()


def schedule_purge() -> None:
    """Queue the next daily purge unless one is waiting. The worker calls this when it starts."""
    if settings.TASK_BACKEND == "immediate" or _already_waiting():
        return
    purge_expired_candidates.using(run_after=_next_run(timezone.now())).enqueue()


@task
def purge_expired_candidates() -> int:
    """Erase every candidate whose retention date has passed and delete old import reports,
    then queue tomorrow's run."""
    try:
        imports_purge()
        return retention_purge()
    finally:
        schedule_purge()  # tomorrow's run is queued whatever happened today
