"""CLI commands of the knowledge base: transfer records, actor profiles, exports, SIPRI import.

`cli.py` adds every command in COMMANDS to the `armstrace` group, so this module owns them.
"""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
