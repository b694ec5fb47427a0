from django.core.management.base import BaseCommand

from labinov.innovations.similarity import catalogue_index_rebuild


class Command(BaseCommand):
    help = "Rebuilds the similarity index of published innovations (the ATM catalogue)."

    def handle(self, *args, **options):
        n = catalogue_index_rebuild()
        self.stdout.write(f"Index rebuilt: {n} published innovations.")
