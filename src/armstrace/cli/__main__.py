"""`python -m armstrace.cli`: the same as the `armstrace` command."""

from armstrace.cli import main

main()
