import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read service messages; they are written in English (the msgids)."""
    with translation.override("en"):
        yield
