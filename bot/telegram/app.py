"""``dxlab serve telegram``: the python-telegram-bot Application, by long polling or a webhook.

Owns the composition of the Telegram channel: the Application (Bot API base URL, AIORateLimiter
with retries, handlers, the command menu) and how it runs — long polling by default, a webhook
when ``TELEGRAM_WEBHOOK_URL`` is set (``TELEGRAM_WEBHOOK_SECRET`` is then required, and requests
without it get 403). The bot keeps each update in the storage inbox before it is confirmed to
Telegram, and replays the kept ones never applied before receiving again (``inbox``). A token
Telegram refuses, or a Bot API that cannot be reached at start-up, is a ``UserError``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.core.channel import Runtime
from bot.core.router import Router, drafting_router
from bot.errors import UserError
from bot.service import DialogService
from bot.settings import load_dotenv
from bot.telegram.api import DEFAULT_API, api_urls
from bot.telegram.handlers import ACTION_PREFIX, TelegramDialog
from bot.telegram.inbox import Inbox, InboxBot
from bot.telegram.menu import menu_commands
from bot.telegram.ordering import PerChatUpdateProcessor
from renderers.messages import message

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
DEFAULT_WEBHOOK_PORT = 8443


def rate_limiter(
    *, max_retries: int = 5, overall_max_rate: float = 30, group_max_rate: float = 20
) -> AIORateLimiter:
    """Telegram's broadcast limits, and retries on 429 so a message is delayed, never dropped."""
    return AIORateLimiter(
        overall_max_rate=overall_max_rate, group_max_rate=group_max_rate, max_retries=max_retries
    )


def build_application(
    *,
    service: DialogService,
    token: str,
    base_url: str | None = None,
    limiter: AIORateLimiter | None = None,
    updater: bool = True,
    router: Router | None = None,
) -> Application:  # type: ignore[type-arg]
    """The Application with our handlers; ``base_url`` points at another Bot API server.

    Every command comes from the one command layer: pass ``router`` (``bot.wiring.build_router``);
    without it the bot knows the drafting commands only."""
    api, files = api_urls(base_url)
    router = router or drafting_router(service)  # wiring.build_router(service): every command
    dialog = TelegramDialog(service=service, router=router)
    inbox = Inbox(store=service.store, key=dialog.event_id)
    bot = InboxBot(
        inbox=inbox,
        token=token,
        base_url=api,
        base_file_url=files,
        request=HTTPXRequest(connection_pool_size=256),  # ApplicationBuilder's defaults
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=limiter or rate_limiter(),
    )
    builder = ApplicationBuilder().bot(bot).concurrent_updates(PerChatUpdateProcessor())
    if not updater:
        builder = builder.updater(None)

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await inbox.replay(app)  # before updates are received again
        await app.bot.set_my_commands(menu_commands())

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        dialog.close()

    application = builder.post_init(post_init).post_shutdown(post_shutdown).build()
    application.bot_data["dialog"] = dialog
    application.add_handler(CommandHandler("link", dialog.on_link))
    application.add_handler(CommandHandler(sorted(router.commands.names()), dialog.on_command))
    application.add_handler(CallbackQueryHandler(dialog.on_action, pattern=f"^{re.escape(ACTION_PREFIX)}"))
    application.add_handler(MessageHandler(filters.COMMAND, dialog.on_unknown_command))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, dialog.on_text))
    from bot.telegram.uploads import TelegramUploads  # a .docx plan sent in a private chat

    uploads = TelegramUploads(dialog=dialog)
    documents = filters.ChatType.PRIVATE & filters.Document.ALL
    application.add_handler(MessageHandler(documents, uploads.on_document))
    application.add_handler(CallbackQueryHandler(dialog.on_callback))
    application.add_error_handler(dialog.on_error)
    return application


@dataclass(frozen=True)
class Webhook:
    """Where the webhook server listens and what Telegram is told."""

    url: str
    secret: str
    listen: str = "127.0.0.1"
    port: int = DEFAULT_WEBHOOK_PORT


async def start(application: Application, *, webhook: Webhook | None = None, poll_timeout: int = 10) -> None:  # type: ignore[type-arg]
    """Initialise and start receiving updates inside a running event loop (tests, benchmarks)."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    assert application.updater is not None
    if webhook is not None:
        await application.updater.start_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=urlparse(webhook.url).path.lstrip("/"),
            webhook_url=webhook.url,
            secret_token=webhook.secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        await application.updater.start_polling(timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES)
    await application.start()


async def stop(application: Application) -> None:  # type: ignore[type-arg]
    """The counterpart of ``start``: stop receiving, finish the queued updates, shut down."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def serve(args: argparse.Namespace, runtime: Runtime) -> int:
    """Run the bot until interrupted (settings from the environment and ``.env``)."""
    load_dotenv()
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise UserError(message("telegram.missing_token"))
    webhook_url = os.environ.get("TELEGRAM_WEBHOOK_URL", "").strip()
    secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if webhook_url and not secret:
        raise UserError(message("telegram.missing_secret"))
    service = runtime.open_service(getattr(args, "db", None))
    store = service.store
    application = build_application(
        service=service,
        token=token,
        base_url=os.environ.get("TELEGRAM_API_BASE_URL") or None,
        router=runtime.router_for(service),
    )
    runtime.start_nudges(service, application.job_queue)  # the daily reminders (bot.coordinator)
    base = (os.environ.get("TELEGRAM_API_BASE_URL") or DEFAULT_API).replace(token, "***")
    try:
        # getMe first, on the loop run_* will use: a refused token or an unreachable server is
        # then one clear message (PTB's own bootstrap would log a traceback), and run_* finds the
        # application initialised.
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.run_until_complete(application.initialize())
        if webhook_url:
            application.run_webhook(
                listen=args.host or "127.0.0.1",
                port=args.port or int(os.environ.get("PORT") or DEFAULT_WEBHOOK_PORT),
                url_path=urlparse(webhook_url).path.lstrip("/"),
                webhook_url=webhook_url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        raise UserError(message("telegram.invalid_token", url=base)) from None
    except BadRequest as exc:  # a NetworkError subclass, but the server did answer
        raise UserError(message("telegram.start_failed", url=base, detail=_redact(exc, token))) from None
    except NetworkError as exc:
        raise UserError(message("telegram.unreachable", url=base, detail=_redact(exc, token))) from None
    except TelegramError as exc:
        raise UserError(message("telegram.start_failed", url=base, detail=_redact(exc, token))) from None
    finally:
        store.close()
    return 0


def _redact(exc: Exception, token: str) -> str:
    """The error's text without the token (the message goes straight to stderr, not via logging)."""
    return str(exc).replace(token, "***")
