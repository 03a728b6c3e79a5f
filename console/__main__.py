"""`python -m console`: the local console on SALESMEET_DB (default data/salesmeet.db)."""

import sys

from console.cli import main
from salesmeet.config import ConfigError, load_settings

if __name__ == "__main__":
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"salesmeet: {error}", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(settings.db_path))
