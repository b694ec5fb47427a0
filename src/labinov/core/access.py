"""Who holds which role where, read once per request and cached on the user object.

Every permission predicate (core/rules.py and each app's rules.py) asks this index, so checking
50 rows of a list costs no extra query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .roles import Role

_CACHE_ATTR = "_labinov_roles"


@dataclass
class RoleIndex:
    national: set[str] = field(default_factory=set)
    by_pemda: dict[int, set[str]] = field(default_factory=dict)
    units: dict[tuple[int, str], set[int]] = field(default_factory=dict)

    def roles_in(self, pemda_id: int | None) -> set[str]:
        return self.by_pemda.get(pemda_id, set()) if pemda_id is not None else set()

    def units_for(self, pemda_id: int, role: str) -> set[int]:
        return self.units.get((pemda_id, role), set())

    def pemda_ids(self) -> set[int]:
        return set(self.by_pemda)


def roles_of(user) -> RoleIndex:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return RoleIndex()
    index = getattr(user, _CACHE_ATTR, None)
    if index is None:
        index = RoleIndex()
        for role, pemda_id, unit_id in user.memberships.values_list("role", "pemda_id", "unit_id"):
            if pemda_id is None:
                index.national.add(role)
            else:
                index.by_pemda.setdefault(pemda_id, set()).add(role)
                if unit_id is not None:
                    index.units.setdefault((pemda_id, role), set()).add(unit_id)
        if user.is_superuser:
            index.national.add(Role.NATIONAL_ADMIN)
        setattr(user, _CACHE_ATTR, index)
    return index


def forget_roles(user) -> None:
    """After a membership changes within a request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def pemda_id_of(obj) -> int | None:
    """The pemda an object belongs to: a Pemda itself, or anything with a pemda_id."""
    if obj is None:
        return None
    if obj._meta.label_lower == "regions.pemda":
        return obj.pk
    return getattr(obj, "pemda_id", None)
