from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "labinov.programs"
    label = "programs"
