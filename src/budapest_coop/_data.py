"""Reading the package's data files (YAML and CSV shipped under ``data/``)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


class DataError(ValueError):
    """A data file of the package breaks its schema; the message names the file and record."""


def data_path(*parts: str):
    """A traversable path inside ``budapest_coop/data``."""
    path = resources.files("budapest_coop").joinpath("data")
    for part in parts:
        path = path.joinpath(part)
    return path


@cache
def load_yaml(*parts: str) -> Any:
    """Parse a YAML file under ``data/`` once per process."""
    path = data_path(*parts)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"data file missing: data/{'/'.join(parts)}") from None
    except yaml.YAMLError as exc:
        raise DataError(f"data/{'/'.join(parts)} is not valid YAML: {exc}") from None


def yaml_files(folder: str) -> list[str]:
    """Names of the YAML files in a data folder, sorted."""
    return sorted(
        entry.name for entry in data_path(folder).iterdir() if entry.name.endswith(".yaml")
    )
