"""``python -m benchmarks [--quick] [--only NAME …]``: every benchmark, one JSON object.

Each module under ``benchmarks`` exposing ``run(quick: bool) -> dict`` is one entry; a module that
fails reports its error instead of stopping the others. On a TTY a readable table follows.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
import traceback
from typing import Any

MODULES = ("agreement", "checks", "engine", "chat", "cli", "compare", "render", "telegram", "slack")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes; finishes in about a minute")
    parser.add_argument("--only", nargs="*", default=None, help="run only these benchmarks")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
        "quick": args.quick,
    }
    for name in args.only or MODULES:
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                continue
            raise
        try:
            results[name] = module.run(args.quick)
        except Exception as exc:  # one broken benchmark must not hide the others
            results[name] = {"error": repr(exc), "trace": traceback.format_exc(limit=3)}
        results[name]["seconds"] = round(time.perf_counter() - started, 2)
    json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
