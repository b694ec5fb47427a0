from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "labinov.api"
    label = "api"
