from django.core.management.base import BaseCommand

from labinov.catalog.services import catalogue_rebuild


class Command(BaseCommand):
    help = "Recomputes the public catalogue's search entries (SQLite FTS5 / PostgreSQL tsvector) of every published innovation."

    def handle(self, *args, **options):
        n = catalogue_rebuild()
        self.stdout.write(f"Catalogue search rebuilt: {n} published innovations.")
