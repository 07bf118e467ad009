"""The Bot API's addresses: the default server, or another (a local Bot API server, the tests' fake).

Owns nothing but URLs, so the reminder notifier and the Telegram channel share them without
importing each other.
"""

from __future__ import annotations

DEFAULT_API = "https://api.telegram.org"


def api_urls(base: str | None) -> tuple[str, str]:
    """The Bot API and file URLs (before the token) for a server address such as a local Bot API."""
    root = (base or DEFAULT_API).rstrip("/")
    if "{token}" in root:
        return root, root.replace("/bot{token}", "/file/bot{token}")
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"
