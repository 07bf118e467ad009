"""The one error a plan import raises: a Japanese reason, shown as is, nothing changed."""

from __future__ import annotations

from typing import Any

from bot.errors import UserError
from renderers.messages import message


class PlanError(UserError):
    """A file that cannot be imported; ``key`` names its message in ``plan_import.yaml``."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(message(f"plan_import.{key}", **params))
        self.key = key
