"""The slack-bolt app: listeners that acknowledge at once and work in lazy listeners.

``build_app`` wires the slash command ``/dxlab``, DM messages, App Home, buttons and the record
modal to ``handlers.SlackAdapter``; a listener middleware keeps each request that changes a draft in
the inbox before it is acknowledged, and ``build_app`` replays the kept requests a crash left
unapplied (``inbox``). ``serve`` checks the token, then runs the app in HTTP mode, or in Socket Mode
when ``SLACK_APP_TOKEN`` is set. ``SLACK_API_URL`` points the Web API client elsewhere (tests, proxies).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from slack_bolt import Ack, App, BoltResponse
from slack_bolt.lazy_listener.thread_runner import ThreadLazyListenerRunner
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.core.channel import Runtime
from bot.core.router import Router, drafting_router
from bot.errors import UserError
from bot.service import DialogService
from bot.settings import load_dotenv
from bot.slack.handlers import SlackAdapter, turn_subcommands
from bot.slack.identity import Identity
from bot.slack.inbox import Inbox, command_name
from bot.slack.settings import DEFAULT_HOST, DEFAULT_PORT, SlackSettings
from bot.slack.uploads import SlackUploads, upload_key
from renderers.messages import message
from renderers.slack.elements import RECORD_CALLBACK
from renderers.slack.limits import mrkdwn_escape

log = logging.getLogger(__name__)
SLASH_COMMAND = "/dxlab"


def web_client(settings: SlackSettings) -> WebClient:
    """The Web API client: ``SLACK_API_URL`` as base, retrying 429 (Retry-After) and lost connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )


def _display_name(client: WebClient) -> Any:
    def lookup(user_id: str) -> str:
        try:
            profile = client.users_info(user=user_id)["user"]
        except (SlackApiError, KeyError, TypeError):
            return user_id
        names = (
            (profile.get("profile") or {}).get("display_name"),
            profile.get("real_name"),
            profile.get("name"),
        )
        return next((str(n) for n in names if n), user_id)

    return lookup


@dataclass(frozen=True)
class Installation:
    """The workspace and app this bot is installed as (``auth.test`` at start-up)."""

    team_id: str
    app_id: str | None = None

    def foreign(self, body: Mapping[str, Any]) -> str | None:
        """Why a request is not for this installation (another workspace or app), else ``None``."""
        team = (
            body.get("team_id")
            or (body.get("team") or {}).get("id")
            or (body.get("user") or {}).get("team_id")
        )
        if team is not None and str(team) != self.team_id:
            return f"team {team}"
        if team is None and body.get("type") != "url_verification":
            return "no team"
        app_id = body.get("api_app_id")
        if self.app_id is not None and app_id is not None and str(app_id) != self.app_id:
            return f"app {app_id}"
        return None


def build_app(
    service: DialogService,
    settings: SlackSettings,
    *,
    client: WebClient | None = None,
    executor: Executor | None = None,
    replay: bool = True,
    router: Router | None = None,
    installation: Installation | None = None,
) -> App:
    """The bolt app for ``service``; ``client`` defaults to one on ``settings.api_url``.

    Acknowledgements run on a pool of their own, so a queue of slow work (an export, a busy
    database) never delays one; ``executor`` runs the lazy listeners (default: 16 threads).
    With ``replay``, the requests kept in the inbox but never applied are applied first (in the
    calling thread, replies posted), before the app answers any request.
    """
    client = client or web_client(settings)
    executor = executor or ThreadPoolExecutor(max_workers=16, thread_name_prefix="dxlab-slack")
    app = App(
        signing_secret=settings.signing_secret or "unused-in-socket-mode",
        client=client,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=8, thread_name_prefix="dxlab-slack-ack"),
        request_verification_enabled=not settings.socket_mode,
    )
    app.listener_runner.lazy_listener_runner = ThreadLazyListenerRunner(logger=app.logger, executor=executor)
    if installation is not None:
        app.middleware(_only_for(installation))
    router = router or drafting_router(service)  # wiring.build_router(service): every command
    identity = Identity(service=service, display_name=_display_name(client))
    adapter = SlackAdapter(service=service, identity=identity, settings=settings, router=router)
    inbox = Inbox(
        store=service.store,
        valid_submission=lambda body: not adapter.check_submission(body),
        turn_commands=turn_subcommands(router),
    )

    def ack_now(ack: Ack) -> None:
        ack()

    def ack_command(ack: Ack, body: dict[str, Any]) -> None:
        name = command_name(body)
        if name not in adapter.subcommands:
            ack(text=message("slack.unknown_subcommand", name=name, escape=mrkdwn_escape))
        elif str(body.get("channel_id") or "").startswith("D"):
            ack()
        else:
            ack(text=message("slack.see_dm"))

    def ack_submission(ack: Ack, body: dict[str, Any]) -> None:
        errors = adapter.check_submission(body)
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    uploads = SlackUploads(adapter=adapter)

    def message_work(body: dict[str, Any], client: WebClient) -> None:
        if upload_key(body) is not None:  # a .docx plan sent in the DM (bot.slack.uploads)
            uploads.on_upload(body, client)
            return
        adapter.on_message(body, client)

    def home_work(body: dict[str, Any], client: WebClient) -> None:
        adapter.on_home_opened(body, client)

    def command_work(body: dict[str, Any], client: WebClient) -> None:
        adapter.on_command(body, client)

    def action_work(body: dict[str, Any], client: WebClient) -> None:
        adapter.on_action(body, client)

    def submission_work(body: dict[str, Any], client: WebClient) -> None:
        adapter.on_submission(body, client)

    # bolt runs listener middleware synchronously, before the acknowledgement (events are
    # acknowledged as soon as their listener starts): what Slack was sent a 200 for is on disk
    app.event("message", middleware=[inbox.middleware("message")])(ack=ack_now, lazy=[message_work])
    app.event("app_home_opened")(ack=ack_now, lazy=[home_work])
    app.command(SLASH_COMMAND, middleware=[inbox.middleware("command")])(ack=ack_command, lazy=[command_work])
    app.action(re.compile(r"^dx_"), middleware=[inbox.middleware("action")])(ack=ack_now, lazy=[action_work])
    app.view_submission(RECORD_CALLBACK, middleware=[inbox.middleware("submission")])(
        ack=ack_submission, lazy=[submission_work]
    )
    if replay:
        inbox.replay(
            {
                "message": lambda body: adapter.on_message(body, client, replay=True),
                "command": lambda body: adapter.on_command(body, client, replay=True),
                "action": lambda body: adapter.on_action(body, client, replay=True),
                "submission": lambda body: adapter.on_submission(body, client, replay=True),
            }
        )
    return app


def _only_for(installation: Installation) -> Callable[..., Any]:
    """A global middleware: requests from another workspace or app get a 403 and reach nothing
    (no inbox row, no listener), whatever their signature says."""

    def middleware(body: dict[str, Any], next: Callable[[], Any]) -> Any:
        reason = installation.foreign(body)
        if reason is None:
            return next()
        log.warning("refused a Slack request for another installation (%s)", reason)
        return BoltResponse(status=403, body="")

    return middleware


def check_token(settings: SlackSettings) -> Installation:
    """``auth.test`` before serving: a refused token or an unreachable API is a ``UserError``.
    Returns the installation (workspace, app) the token belongs to; ``SLACK_APP_ID`` names the
    app when ``auth.test`` does not.

    The check's client logs nothing: the person reads the Japanese message, not slack_sdk's lines.
    """
    quiet = logging.getLogger(f"{__name__}.auth_test")
    quiet.setLevel(logging.CRITICAL)
    client = WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=15, logger=quiet)
    try:
        found = client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "unknown")  # invalid_auth, account_inactive, …
        raise UserError(message("slack.token_refused", error=error)) from None
    except (SlackClientError, OSError) as exc:
        raise UserError(
            message("slack.api_unreachable", url=_shown_url(settings.api_url), reason=_reason(exc))
        ) from None
    app_id = found.get("app_id") or os.environ.get("SLACK_APP_ID") or None
    return Installation(team_id=str(found.get("team_id") or ""), app_id=str(app_id) if app_id else None)


def _shown_url(url: str) -> str:
    """``url`` without any user or password in it."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=netloc))


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)  # urllib's URLError wraps the socket error
    if isinstance(reason, OSError):
        return reason.strerror or type(reason).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__


class Terminated(Exception):
    """SIGTERM arrived: stop serving and clean up (the ``finally`` blocks run, exit status 0)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def serve(args: argparse.Namespace, runtime: Runtime) -> int:
    """``dxlab serve slack``: HTTP mode on ``--port`` (or ``PORT``), Socket Mode with an app token.

    SIGTERM (``docker stop``, systemd) ends it like Ctrl-C: the server closes, the scheduled nudge
    stops, the database is closed, and the exit status is 0."""
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (tests): no handler
        previous = None
    try:
        return _serve(args, runtime)
    except Terminated:
        sys.stderr.write(message("slack.stopped") + "\n")
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _serve(args: argparse.Namespace, runtime: Runtime) -> int:
    load_dotenv()
    settings = SlackSettings.from_env()
    missing = settings.missing()
    if missing:
        raise UserError(message("slack.missing_settings", names=missing))
    installation = check_token(settings)
    service = runtime.open_service(args.db)
    nudges = runtime.start_nudges(service, None)  # the daily reminders (bot.coordinator)
    try:
        app = build_app(service, settings, router=runtime.router_for(service), installation=installation)
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            sys.stderr.write(message("slack.serving_socket") + "\n")
            SocketModeHandler(app, settings.app_token).start()  # type: ignore[no-untyped-call]
            return 0
        from bot.slack.server import http_server

        host = args.host or os.environ.get("DXLAB_SLACK_HOST") or DEFAULT_HOST
        port = args.port if args.port is not None else int(os.environ.get("PORT") or DEFAULT_PORT)
        try:
            server = http_server(app, host=host, port=port, signing_secret=settings.signing_secret)
        except OSError as exc:
            raise UserError(
                message("slack.cannot_listen", port=port, reason=exc.strerror or str(exc))
            ) from exc
        sys.stderr.write(message("slack.serving_http", host=host, port=server.server_port) + "\n")
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return 0
    finally:
        if nudges is not None:
            nudges.shutdown(wait=False)
        service.store.close()
