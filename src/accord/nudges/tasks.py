"""The nudge dispatcher's heartbeat: one round every NUDGE_TICK_SECONDS, queued by the worker.

Each round reads what is due from the database, so a worker that was down catches up on its
first round, and a round that fails still queues the next.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from accord.nudges.services import dispatch

logger = logging.getLogger(__name__)


def _task_path() -> str:
    return f"{nudges_tick.func.__module__}.{nudges_tick.func.__name__}"


def _already_waiting() -> bool:
    """A round already queued (database backend only; RQ's scheduler has its own registry)."""
    if settings.TASK_BACKEND != "database":
        return False
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=_task_path(), status=TaskResultStatus.READY
    ).exists()


def _forget_old_rounds() -> None:
    """Rounds leave a result row each; keep an hour of them, not a million."""
    if settings.TASK_BACKEND != "database":
        return
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path=_task_path(),
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=timezone.now() - timedelta(hours=1),
    ).delete()


def schedule_tick() -> None:
    """Queue the next round unless one is waiting. The worker calls this when it starts."""
    if settings.TASK_BACKEND == "immediate" or _already_waiting():
        return
    run_after = timezone.now() + timedelta(seconds=settings.NUDGE_TICK_SECONDS)
    nudges_tick.using(run_after=run_after).enqueue()


def _round(name: str, work: Callable[[], int]) -> int:
    """One part of a round, isolated: a part that fails must not hold back the others."""
    try:
        return work()
    except Exception:
        logger.exception("%s failed this round", name)
        return 0


@task
def nudges_tick() -> dict[str, int]:
    # Status reports, post-hire surveys and check-in reminders ride the same heartbeat
    # (imported here: those apps build on nudges, not the other way round).
    from accord.partnerships.services import checkins_remind
    from accord.partnerships.survey_delivery import surveys_deliver
    from accord.reports.services import deliver_due

    try:
        reports = _round("Scheduled status reports", deliver_due)
        surveys = _round("Post-hire surveys", surveys_deliver)
        checkins = _round("Check-in reminders", checkins_remind)
        result = dispatch()
        _forget_old_rounds()
        return {
            "messages": result.messages,
            "sent": result.sent,
            "held": result.held,
            "reports": reports,
            "surveys": surveys,
            "checkins": checkins,
        }
    finally:
        schedule_tick()
