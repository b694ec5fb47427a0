import rules

from labinov.core.rules import can_administer_pemda, can_view_pemda, is_national_admin

rules.add_perm("regions.view_pemda", can_view_pemda)
rules.add_perm("regions.enable_pemda", is_national_admin)
rules.add_perm("regions.change_pemda", can_administer_pemda)
rules.add_perm("regions.view_units", can_view_pemda)
rules.add_perm("regions.manage_units", can_administer_pemda)
