"""The named checks, one module per viewpoint; importing this package registers them all.

``viewpoints.yaml`` lists, per viewpoint, the check names to run; ``criteria.checking`` runs them.
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
