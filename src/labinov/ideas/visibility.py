"""Who may see which idea: one rule, in two forms (an object test and a queryset filter).

- Drafts are the unit's own work: only that unit's people (and whoever wrote it) see them.
- Organisers, coaches, verifiers and leaders of the pemda, and national roles, see every
  submitted idea of the pemda's programs.
- Unit heads and innovators see their own unit's ideas; once a program's screening decisions
  are published, they see every submitted idea of that program, with its decision.
- Nobody sees another pemda's ideas (the selectors also filter by the URL's pemda).
- A decision's reason (why an idea was rejected) is the unit's and the overseers' business: other
  units see the published decision, never its reason (`reason_visible_to`, issue 9.14).
"""

from __future__ import annotations

from django.db.models import Q

from labinov.core.access import roles_of
from labinov.core.roles import Role

FULL_VIEW = frozenset({Role.ORGANISER, Role.COACH, Role.VERIFIER, Role.LEADER})


def _unit_ids(index, pemda_id) -> set[int]:
    return index.units_for(pemda_id, Role.UNIT_HEAD) | index.units_for(pemda_id, Role.INNOVATOR)


def sees_all_submitted(user, pemda_id: int) -> bool:
    index = roles_of(user)
    return bool(index.national) or bool(FULL_VIEW & index.roles_in(pemda_id))


def idea_visible_to(user, idea, *, published: bool | None = None) -> bool:
    index = roles_of(user)
    own_unit = idea.unit_id in _unit_ids(index, idea.pemda_id)
    if idea.status == "draft":
        return own_unit or (idea.created_by_id is not None and idea.created_by_id == getattr(user, "pk", None))
    if own_unit or sees_all_submitted(user, idea.pemda_id):
        return True
    if published is None:
        published = program_published(idea.program)
    return published and bool(index.roles_in(idea.pemda_id))


def visible_ideas_q(user, program) -> Q:
    """The same rule as a filter over one program's ideas."""
    index = roles_of(user)
    own = Q(unit_id__in=_unit_ids(index, program.pemda_id))
    if getattr(user, "pk", None):
        own |= Q(created_by_id=user.pk)
    if sees_all_submitted(user, program.pemda_id):
        return ~Q(status="draft") | own
    if program_published(program) and index.roles_in(program.pemda_id):
        return ~Q(status="draft") | own
    return own


def program_published(program) -> bool:
    screening = getattr(program, "_screening_cache", None)
    if screening is None:
        from .models import Screening

        screening = Screening.objects.filter(program=program).only("published_at").first() or Screening(program=program)
        program._screening_cache = screening
    return screening.published_at is not None


def own_unit_ids(user, pemda_id: int) -> set[int]:
    return _unit_ids(roles_of(user), pemda_id)


def reason_visible_to(user, idea) -> bool:
    """The reason of an idea's decision: its own unit, and organisers, coaches, verifiers, leaders and
    national roles (who also see the decision itself before it is published)."""
    return idea.unit_id in own_unit_ids(user, idea.pemda_id) or sees_all_submitted(user, idea.pemda_id)


def decisions_visible_to(user, program) -> bool:
    """Organisers, reviewers, leaders and national roles see decisions at once; units once published."""
    return sees_all_submitted(user, program.pemda_id) or program_published(program)
