"""`python -m console`: the local console on SALESMEET_DB (default data/salesmeet.db)."""

import sys

from bot.config import ConfigError, load_settings
from console.cli import main

if __name__ == "__main__":
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"salesmeet: {error}", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(settings.db_path))
