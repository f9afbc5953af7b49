"""The ``budapest-coop`` console script: thin commands over package functions."""

from __future__ import annotations

import argparse
import sys

from . import course


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budapest-coop",
        description="Course tools for the budapest-coop curriculum (exercises, cohorts, checks).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    exercises = commands.add_parser("exercises", help="maintain exercises/ from solutions/")
    exercises.add_argument("action", choices=["regenerate", "check"])
    exercises.add_argument("--root", default=None, help="course repository (default: found from here)")
    exercises.set_defaults(run=lambda args: course.main([args.action, *(["--root", args.root] if args.root else [])]))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
