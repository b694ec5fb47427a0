"""The demo's published innovations are in the public catalogue and found by its search."""

import pytest
from django.test import Client

from tests.core.test_demo import demo  # noqa: F401  (the module-scoped demo fixture)


@pytest.mark.django_db
def test_demo_innovations_are_in_the_catalogue(demo):  # noqa: F811
    from labinov.catalog.models import CatalogEntry
    from labinov.innovations.models import Innovation

    published = set(Innovation.objects.filter(published_at__isnull=False).values_list("pk", flat=True))
    assert len(published) > 100
    assert set(CatalogEntry.objects.values_list("pk", flat=True)) == published
    response = Client().get("/katalog/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200 and response.context["total"] == len(published)
    regions = {o.label for o in response.context["facets"]["region"]}
    assert {"Kota Yogyakarta", "Kabupaten Banjar"} <= regions
    some = Innovation.objects.filter(published_at__isnull=False).order_by("pk").first()
    found = Client().get("/katalog/", {"q": some.name}).context["rows"]
    assert some.pk in [row["innovation"].pk for row in found]
