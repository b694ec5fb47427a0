import rules

from labinov.core.access import roles_of
from labinov.core.roles import Role
from labinov.core.rules import can_administer_pemda, can_view_pemda, has_role, stage_allows_capability
from labinov.core.stages import Capability
from labinov.programs.rules import is_program_coach


def _innovation(obj):
    return obj if obj._meta.label_lower == "innovations.innovation" else obj.innovation


@rules.predicate
def is_unit_member_of_innovation(user, obj):
    innovation = _innovation(obj)
    index = roles_of(user)
    return innovation.unit_id in (index.units_for(innovation.pemda_id, Role.UNIT_HEAD) | index.units_for(innovation.pemda_id, Role.INNOVATOR))


@rules.predicate
def is_unit_head_of_innovation(user, obj):
    innovation = _innovation(obj)
    return innovation.unit_id in roles_of(user).units_for(innovation.pemda_id, Role.UNIT_HEAD)


@rules.predicate
def plan_is_editable(user, plan):
    return plan is not None and plan.status in ("draft", "changes_requested")


def _program_stage(capability):
    inner = stage_allows_capability(capability)

    @rules.predicate(name=f"innovation_stage_allows({capability})")
    def predicate(user, obj):
        innovation = _innovation(obj)
        return innovation.program is not None and inner(user, innovation.program)

    return predicate


@rules.predicate
def innovation_decisions_visible(user, obj):
    from labinov.ideas.visibility import decisions_visible_to

    innovation = _innovation(obj)
    return innovation.program is None or decisions_visible_to(user, innovation.program)


def on_innovation(pred):
    """A pemda-level predicate asked about the innovation of a plan (plans carry no pemda themselves)."""

    @rules.predicate(name=f"on_innovation({pred.name})")
    def predicate(user, obj):
        return obj is not None and pred(user, _innovation(obj))

    return predicate


may_write_plans = _program_stage(Capability.PLAN_WRITE)
may_review_plans = _program_stage(Capability.PLAN_REVIEW)
administers = on_innovation(can_administer_pemda)
sees = on_innovation(can_view_pemda)
plan_coach = administers | on_innovation(has_role(Role.COACH)) | on_innovation(is_program_coach)

@rules.predicate
def sees_all_of_pemda(user, obj):
    """Organisers, coaches, verifiers and leaders of the innovation's pemda, and national roles."""
    from labinov.ideas.visibility import sees_all_submitted

    return obj is not None and sees_all_submitted(user, _innovation(obj).pemda_id)


rules.add_perm("innovations.view_innovation", sees & innovation_decisions_visible)
# The innovation's work (action plans, monitoring, evidence): its own unit and those who oversee the
# pemda; another unit of the same pemda sees the innovation's page, never its work (issue 9.14).
rules.add_perm("innovations.view_innovation_work",
               sees & innovation_decisions_visible & (sees_all_of_pemda | is_unit_member_of_innovation))
rules.add_perm("innovations.change_profile", (administers | is_unit_member_of_innovation) & may_write_plans)
rules.add_perm("innovations.write_plan", (administers | is_unit_member_of_innovation) & may_write_plans)
rules.add_perm("innovations.edit_plan", (administers | is_unit_member_of_innovation) & plan_is_editable
               & (may_write_plans | administers))
rules.add_perm("innovations.review_plan", plan_coach & may_review_plans)
rules.add_perm("innovations.approve_plan_as_unit", is_unit_head_of_innovation)
rules.add_perm("innovations.revise_plan", administers | (is_unit_member_of_innovation & may_write_plans))
from . import rules_program  # noqa: E402,F401  (the program-level plan permissions)
