from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from saqshy.demo.loader import demo_logins


class Command(BaseCommand):
    help = "Print the demo address and logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--address", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        line = "=" * 64
        self.stdout.write(line)
        self.stdout.write(f"Saqshy demo: open {options['address']}")
        self.stdout.write("Sign in as (same password for all):")
        logins = demo_logins()
        width = max((len(username) for username, _password, _what in logins), default=0)
        for username, password, what in logins:
            self.stdout.write(f"  {username:<{width}}  {password}  {what}")
        self.stdout.write(f"API docs: {options['address']}api/docs/   Stop: Ctrl+C")
        self.stdout.write(line)
