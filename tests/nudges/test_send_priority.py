"""A message's send task goes ahead of slower work where the backend orders by priority, and is
queued plainly where it can't (RQ): asking such a backend for a priority is refused."""

import pytest
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend

from accord.nudges.models import MessageKind
from accord.nudges.services import SEND_PRIORITY, Rendered, message_queue
from accord.workspaces.models import Member

pytestmark = pytest.mark.django_db


class NoPriorityBackend(DummyBackend):
    supports_priority = False


@pytest.mark.parametrize(
    ("backend", "priority"),
    [
        ("django.tasks.backends.dummy.DummyBackend", SEND_PRIORITY),
        ("tests.nudges.test_send_priority.NoPriorityBackend", 0),
    ],
)
def test_send_task_priority_follows_what_the_backend_supports(
    backend: str, priority: int, recruiter: Member, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        message_queue(
            recipient=recruiter,
            kind=MessageKind.NOTICE,
            content=Rendered(subject="Hello", text="Hello", html=""),
        )
    [queued] = task_backends["default"].results
    assert queued.task.priority == priority
