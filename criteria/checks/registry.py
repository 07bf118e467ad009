"""The assessor registry: one named assessor per sub-requirement of a viewpoint.

Owns the names ``requirements.yaml`` uses to refer to code. An assessor is a function from a
``Context`` to an ``Assessment`` (status, quoted evidence, findings);
``@register("direction.indicators", viewpoint="direction")`` makes it available under the
sub-requirement's slug. Names are unique and stable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from criteria.checks.context import Context
from criteria.report import VIEWPOINT_SLUGS
from criteria.requirements import Assessment

CheckFunction = Callable[[Context], Assessment]
F = TypeVar("F", bound=CheckFunction)


@dataclass(frozen=True, kw_only=True)
class Check:
    """A registered assessor: its sub-requirement's slug, the viewpoint and the function."""

    name: str
    viewpoint: str
    function: CheckFunction


_REGISTRY: dict[str, Check] = {}


def register(name: str, *, viewpoint: str) -> Callable[[F], F]:
    """Register the decorated function as the assessor of sub-requirement ``name``."""
    if viewpoint not in VIEWPOINT_SLUGS:
        raise ValueError(f"check {name!r}: unknown viewpoint {viewpoint!r}")

    def decorate(function: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"check {name!r} is registered twice")
        _REGISTRY[name] = Check(name=name, viewpoint=viewpoint, function=function)
        return function

    return decorate


def get(name: str) -> Check:
    """The assessor registered as ``name``; ``KeyError`` naming it when there is none."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no check registered as {name!r}") from None


def registered() -> dict[str, Check]:
    """Every registered assessor by name."""
    return dict(_REGISTRY)
