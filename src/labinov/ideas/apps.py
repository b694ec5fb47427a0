from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "labinov.ideas"
    label = "ideas"
    verbose_name = _("Ideas (Diagnose)")

    def ready(self):
        from labinov.core.audit import register_audit_visibility

        from .audit_visibility import hidden_idea_records

        register_audit_visibility("ideas.idea", hidden_idea_records)
