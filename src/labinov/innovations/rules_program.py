"""Permissions on a program's action plans as a whole: the overview, the timelines, the exports and
the reminders. Each takes the Program object. Imported by innovations/overview.py, so the
permissions register with every page that uses them.

- Overview, timelines and exports: the organiser and the national admin, the coaches (the pemda's
  coaches, the national coaches, and anyone assigned as a coach in the program), the leader and the
  verifier. Unit heads and innovators see their own innovation's plan on its page, not the program's.
- Reminders e-mail unit heads in the pemda's name: the organiser and the national admin.
"""

import rules

from labinov.core.roles import Role
from labinov.core.rules import can_administer_pemda, has_role, is_national_coach, is_pemda_coach
from labinov.programs.rules import is_program_coach

oversees_plans = can_administer_pemda | is_national_coach | is_pemda_coach | is_program_coach | has_role(Role.LEADER, Role.VERIFIER)

rules.add_perm("innovations.view_program_plans", oversees_plans)
rules.add_perm("innovations.export_program_plans", oversees_plans)
rules.add_perm("innovations.remind_plans", can_administer_pemda)
