"""labinov api_token EMAIL NAME — create a personal API token for an account and print it once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from labinov.api.selectors import user_by_email
from labinov.api.services import api_token_create


class Command(BaseCommand):
    help = "Creates an API token for the account with this e-mail and prints it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mail of the account the token acts as")
        parser.add_argument("name", help='What the token is for, e.g. "SIPD sync"')

    def handle(self, *args, email, name, **options):
        user = user_by_email(email=email)
        if user is None:
            raise CommandError(f"No account with the e-mail {email}.")
        try:
            token, plaintext = api_token_create(actor=user, name=name)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stderr.write(
            f"Token “{token.name}” ({token.prefix}…) for {user.email}. Send it as "
            "“Authorization: Bearer <token>”; it is shown only now."
        )
        self.stdout.write(plaintext)
