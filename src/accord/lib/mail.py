"""Email: rendered in the request, delivered by the worker once the transaction commits."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

Attachment = tuple[str, str, str]  # file name, text content, MIME type


def send_templated_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    attachments: list[Attachment] | None = None,
) -> None:
    """Queue one email from `<template>_subject.txt`, `<template>.txt` and `<template>.html`.

    Nothing is queued if the surrounding transaction rolls back, so a refused action never
    sends mail.
    """
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    files = [list(a) for a in attachments or []]  # task arguments must be JSON
    transaction.on_commit(
        lambda: deliver_email.enqueue(
            to=to, subject=subject, text=text, html=html, attachments=files
        )
    )


@task()
def deliver_email(
    *, to: str, subject: str, text: str, html: str, attachments: list[list[str]] | None = None
) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    message.send()  # through the "default" mailer (settings.MAILERS)
