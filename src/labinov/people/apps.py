from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "labinov.people"
    label = "people"
