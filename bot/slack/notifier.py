"""Reminders on Slack: ``chat.postMessage`` to a user (a DM from the bot) or a channel.

Owns the Slack side of a coordinator's reminder: the body escaped as mrkdwn, with the
「続きに答える」 button the Slack app already handles.
"""

from __future__ import annotations

from typing import Any

from bot.coordinator.notifiers import SLACK, DeliveryError, Outgoing


class SlackNotifier:
    """``chat.postMessage`` to a user (a DM from the bot) or a channel; ``SLACK_API_URL`` as base."""

    channel = SLACK
    idempotent = False

    def __init__(self, *, token: str, base_url: str | None = None, client: Any = None) -> None:
        from slack_sdk import WebClient

        self.client = client or WebClient(token=token, base_url=base_url or WebClient.BASE_URL, timeout=15)

    def send(self, item: Outgoing) -> None:
        from slack_sdk.errors import SlackApiError, SlackClientError

        from renderers.slack.blocks import command_button
        from renderers.slack.elements import actions, sections
        from renderers.slack.limits import FALLBACK_TEXT, mrkdwn_escape, shorten

        text = mrkdwn_escape(item.body)
        blocks = sections(text)
        if item.button:
            blocks += actions([command_button("start", style="primary")])
        try:
            self.client.chat_postMessage(
                channel=item.target, text=shorten(text, FALLBACK_TEXT), blocks=blocks, unfurl_links=False
            )
        except SlackApiError as exc:
            raise DeliveryError(f"slack: {exc.response.get('error', exc)}") from exc
        except (SlackClientError, OSError) as exc:
            raise DeliveryError(f"slack: {exc}") from exc
