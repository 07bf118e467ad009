"""HTTP mode: the bolt app behind aiohttp's web server, requests at ``/slack/events``.

Owns what stands between the network and bolt (issue 14 item 9; bolt's development server and
the earlier ``wsgiref`` one read any body into memory, held a thread per idle connection and let
malformed requests reach bolt):

- aiohttp's asynchronous server: an idle or slow connection costs no thread; idle keep-alive
  connections are closed after ``KEEPALIVE_SECONDS``, and a body not read within
  ``READ_TIMEOUT_SECONDS`` gets a 408;
- a body limit suited to Slack's payloads (``MAX_BODY_BYTES``: 413 above it, never read further);
- before bolt sees anything: a 400 for a missing or non-integer timestamp header and for a body
  that is not UTF-8, and (in HTTP mode) a 401 for a bad signature, so bolt never parses an unsigned
  form body. Nothing malformed reaches a traceback;
- the sync bolt ``App`` runs on a thread pool (``app.dispatch``), as bolt's WSGI adapter runs it.
  bolt's own aiohttp adapter needs an ``AsyncApp``; this is that adapter's translation
  (``to_aiohttp_response``) in front of the sync app.

``dxlab serve slack`` binds 127.0.0.1 by default (``--host`` / ``DXLAB_SLACK_HOST`` for a reverse
proxy in front of it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
#: Slack's largest payloads (a modal's view with its state, an event with many blocks) stay far
#: below this; anything larger is refused without being read.
MAX_BODY_BYTES = 1024 * 1024
READ_TIMEOUT_SECONDS = 10.0
KEEPALIVE_SECONDS = 15.0


def _plain(status: int, reason: str) -> web.Response:
    return web.Response(status=status, text=reason)


class SlackHTTPServer:
    """The app on a bound socket: ``serve_forever`` in one thread, ``shutdown`` from another.

    Construction binds (an ``OSError`` for a busy port is raised there; port 0 picks a free one:
    ``server_port``)."""

    def __init__(
        self,
        app: App,
        *,
        host: str,
        port: int,
        signing_secret: str | None = None,
        max_body: int = MAX_BODY_BYTES,
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.read_timeout = read_timeout
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self._pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="dxlab-slack-http")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((host, port))
            self.socket.listen(128)
        except OSError:
            self.socket.close()
            raise
        self.server_address = self.socket.getsockname()
        self.server_port = int(self.server_address[1])
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._signalled = False
        self._finished = threading.Event()
        self._serving: threading.Thread | None = None

    # --- one request ------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.method != "POST":
            return _plain(405, "method not allowed")
        if request.content_length is not None and request.content_length > self.max_body:
            return _plain(413, "payload too large")
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not timestamp.isascii() or not timestamp.isdigit():
            return _plain(400, "bad timestamp")
        try:
            raw = await asyncio.wait_for(request.read(), self.read_timeout)
        except TimeoutError:
            return _plain(408, "request timeout")
        except web.HTTPRequestEntityTooLarge:
            return _plain(413, "payload too large")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _plain(400, "body is not UTF-8")
        signature = request.headers.get("X-Slack-Signature", "")
        if self._verifier is not None and not self._verifier.is_valid(body, timestamp, signature):
            return _plain(401, "invalid signature")
        headers: dict[str, str | list[str]] = {}
        for key, value in request.headers.items():
            previous = headers.get(key.lower())
            headers[key.lower()] = value if previous is None else [*list(previous), value]
        bolt_request = BoltRequest(body=body, query=request.query_string, headers=headers)
        loop = asyncio.get_running_loop()
        try:
            bolt_response = await loop.run_in_executor(self._pool, self.app.dispatch, bolt_request)
        except Exception:
            log.exception("slack request failed")
            return _plain(500, "internal error")
        return await to_aiohttp_response(bolt_response)

    # --- running ----------------------------------------------------------------------------

    def web_app(self) -> web.Application:
        application = web.Application(client_max_size=self.max_body)
        application.router.add_route("*", EVENTS_PATH, self.handle)
        return application

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):  # main thread only
            # a Python signal handler raising inside the loop would be swallowed by asyncio: stop
            # the loop instead, and hand the signal to the process's handler afterwards
            self._loop.add_signal_handler(signal.SIGTERM, self._on_sigterm)
        runner = web.AppRunner(
            self.web_app(),
            access_log=None,
            keepalive_timeout=KEEPALIVE_SECONDS,
            handle_signals=False,
            shutdown_timeout=5.0,
        )
        await runner.setup()
        site = web.SockSite(runner, self.socket)
        await site.start()
        self._started.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    def _on_sigterm(self) -> None:
        self._signalled = True
        if self._stop is not None:
            self._stop.set()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until ``shutdown`` (``poll_interval`` is accepted for ``socketserver`` callers).

        A SIGTERM stops the loop, then goes to the handler the process had (``bot.slack.app``
        turns it into a clean exit)."""
        previous = signal.getsignal(signal.SIGTERM)
        self._serving = threading.current_thread()
        self._signalled = False
        self._finished = threading.Event()
        self._serving: threading.Thread | None = None
        try:
            asyncio.run(self._serve())
        finally:
            self._finished.set()
            if previous is not None and threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGTERM, previous)
        if self._signalled:
            signal.raise_signal(signal.SIGTERM)

    def wait_started(self, timeout: float = 10.0) -> bool:
        return self._started.wait(timeout)

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (from another thread) and wait until it stopped accepting."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(stop.set)
            if threading.current_thread() is not self._serving:
                self._finished.wait(10)  # like socketserver: returns once serve_forever has

    def server_close(self) -> None:
        self.socket.close()
        self._pool.shutdown(wait=False)


def http_server(app: App, *, host: str, port: int, **options: Any) -> SlackHTTPServer:
    """A server for ``app`` (port 0 picks a free one: see ``server.server_port``)."""
    return SlackHTTPServer(app, host=host, port=port, **options)
