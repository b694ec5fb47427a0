from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .numbers import Count, IntRange

MAX_LIMIT = 200


class LimitOffset(LimitOffsetPagination):
    """`?limit=&offset=` → {"count": total, "items": [...]}; limit 1–200 (default 50)."""

    class Input(Schema):
        limit: IntRange(1, MAX_LIMIT) = Field(50, description=f"How many items (1–{MAX_LIMIT}).")
        offset: Count = Field(0, description="How many items to skip.")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
