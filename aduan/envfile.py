"""Read the .env file into the environment without a shell.

python-dotenv parses it with interpolation off: a ``$`` in a secret, ``${NAME}`` or ``$(…)``
stays exactly as written and nothing is executed. Variables already set in the environment
win (systemd's, a container's). ``ADUAN_ENV_FILE`` names another file (default: ``.env`` in
the project folder).

manage.py, aduan/wsgi.py and gunicorn.conf.py call ``load()``; the shell scripts in bin/
start again through ``python -m aduan.envfile "$0" "$@"``, which loads the file and then
replaces itself with the given command, so the scripts see the same variables.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOADED = "ADUAN_ENV_LOADED"


def path() -> Path:
    return Path(os.environ.get("ADUAN_ENV_FILE") or BASE_DIR / ".env")


def load() -> bool:
    """Fill the gaps in os.environ from the .env file, if there is one; True if there was.

    Old variable names (aduan.env.RENAMED) are copied to their ADUAN_ names either way, so the
    shell scripts started through main() read only the new ones.
    """
    from dotenv import load_dotenv

    from aduan import env

    file = path()
    if file.is_file():
        load_dotenv(file, override=False, interpolate=False, encoding="utf-8")
    env.adopt_old_names()
    return file.is_file()


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit("usage: python -m aduan.envfile COMMAND [ARGUMENT...]")
    load()
    os.environ[LOADED] = "1"
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
