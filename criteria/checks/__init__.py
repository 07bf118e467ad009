"""The assessors, one module per viewpoint; importing this package registers them all.

``requirements.yaml`` lists, per viewpoint, its sub-requirements; each has an assessor registered
under its slug, and ``criteria.checking`` runs them.
"""

from criteria.checks import (  # noqa: F401 - imported to register their checks
    direction,
    diversity,
    municipal_commitment,
    other,
    regionality,
    transformation,
)
from criteria.checks.registry import Check, get, register, registered

__all__ = ["Check", "get", "register", "registered"]
