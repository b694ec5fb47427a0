from django import template
from django.urls import reverse

from labinov.catalog.selectors import item_slug, place_slug

register = template.Library()


@register.simple_tag
def catalogue_url(innovation, pemda) -> str:
    """The public catalogue address of a published innovation ("" when it is not published)."""
    if innovation is None or innovation.published_at is None or pemda is None:
        return ""
    return reverse("catalog_innovation", kwargs={"place": place_slug(pemda), "item": item_slug(innovation)})
