"""Load the domain-knowledge files shipped in armstrace/data.

One loader for the shipped YAML files: it fails fast with a DataFileError that names
the file and the problem. Modules call `load_yaml("actors.yaml")` and validate the shape they need.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from armstrace.errors import DataFileError


def data_path(name: str) -> Path:
    """The filesystem path of a shipped data file (the package is installed unzipped)."""
    return Path(str(resources.files("armstrace") / "data" / name))


@cache
def load_yaml(name: str) -> Any:
    path = data_path(name)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise DataFileError(f"data file {name} is missing from the package ({path})") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"data file {name} is not valid YAML: {exc}") from exc


def require(condition: bool, name: str, message: str) -> None:
    """Raise a DataFileError naming the file when a validation check fails."""
    if not condition:
        raise DataFileError(f"data file {name}: {message}")
