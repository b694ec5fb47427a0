"""The roles a person can hold. Pemda roles are held in one pemda; national roles across all."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    COACH = "coach", _("Coach")
    UNIT_HEAD = "unit_head", _("Unit head")
    INNOVATOR = "innovator", _("Innovator")
    VERIFIER = "verifier", _("Verifier")
    LEADER = "leader", _("Leader (head of region / sekda)")
    NATIONAL_ADMIN = "national_admin", _("National admin")
    NATIONAL_COACH = "national_coach", _("National coach (LAN)")


NATIONAL_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.NATIONAL_COACH})
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.INNOVATOR})
PEMDA_ROLES = frozenset(set(Role) - NATIONAL_ROLES)
