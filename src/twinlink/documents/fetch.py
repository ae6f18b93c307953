"""A document from a web address, fetched on a user's behalf: http and https only, with a size
and a time limit, and never from a private, loopback, link-local or otherwise internal address
(each redirect is checked again) unless the site's settings allow it."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import httpx

from twinlink.documents.load import load_bytes
from twinlink.documents.model import Document
from twinlink.errors import BadDocument

MAX_REDIRECTS = 5
USER_AGENT = "Twinlink document fetcher (+https://github.com/)"


def _internal(host: str, port: int) -> str | None:
    """Why the host may not be fetched, None when every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return "its host name does not resolve"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            return f"it resolves to an internal address ({address})"
    return None


def check_address(url: str, allow_private: bool = False) -> None:
    """Refuse an address that is not http(s), or that leads inside the server's network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadDocument(url, "only http and https addresses are fetched")
    if not allow_private:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        reason = _internal(parts.hostname, port)
        if reason:
            raise BadDocument(url, f"not fetched: {reason}")


def fetch_document(
    url: str,
    *,
    max_bytes: int,
    timeout: float = 20.0,
    allow_private: bool = False,
    title: str | None = None,
) -> Document:
    """The document at ``url``, cited by that address; every failure is a ``BadDocument``."""
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_address(current, allow_private)
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise BadDocument(url, "a redirect without an address")
                        current = urljoin(current, location)
                        continue
                    if response.status_code != 200:
                        raise BadDocument(url, f"the server answered {response.status_code}")
                    data = bytearray()
                    for chunk in response.iter_bytes():
                        data += chunk
                        if len(data) > max_bytes:
                            raise BadDocument(url, f"too large (more than {max_bytes} bytes)")
            except httpx.HTTPError as exc:
                raise BadDocument(url, f"cannot be fetched ({exc.__class__.__name__})") from None
            name = urlsplit(current).path.rsplit("/", 1)[-1] or "index"
            if "." not in name and "html" in response.headers.get("content-type", ""):
                name += ".html"
            return load_bytes(bytes(data), name, source=url, title=title)
    raise BadDocument(url, f"more than {MAX_REDIRECTS} redirects")
