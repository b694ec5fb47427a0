from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "labinov.regions"
    label = "regions"
