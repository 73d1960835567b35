"""POSTing to other services over HTTP (chat webhooks, Twilio) with urllib, and the checks that
keep webhook requests off Accord's own network. Internal to the channels package."""

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.nudges.channels.base import DeliveryError, trim

MAX_REDIRECTS = 3
ANSWER_LIMIT = 64 * 1024  # how much of a response body to read


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes

    def detail(self) -> str:
        text = " ".join(self.body.decode("utf-8", "replace").split())
        return trim(text, 200) or http.client.responses.get(self.status, "")


class _PrivateAddress(OSError):
    """A webhook host name that resolves to a loopback, private or link-local address."""


def _connect_public(
    address: tuple[str, int],
    timeout: float | None = None,
    source_address: tuple[str, int] | None = None,
) -> socket.socket:
    """socket.create_connection, refusing hosts with any non-public address, and connecting to
    the address it checked (so a second DNS answer can't swap in a private one)."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    ips = [str(info[4][0]).split("%")[0] for info in found]
    for ip in ips:
        if not is_public(ipaddress.ip_address(ip)):
            raise _PrivateAddress(
                _(
                    "%(host)s resolves to %(ip)s, a local or private address, where Accord "
                    "does not post."
                )
                % {"host": host, "ip": ip}
            )
    last_error: OSError = OSError(f"{host} has no address")
    for ip in dict.fromkeys(ips):
        try:
            return socket.create_connection((ip, port), timeout, source_address)
        except OSError as error:
            last_error = error
    raise last_error


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined] # typeshed omits HTTPSHandler._context


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to `post`, which decides (urllib would turn a POST into a GET)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def webhook_opener() -> urllib.request.OpenerDirector:
    # No proxies from the environment: the address checks must see the real destination.
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({}), NoRedirects()]
    if not settings.NUDGE_WEBHOOK_ALLOW_INSECURE:
        handlers += [_PublicHTTPHandler(), _PublicHTTPSHandler()]
    return urllib.request.build_opener(*handlers)


def post(
    url: str,
    data: bytes,
    headers: dict[str, str],
    *,
    who: str,
    opener: urllib.request.OpenerDirector,
) -> Answer:
    """POST `data` and return the answer, whatever its status; raise DeliveryError for failures
    to get one. Redirects are followed only when they keep the method and body (307, 308) and
    stay on the same scheme, host and port."""
    for _hop in range(MAX_REDIRECTS + 1):
        answer = _post_once(url, data, headers, who=who, opener=opener)
        if not 300 <= answer.status < 400:
            return answer
        location = urljoin(url, answer.headers.get("Location", ""))
        same_place = _origin(location) == _origin(url)
        if answer.status not in (307, 308) or not same_place:
            raise DeliveryError(
                _(
                    "%(who)s redirected the message to %(location)s, and Accord does not follow "
                    "redirects to another address. Use the address it redirects to."
                )
                % {"who": who, "location": location or "?"},
                permanent=True,
            )
        url = location
    raise DeliveryError(
        _("%(who)s redirected the message too many times.") % {"who": who}, permanent=True
    )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    return parts.scheme, (parts.hostname or "").rstrip("."), port


def _post_once(
    url: str,
    data: bytes,
    headers: dict[str, str],
    *,
    who: str,
    opener: urllib.request.OpenerDirector,
) -> Answer:
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked by the callers)
        url, data=data, headers={"User-Agent": "Accord", **headers}, method="POST"
    )
    try:
        with opener.open(request, timeout=settings.NUDGE_SEND_TIMEOUT_SECONDS) as response:
            return Answer(response.status, response.headers, response.read(ANSWER_LIMIT))
    except urllib.error.HTTPError as error:  # an answer with a 3xx, 4xx or 5xx status
        try:
            body = error.read(ANSWER_LIMIT)
        except OSError:
            body = b""
        finally:
            error.close()
        return Answer(error.code, error.headers, body)
    except urllib.error.URLError as error:
        if isinstance(error.reason, _PrivateAddress):
            raise DeliveryError(str(error.reason), permanent=True) from error
        raise _unreachable(who, error.reason) from error
    except (OSError, http.client.HTTPException) as error:  # timeouts while reading, resets
        raise _unreachable(who, error) from error


def _unreachable(who: str, reason: object) -> DeliveryError:
    return DeliveryError(
        _("Could not reach %(who)s: %(reason)s") % {"who": who, "reason": _describe(reason)},
        permanent=False,
    )


def _describe(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        seconds = settings.NUDGE_SEND_TIMEOUT_SECONDS
        return ngettext(
            "no answer within %(seconds)s second", "no answer within %(seconds)s seconds", seconds
        ) % {"seconds": seconds}
    return str(reason) or type(reason).__name__


def permanent_status(status: int) -> bool:
    """Whether an HTTP error status means the same request will keep failing."""
    return not (status in (408, 429) or status >= 500)


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast
