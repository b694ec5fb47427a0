from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "labinov.delivery"
    label = "delivery"
    verbose_name = _("Deliver: commitments, monitoring and launching")

    def ready(self):
        from labinov.innovations.signals import plan_approved

        from . import rules  # noqa: F401  (registers the permissions)
        from .monitoring import carry_progress

        plan_approved.connect(carry_progress, dispatch_uid="delivery.carry_progress")
