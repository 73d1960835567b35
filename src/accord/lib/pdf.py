"""HTML to PDF with WeasyPrint, fetching nothing outside Accord's package.

Imported only when a PDF is made, so Accord starts (and migrates) on machines without Pango.
"""

from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from urllib.request import url2pathname

# WeasyPrint ships without type information; only HTML and URLFetcher are used.
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

PACKAGE_ROOT: Final = Path(__file__).resolve().parents[1]


class URLRefused(ValueError):
    """A document tried to load something from outside Accord's package."""


def _fetch_allowed(url: str) -> bool:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path)).resolve()
    return path.is_relative_to(PACKAGE_ROOT) and path.is_file()


class PackageURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped (Any base)
    """Fetches data: URLs and files inside Accord's package; refuses everything else.

    The brief holds text people typed, so nothing in it may make the server open a URL (SSRF) or
    read a file elsewhere on disk. WeasyPrint logs a refused resource and renders without it.
    """

    def __init__(self) -> None:
        super().__init__(timeout=5, allowed_protocols=("data", "file"), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not _fetch_allowed(url):
            self.refused.append(url)
            raise URLRefused(f"refused to fetch {url!r} while rendering a PDF")
        return super().fetch(url, headers)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """A PDF of a standalone HTML document, fetching nothing outside Accord's package."""
    fetcher = PackageURLFetcher()
    base = base_url or PACKAGE_ROOT.as_uri() + "/"
    pdf: bytes = HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf()
    return pdf
