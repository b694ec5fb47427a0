import rules

from labinov.core.rules import can_administer_pemda, can_view_pemda, is_pemda_coach, stage_allows_capability
from labinov.core.stages import Capability


@rules.predicate
def is_program_coach(user, obj):
    """Assigned as a coach to at least one unit of the program (LAN or local coach)."""
    from labinov.core.rules import program_of

    program = program_of(obj)
    if program is None or not user.is_authenticated:
        return False
    ids = getattr(user, "_coached_program_ids", None)
    if ids is None:
        ids = set(user.coach_assignments.values_list("program_id", flat=True))
        user._coached_program_ids = ids
    return program.pk in ids


@rules.predicate
def is_training(user, obj):
    return obj is not None and getattr(obj, "program_id", 1) is None


rules.add_perm("programs.view_program", can_view_pemda)
rules.add_perm("programs.add_program", can_administer_pemda)
rules.add_perm("programs.change_program", can_administer_pemda & stage_allows_capability(Capability.PROGRAM_EDIT))
rules.add_perm("programs.advance_stage", can_administer_pemda)
rules.add_perm("programs.view_event", can_view_pemda)
# An event of a program is scheduled while its stage allows it; a training has no program.
rules.add_perm(
    "programs.schedule_event",
    can_administer_pemda & (is_training | stage_allows_capability(Capability.EVENT_SCHEDULE)),
)
rules.add_perm("programs.schedule_training", can_administer_pemda)
rules.add_perm(
    "programs.record_attendance",
    (can_administer_pemda | is_program_coach | is_pemda_coach)
    & (is_training | stage_allows_capability(Capability.ATTENDANCE_RECORD)),
)
