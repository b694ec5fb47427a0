from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IidConfig(AppConfig):
    name = "labinov.iid"
    label = "iid"
    verbose_name = _("Regional Innovation Index")
