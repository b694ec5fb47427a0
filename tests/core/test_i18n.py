"""Dates and numbers in Indonesian government style, English on request."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import formats, translation
from django.utils.formats import date_format, number_format


def test_default_language_is_indonesian():
    assert translation.get_language() == "id"


def test_default_date_format():
    assert date_format(date(2019, 11, 14)) == "14 November 2019"


def test_indonesian_month_names_and_short_date():
    with translation.override("id"):
        assert date_format(date(2019, 8, 17)) == "17 Agustus 2019"
        assert date_format(date(2019, 8, 7), "SHORT_DATE_FORMAT") == "7 Agu 2019"  # same order as the long form
        assert date_format(datetime(2019, 8, 17, 9, 5), "DATETIME_FORMAT") == "17 Agustus 2019, 09.05"


def test_indonesian_number_format():
    with translation.override("id"):
        assert number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1.234,5"
        assert number_format(1234567, use_l10n=True, force_grouping=True) == "1.234.567"


def test_english_formats():
    with translation.override("en"):
        assert date_format(date(2019, 11, 14)) == "14 November 2019"
        assert date_format(date(2019, 8, 17)) == "17 August 2019"
        assert number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1,234.5"


@pytest.mark.parametrize(("lang", "typed"), [("id", "14/11/2019"), ("id", "2019-11-14"), ("en", "14/11/2019")])
def test_day_first_date_input(lang, typed):
    from django import forms

    with translation.override(lang):
        assert forms.DateField().clean(typed) == date(2019, 11, 14)
        assert "%m/%d/%Y" not in formats.get_format("DATE_INPUT_FORMATS")


def test_pages_follow_the_accept_language_header(world, client):
    client.force_login(world.users["organiser"])
    assert '<html lang="id">' in client.get("/").content.decode()
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
