"""Start the web server and the worker together; Ctrl-C stops both."""

import signal
import subprocess
import sys
import time
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accord.demo import data


class Command(BaseCommand):
    help = "Run the web server and the background worker together (used by `make run`)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port")

    def handle(self, *args: Any, bind: str, **options: Any) -> None:
        accord = [sys.executable, "-m", "accord"]
        # Own sessions, so a Ctrl-C reaches only this supervisor, which stops both in order.
        web = subprocess.Popen([*accord, "serve", "--bind", bind], start_new_session=True)  # noqa: S603
        worker = subprocess.Popen([*accord, "worker"], start_new_session=True)  # noqa: S603
        children = [web, worker]
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            self._wait_until_up(bind, web)
            self._announce(bind)
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.3)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM)]
        if failed and not stopping:
            raise CommandError("The web server or the worker stopped unexpectedly; see above.")
        self.stdout.write("Accord stopped.")

    def _wait_until_up(self, bind: str, web: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if web.poll() is not None:
                raise CommandError("The web server did not start; see the messages above.")
            try:
                with urllib.request.urlopen(f"http://{bind}/healthz/", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise CommandError(f"The web server did not answer on {bind} within 60 seconds.")

    def _announce(self, bind: str) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Accord is running at http://{bind}/"))
        out.write(f"  worker: TASK_BACKEND={settings.TASK_BACKEND}")
        out.write(f"  demo password for every account below: {data.PASSWORD}")
        for person in data.logins():
            out.write(f"  {person.email:<28} {person.name}")
        out.write("Press Ctrl-C to stop.\n")
