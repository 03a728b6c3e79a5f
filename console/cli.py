"""Starting the console from `make run` (no Slack tokens) or `python -m console`."""

from __future__ import annotations

import logging
import sqlite3
import sys
from typing import TextIO

from bot.when import warm_up
from console.session import Console, interactive_reader


def main(db_path: str, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the console until `:quit` or end of input; 0 unless the database can't be opened."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    # The app logs to stderr; in a terminal session only its warnings are worth seeing.
    logging.getLogger().setLevel(logging.WARNING)

    def echo(line: str) -> None:
        print(line, file=stdout, flush=True)

    try:
        console = Console(db_path, echo=echo)
    except (OSError, sqlite3.Error) as error:
        print(f"salesmeet: SALESMEET_DB={db_path} can't be opened: {error}", file=sys.stderr)
        return 2
    warm_up()  # the time parser's first use is slow; pay it before the first prompt
    tty = stdin.isatty() and stdout.isatty()
    try:
        console.loop(interactive_reader(iter(stdin), tty, echo))
    except KeyboardInterrupt:
        echo("")
        echo(console.tr.gettext("Bye."))
    finally:
        console.close()
    return 0
