"""Shared permission predicates: role ∧ tenant ∧ stage. Apps compose their permissions from these."""

import rules

from .access import pemda_id_of, roles_of
from .roles import Role
from .stages import stage_allows


@rules.predicate
def is_national_admin(user):
    return Role.NATIONAL_ADMIN in roles_of(user).national


@rules.predicate
def is_national_coach(user):
    return Role.NATIONAL_COACH in roles_of(user).national


def has_role(*roles: str):
    """The user holds one of `roles` in the pemda of the object."""
    wanted = set(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user, obj):
        return bool(wanted & roles_of(user).roles_in(pemda_id_of(obj)))

    return predicate


@rules.predicate
def is_member(user, obj):
    """Holds any role in the object's pemda."""
    return bool(roles_of(user).roles_in(pemda_id_of(obj)))


def program_of(obj):
    if obj is None:
        return None
    label = obj._meta.label_lower
    if label == "programs.program":
        return obj
    return getattr(obj, "program", None)


def stage_allows_capability(capability: str):
    """The program the object belongs to is in a stage that allows `capability`."""

    @rules.predicate(name=f"stage_allows({capability})")
    def predicate(user, obj):
        program = program_of(obj)
        return program is not None and stage_allows(program.stage, capability)

    return predicate


is_organiser = has_role(Role.ORGANISER)
is_leader = has_role(Role.LEADER)
is_pemda_coach = has_role(Role.COACH)
can_view_pemda = is_national_admin | is_national_coach | is_member
can_administer_pemda = is_national_admin | is_organiser

rules.add_perm("core.view_audit", can_administer_pemda)
