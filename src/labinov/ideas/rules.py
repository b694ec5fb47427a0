import rules

from labinov.core.access import roles_of
from labinov.core.roles import Role
from labinov.core.rules import can_administer_pemda, can_view_pemda, has_role, is_national_coach, stage_allows_capability
from labinov.core.stages import Capability
from labinov.programs.rules import is_program_coach

from .visibility import idea_visible_to


@rules.predicate
def can_view_idea(user, idea):
    return idea is not None and idea_visible_to(user, idea)


@rules.predicate
def is_member_of_idea_unit(user, idea):
    index = roles_of(user)
    return idea is not None and idea.unit_id in (
        index.units_for(idea.pemda_id, Role.UNIT_HEAD) | index.units_for(idea.pemda_id, Role.INNOVATOR)
    )


@rules.predicate
def is_unit_member(user, program):
    """Holds a unit role (unit head, innovator) for a unit that takes part in the program."""
    index = roles_of(user)
    units = index.units_for(program.pemda_id, Role.UNIT_HEAD) | index.units_for(program.pemda_id, Role.INNOVATOR)
    if not units:
        return False
    cache = getattr(program, "_participating_unit_ids", None)
    if cache is None:
        from labinov.programs.models import Participation

        cache = set(Participation.objects.filter(program=program).values_list("unit_id", flat=True))
        program._participating_unit_ids = cache
    return bool(units & cache)


@rules.predicate
def idea_is_open(user, idea):
    return idea is not None and idea.status in ("draft", "submitted")


@rules.predicate
def screening_not_started(user, program):
    from .models import Screening

    return not Screening.objects.filter(program=program, started_at__isnull=False).exists()


may_write_ideas = stage_allows_capability(Capability.IDEA_CREATE)
may_review_ideas = stage_allows_capability(Capability.IDEA_REVIEW)
reviewer = can_administer_pemda | has_role(Role.COACH, Role.VERIFIER) | is_program_coach

rules.add_perm("ideas.view_ideas", can_view_pemda)  # the list; rows are filtered by the visibility rule
rules.add_perm("ideas.view_idea", can_view_idea)
rules.add_perm("ideas.add_idea", (can_administer_pemda | is_unit_member) & may_write_ideas)
rules.add_perm("ideas.change_idea", (can_administer_pemda | is_member_of_idea_unit) & idea_is_open & may_write_ideas)
rules.add_perm("ideas.import_ideas", can_administer_pemda & may_write_ideas)
rules.add_perm("ideas.export_ideas", can_administer_pemda | is_national_coach | has_role(Role.COACH, Role.VERIFIER, Role.LEADER) | is_program_coach)
rules.add_perm("ideas.edit_rubric", can_administer_pemda & (may_write_ideas | may_review_ideas) & screening_not_started)
rules.add_perm("ideas.review_idea", reviewer & may_review_ideas)
rules.add_perm("ideas.view_reviews", reviewer | has_role(Role.LEADER) | is_national_coach)
rules.add_perm("ideas.decide", can_administer_pemda & may_review_ideas)
rules.add_perm("ideas.view_funnel", can_view_pemda)
