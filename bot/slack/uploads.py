"""A file a person sends the app in the DM: a 実施計画書 (.docx) or an application file (.json).

Owns the Slack side of an upload: recognising the ``file_share`` message in the DM, asking
``files.info`` for the file's name, size and private download URL (the event's own values are not
trusted), downloading it with the bot token — only from Slack's file host or the configured API
host, never more than ``MAX_INPUT_BYTES`` — and handing the bytes to ``bot.plan_import.from_chat``.
After an import the DM continues with a 進捗 turn: the scorecard, then the first empty or weak
question. The upload's ``event_id`` is that turn's idempotency key, so a redelivered event does
not import twice. Kept apart from ``handlers`` on purpose: the adapter only routes to it.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.plan_import import MAX_INPUT_BYTES, PlanError
from bot.plan_import.from_chat import import_upload, is_plan_name
from bot.plan_import.limits import check_size
from bot.slack.identity import CHANNEL
from bot.slack.inbox import event_id
from dialogs.events import Command
from renderers.messages import message
from renderers.slack.blocks import text_message
from renderers.slack.limits import mrkdwn_escape

log = logging.getLogger(__name__)
DOWNLOAD_TIMEOUT = 30
_SLACK_FILE_HOSTS = ("files.slack.com", "slack-files.com")


def upload_key(body: Mapping[str, Any]) -> str | None:
    """The key of a file shared by a person in the DM with the app; ``None`` for anything else."""
    event = body.get("event") or {}
    if event.get("subtype") != "file_share" or event.get("channel_type") != "im":
        return None
    if event.get("bot_id") or not event.get("user") or not event.get("files"):
        return None
    return f"upload:{body.get('event_id') or event.get('ts')}"


def _allowed(url: str, api_url: str) -> bool:
    """Send the bot token only to Slack's file hosts (or the API's own host: a proxy, a fake)."""
    host = urlsplit(url).hostname or ""
    api_host = urlsplit(api_url).hostname or ""
    scheme = urlsplit(url).scheme
    if host == api_host and host:
        return scheme in ("http", "https")
    return scheme == "https" and any(host == h or host.endswith("." + h) for h in _SLACK_FILE_HOSTS)


def download(url: str, *, token: str, api_url: str, name: str) -> bytes:
    """The file's bytes; ``PlanError`` when it is larger than allowed, ``OSError`` when it fails."""
    if not _allowed(url, api_url):
        raise OSError(f"refusing to send the token to {urlsplit(url).hostname!r}")
    request = urllib.request.Request(url)
    request.add_unredirected_header("Authorization", f"Bearer {token}")  # never sent on a redirect
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit():
            check_size(int(declared), name=name)
        data = response.read(MAX_INPUT_BYTES + 1)
    check_size(len(data), name=name)
    return bytes(data)


class SlackUploads:
    """Imports the files people send; ``adapter`` is the ``SlackAdapter`` (roles, posting, turns)."""

    def __init__(self, *, adapter: Any) -> None:
        self.adapter = adapter

    def say(self, client: WebClient, channel: str, text: str) -> None:
        self.adapter.post(client, channel, [text_message(mrkdwn_escape(text))])

    def on_upload(self, body: Mapping[str, Any], client: WebClient) -> None:
        key = upload_key(body)
        if key is None:
            return
        store = self.adapter.service.store
        if store.seen_event(CHANNEL, event_id(key)):
            return  # a redelivered event: imported already
        event = body["event"]
        user, channel = str(event["user"]), str(event["channel"])
        session = self.adapter.identity.session(user)
        if not self.adapter.permitted(client, session, channel):
            return
        caption = str(event.get("text") or "")
        imported = False
        for shared in event["files"]:
            file_id = str(shared.get("id") or "")
            imported = self.one_file(client, session, channel, file_id, caption) or imported
        if imported:
            self.adapter.turn(client, session, Command("status"), channel=channel, key=key)

    def one_file(self, client: WebClient, session: Any, channel: str, file_id: str, caption: str) -> bool:
        try:
            info = client.files_info(file=file_id)["file"]
        except (SlackApiError, SlackClientError, KeyError, TypeError):
            log.warning("files.info failed for %s", file_id, exc_info=True)
            self.say(client, channel, message("plan_import.chat_download_failed", name=file_id))
            return False
        name = str(info.get("name") or info.get("title") or file_id)
        if not is_plan_name(name):
            self.say(client, channel, message("plan_import.chat_not_a_plan", name=name))
            return False
        settings = self.adapter.settings
        try:
            check_size(int(info.get("size") or 0), name=name)
            data = download(
                str(info.get("url_private_download") or info.get("url_private") or ""),
                token=settings.bot_token,
                api_url=settings.api_url,
                name=name,
            )
        except PlanError as exc:
            self.say(client, channel, exc.message)
            return False
        except (OSError, urllib.error.URLError, ValueError):
            log.warning("download of %s failed", file_id, exc_info=True)
            self.say(client, channel, message("plan_import.chat_download_failed", name=name))
            return False
        result = import_upload(
            self.adapter.service.store,
            lab_id=session.lab.id,
            person_id=session.person.id,
            data=data,
            name=name,
            caption=caption,
            channel=CHANNEL,
        )
        self.say(client, channel, "\n".join(result.lines))
        return result.imported
