"""The public catalogue's search entries: one per published innovation.

`text` is `core.textsim.normalize` of the innovation's PUBLIC fields only (name, description, unit,
the profile's design and result fields; never contacts, NIP, team, drafts or the ideas it came
from), so the search index cannot leak what the pages do not show. The same stemmed text is
searched by SQLite (an FTS5 table kept in sync by triggers) and PostgreSQL (a GIN index over
to_tsvector('simple', text)); see catalog/search.py and ADR 0015.
"""

from django.db import models


class CatalogEntry(models.Model):
    innovation = models.OneToOneField("innovations.Innovation", primary_key=True, on_delete=models.CASCADE,
                                      related_name="catalog_entry")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "catalogue entry"

    def __str__(self):
        return f"catalogue entry {self.innovation_id}"
