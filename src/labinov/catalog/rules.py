"""Who may see what in the public catalogue: everyone, logged in or not, sees a published innovation of an
active pemda; nothing else exists for the catalogue (one predicate for the pages, the search and the downloads)."""

import rules


@rules.predicate
def is_published(user, innovation) -> bool:
    return innovation is not None and innovation.published_at is not None and innovation.pemda.is_active


rules.add_perm("catalog.view_innovation", is_published)
