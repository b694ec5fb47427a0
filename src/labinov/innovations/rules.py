import rules

from labinov.core.rules import can_view_pemda

rules.add_perm("innovations.view_innovation", can_view_pemda)
