"""How Slack reaches the app: Socket Mode, or HTTP behind a production WSGI server."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HTTP_THREADS = 16


def wsgi_app(app: App):
    """A WSGI callable that serves Slack's requests on /slack/events and 404s the rest."""
    handler = SlackRequestHandler(app)

    def application(environ, start_response):
        if environ.get("PATH_INFO") != EVENTS_PATH:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"Not found. Slack sends requests to /slack/events.\n"]
        return handler(environ, start_response)

    return application


def http_server(app: App, port: int, host: str = "0.0.0.0"):
    """Waitress, a production WSGI server (Bolt's built-in server is for development only).

    Call `.run()` to serve; `.effective_port` is the bound port (useful with port 0).
    """
    return create_server(wsgi_app(app), host=host, port=port, threads=HTTP_THREADS)


def serve_socket_mode(app: App, app_token: str) -> None:
    SocketModeHandler(app, app_token).start()
