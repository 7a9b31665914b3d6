#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    from aduan import envfile

    envfile.load()  # .env, read without a shell; variables already set win
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
