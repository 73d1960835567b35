from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from accord.lib.env import env_int, env_str


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from accord.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve Accord over HTTP with gunicorn (production-grade; no runserver)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=env_str("BIND", "127.0.0.1:8000"), help="host:port")
        parser.add_argument("--workers", type=int, default=env_int("WEB_CONCURRENCY", 2, minimum=1))

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        _Gunicorn(
            {
                "bind": bind,
                "workers": workers,
                "threads": 4,
                "worker_class": "gthread",
                "timeout": 60,
                "graceful_timeout": 10,
                "accesslog": "-",
                "errorlog": "-",
                "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
            }
        ).run()
