from django.core.management.base import BaseCommand

from labinov.core.demo import loader
from labinov.regions.models import Pemda


class Command(BaseCommand):
    help = "Loads the demo data (Yogyakarta 2015 and 2024, Salatiga 2019, Banjar 2017, Cilegon 2022) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo accounts.")
        parser.add_argument("--force", action="store_true", help="Load even without DEBUG or LABINOV_DEV (never on a live site).")

    def handle(self, *args, **options):
        import os

        from django.conf import settings
        from django.core.management.base import CommandError

        if not (settings.DEBUG or os.environ.get("LABINOV_DEV") or options["force"]):
            raise CommandError("The demo creates accounts with a public password; it loads only with DEBUG=1 or LABINOV_DEV=1 (or --force).")
        if Pemda.objects.exists():
            self.stdout.write("The database already has data; the demo is not loaded again.")
        else:
            self.stdout.write("Loading the demo data...")
            counts = loader.load(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(
                "Demo loaded: {pemda} pemda, {units} units, {people} people, {participations} program participations.".format(**counts)
            ))
        if not options["quiet_accounts"]:
            self.stdout.write("\nDemo accounts (password for all: %s):" % loader.PASSWORD)
            for email, name, role, code, unit in loader.ACCOUNTS:
                where = f"{code}" + (f" · {unit}" if unit else "") if code else "national"
                self.stdout.write(f"  {email:<28} {role.label} ({where})")
