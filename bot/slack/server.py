"""HTTP mode: bolt's WSGI adapter on a threading ``wsgiref`` server, requests at ``/slack/events``.

A thin translator, like bolt's own adapters: the standard library serves HTTP on several threads
(bolt's development server handles one request at a time), bolt does the rest.
"""

from __future__ import annotations

import logging
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    # wsgiref writes headers and body separately: without this, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every acknowledgement.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def http_server(app: App, *, host: str, port: int) -> WSGIServer:
    """A server for ``app`` (port 0 picks a free one: see ``server.server_port``)."""
    return make_server(
        host,
        port,
        SlackRequestHandler(app, path=EVENTS_PATH),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
