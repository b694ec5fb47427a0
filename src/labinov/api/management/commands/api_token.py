"""labinov api_token EMAIL NAME [--days N] — create a personal API token and print it once; it expires
after N days (default settings.LABINOV_API_TOKEN_DAYS, 90).
labinov api_token EMAIL --list — the account's tokens (prefix, name, created, last used, expiry, state).
labinov api_token EMAIL --revoke PREFIX — revoke the token whose first characters are PREFIX."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from labinov.api.selectors import api_token_list, user_by_email
from labinov.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Creates (and prints once), lists or revokes the API tokens of the account with this e-mail."

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mail of the account the token acts as")
        parser.add_argument("name", nargs="?", help='What a new token is for, e.g. "SIPD sync"')
        parser.add_argument("--list", action="store_true", help="List the account's tokens")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the token starting with PREFIX")
        parser.add_argument("--days", type=int, help="Days until a new token expires (default: API_TOKEN_DAYS, 90)")

    def handle(self, *args, email, name, **options):
        user = user_by_email(email=email)
        if user is None:
            raise CommandError(f"No account with the e-mail {email}.")
        if options["list"]:
            for t in api_token_list(user=user).order_by("-created_at"):
                state = "revoked" if t.revoked else "expired" if t.expired else "active"
                expires = f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never"
                self.stdout.write(f"{t.prefix}…  {t.name}  created {t.created_at:%Y-%m-%d}  last used {t.last_used_at or '-'}"
                                  f"  expires {expires}  {state}")
            return
        if options["revoke"]:
            matches = [t for t in api_token_list(user=user) if t.prefix.startswith(options["revoke"])]
            if len(matches) != 1:
                raise CommandError(f"{len(matches)} tokens of {email} start with {options['revoke']!r}; give a longer prefix.")
            api_token_revoke(actor=user, token=matches[0])
            self.stdout.write(f"Token {matches[0].prefix}… ({matches[0].name}) revoked.")
            return
        if not name:
            raise CommandError("Give the new token's name, or --list, or --revoke PREFIX.")
        try:
            token, plaintext = api_token_create(actor=user, name=name, days=options["days"])
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        until = f"valid until {token.expires_at:%Y-%m-%d %H:%M %Z}" if token.expires_at else "never expires"
        self.stderr.write(
            f"Token “{token.name}” ({token.prefix}…) for {user.email}, {until}. Send it as "
            "“Authorization: Bearer <token>”; it is shown only now."
        )
        self.stdout.write(plaintext)
