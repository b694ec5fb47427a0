"""Who may do what in Deliver. Program-level permissions take the Program, commitment permissions the
Commitment, monitoring permissions the Innovation.

- Commitments as a whole, the progress dashboard: whoever oversees the program's plans (organiser,
  national admin, coaches of the pemda or of the program, national coaches, leader, verifier).
- One commitment: those, and the people of its unit.
- Preparing, generating, uploading and activating: the organiser (and national admin) while the
  stage allows it; judging fulfilment at the end of the period: the organiser at any stage.
- Recording a signature: the organiser for any party; the unit head for their unit, the leader the
  countersignature, a national (LAN) coach the witness — while the stage allows signing.
- Reporting progress: the innovation's unit and the organiser; coach notes: the innovation's coaches.
- Launchings: seen by everyone of the pemda; recorded by the organiser in the launching stage.
"""

import rules

from labinov.core.access import roles_of
from labinov.core.roles import Role
from labinov.core.rules import can_administer_pemda, can_view_pemda, stage_allows_capability
from labinov.core.stages import Capability
from labinov.innovations.rules import (
    _program_stage,
    administers,
    is_unit_member_of_innovation,
    plan_coach,
)
from labinov.innovations.rules_program import oversees_plans


@rules.predicate
def is_unit_member_of_commitment(user, commitment):
    index = roles_of(user)
    return commitment.unit_id in (index.units_for(commitment.pemda_id, Role.UNIT_HEAD) | index.units_for(commitment.pemda_id, Role.INNOVATOR))


@rules.predicate
def may_sign_some_party(user, commitment):
    index = roles_of(user)
    return (commitment.unit_id in index.units_for(commitment.pemda_id, Role.UNIT_HEAD)
            or Role.LEADER in index.roles_in(commitment.pemda_id) or Role.NATIONAL_COACH in index.national)


def _of_program(pred):
    @rules.predicate(name=f"of_program({pred.name})")
    def predicate(user, obj):
        return pred(user, obj.program)

    return predicate


may_prepare = stage_allows_capability(Capability.COMMITMENT_PREPARE)
may_sign = stage_allows_capability(Capability.COMMITMENT_SIGN)

rules.add_perm("delivery.view_commitments", oversees_plans)
rules.add_perm("delivery.manage_commitments", can_administer_pemda & may_prepare)
rules.add_perm("delivery.close_commitments", can_administer_pemda)
rules.add_perm("delivery.view_commitment", _of_program(oversees_plans) | is_unit_member_of_commitment)
rules.add_perm("delivery.sign_commitment", (_of_program(can_administer_pemda) | may_sign_some_party) & may_sign)

rules.add_perm("delivery.view_progress", oversees_plans)
rules.add_perm("delivery.report_progress", (administers | is_unit_member_of_innovation) & _program_stage(Capability.MONITORING_REPORT))
rules.add_perm("delivery.add_coach_note", plan_coach & _program_stage(Capability.MONITORING_REPORT))

rules.add_perm("delivery.view_launches", can_view_pemda)
rules.add_perm("delivery.record_launch", can_administer_pemda & stage_allows_capability(Capability.LAUNCH_RECORD))
