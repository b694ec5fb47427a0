from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "labinov.delivery"
    label = "delivery"
    verbose_name = _("Deliver: commitments, monitoring and launching")

    def ready(self):
        from . import rules  # noqa: F401  (registers the permissions)
