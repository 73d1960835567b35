from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the background worker for the configured TASK_BACKEND (database or rq)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then exit."
        )

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        verbosity = options["verbosity"]
        if not batch and settings.TASK_BACKEND != "immediate":
            from accord.candidates.tasks import schedule_purge
            from accord.nudges.tasks import nudges_tick

            schedule_purge()  # the daily candidate-retention job
            # The nudge dispatcher: a first round now (catching up on anything that fell due
            # while no worker ran); each round queues the next unless one is already waiting.
            nudges_tick.enqueue()
        if settings.TASK_BACKEND == "database":
            call_command(
                "db_worker", queue_name="*", batch=batch, reload=False, verbosity=verbosity
            )
        elif settings.TASK_BACKEND == "rq":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                burst=batch,
                with_scheduler=not batch,
                verbosity=verbosity,
            )
        else:
            raise CommandError(
                "TASK_BACKEND=immediate runs tasks inside the web process: there is no worker "
                "to start. Use TASK_BACKEND=database (default) or rq."
            )
