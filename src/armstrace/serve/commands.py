"""CLI commands of the analyst surfaces: `serve` and `report`.

`cli.py` adds every command in COMMANDS to the `armstrace` group, so this module owns them.
Heavy imports (FastAPI, uvicorn) happen inside the commands.
"""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
