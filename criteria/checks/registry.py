"""The check registry: named checks, each judging one viewpoint.

Owns the names ``viewpoints.yaml`` uses to refer to code. A check is a function from a
``Context`` to findings; ``@register("direction.kpis", viewpoint="direction")`` makes it available
under that name. Names are unique and stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from criteria.checks.context import Context
from criteria.report import VIEWPOINT_SLUGS, Finding

CheckFunction = Callable[[Context], Iterable[Finding]]
F = TypeVar("F", bound=CheckFunction)


@dataclass(frozen=True, kw_only=True)
class Check:
    """A registered check: its name, the viewpoint it judges and the function."""

    name: str
    viewpoint: str
    function: CheckFunction


_REGISTRY: dict[str, Check] = {}


def register(name: str, *, viewpoint: str) -> Callable[[F], F]:
    """Register the decorated function as check ``name`` of ``viewpoint``."""
    if viewpoint not in VIEWPOINT_SLUGS:
        raise ValueError(f"check {name!r}: unknown viewpoint {viewpoint!r}")

    def decorate(function: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"check {name!r} is registered twice")
        _REGISTRY[name] = Check(name=name, viewpoint=viewpoint, function=function)
        return function

    return decorate


def get(name: str) -> Check:
    """The check registered as ``name``; ``KeyError`` naming it when there is none."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no check registered as {name!r}") from None


def registered() -> dict[str, Check]:
    """Every registered check by name."""
    return dict(_REGISTRY)
