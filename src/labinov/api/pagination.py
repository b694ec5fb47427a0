from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200


class LimitOffset(LimitOffsetPagination):
    """`?limit=&offset=` → {"count": total, "items": [...]}; limit 1–200 (default 50)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"How many items (1–{MAX_LIMIT}).")
        offset: int = Field(0, ge=0, description="How many items to skip.")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
