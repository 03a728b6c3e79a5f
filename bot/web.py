"""Pages SalesMeet serves to browsers and calendar apps beside Slack's requests.

A feature hands the transport a `WebPage` per path prefix (bot/hooks.py `Parts.web`); the
transport (salesmeet/transport.py) knows HTTP and WSGI, the page knows only its answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """Where the app is reachable from outside, for the links it hands out, and the
    server's own secret, which keeps those links unguessable from the database alone."""

    public_url: str | None = None  # SALESMEET_PUBLIC_URL, without a trailing slash
    secret: bytes = b""  # SALESMEET_SECRET_KEY, else the signing secret, else nothing


@dataclass(frozen=True)
class WebAnswer:
    status: int
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""


# (the path after the page's prefix, the request's headers with lower-case names) -> answer
WebPage = Callable[[str, Mapping[str, str]], WebAnswer]
