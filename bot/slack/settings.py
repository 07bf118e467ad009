"""The Slack settings, from the environment (and ``.env``), as DESIGN.md §3 names them."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
#: HTTP mode listens on this machine only unless told otherwise (a reverse proxy in front of it:
#: ``--host`` or ``DXLAB_SLACK_HOST``)
DEFAULT_HOST = "127.0.0.1"


@dataclass(frozen=True)
class SlackSettings:
    """Tokens, where the Web API is, and how long link codes live.

    Who may bind others is the roles policy (``bot.roles``: ``DXLAB_ADMINS`` and granted roles)."""

    bot_token: str
    signing_secret: str
    app_token: str = ""
    api_url: str = DEFAULT_API_URL
    link_ttl_seconds: int = 900

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    def missing(self) -> list[str]:
        """The environment variables that must be set but are not."""
        names = [] if self.bot_token else ["SLACK_BOT_TOKEN"]
        if not self.socket_mode and not self.signing_secret:
            names.append("SLACK_SIGNING_SECRET")
        return names

    @classmethod
    def from_env(cls) -> SlackSettings:
        api_url = os.environ.get("SLACK_API_URL") or DEFAULT_API_URL
        return cls(
            bot_token=os.environ.get("SLACK_BOT_TOKEN", ""),
            signing_secret=os.environ.get("SLACK_SIGNING_SECRET", ""),
            app_token=os.environ.get("SLACK_APP_TOKEN", ""),
            api_url=api_url if api_url.endswith("/") else api_url + "/",
        )
