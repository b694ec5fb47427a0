import rules

from labinov.core.roles import Role
from labinov.core.rules import can_administer_pemda, has_role, is_national_admin, is_national_coach

rules.add_perm(
    "people.view_people",
    can_administer_pemda | is_national_coach | has_role(Role.COACH, Role.LEADER),
)
rules.add_perm("people.manage_people", can_administer_pemda)
rules.add_perm("people.manage_members", can_administer_pemda)
rules.add_perm("people.grant_national_role", is_national_admin)
# Unlocking an account locked out of log-in: an organiser for the members of their pemda, a national
# admin for anyone; only a national admin sees every lock (addresses, reset limits) and lifts it.
rules.add_perm("people.unlock_member", can_administer_pemda)
rules.add_perm("people.release_lock", is_national_admin)
# Anonymising a person (UU PDP 27/2022): an organiser for the people of their pemda, a national admin
# for anyone; a person with an account only by a national admin (services.person_anonymise_refusal).
rules.add_perm("people.anonymise_person", can_administer_pemda)
rules.add_perm("people.anonymise_account", is_national_admin)
