"""What Labinov's own management commands share."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError


class MessageOnErrorCommand(BaseCommand):
    """A command whose refusals print the message alone (no traceback, no class name) and exit with
    the CommandError's return code (2 for bad input) when run from the command line; called from
    code (call_command, tests) the CommandError is raised as usual."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as e:
            if not self._called_from_command_line:
                raise
            self.stderr.write(str(e))
            sys.exit(e.returncode)
