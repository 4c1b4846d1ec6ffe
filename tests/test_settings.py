"""The settings table: strict casts, one-line errors naming the variable."""

import pytest

from bot.settings import SettingsError, read_settings


@pytest.mark.parametrize(("raw", "hops"), [("true", 1), ("false", 0), ("0", 0), ("1", 1), ("2", 2), (" 2 ", 2)])
def test_trust_proxy_is_a_number_of_proxies(raw, hops):
    assert read_settings({"FAQBOT_TRUST_PROXY": raw})["FAQBOT_TRUST_PROXY"] == hops


@pytest.mark.parametrize("raw", ["30/minute", "10/minute;200/day", "off", "OFF", "5 per second"])
def test_a_rate_limit_flask_limiter_reads_is_accepted(raw):
    assert read_settings({"FAQBOT_RATE_LIMIT": raw})["FAQBOT_RATE_LIMIT"] in (raw.strip(), "off")


@pytest.mark.parametrize(("name", "raw"), [("FAQBOT_RATE_LIMIT", "banana"), ("FAQBOT_RATE_LIMIT", "30"),
                                           ("FAQBOT_SMS_RATE_LIMIT", "lots/minute"), ("FAQBOT_TRUST_PROXY", "-1"),
                                           ("FAQBOT_WORKERS", "0"), ("FAQBOT_WORKERS", "two")])
def test_a_bad_value_names_its_setting(name, raw):
    with pytest.raises(SettingsError, match=name):
        read_settings({name: raw})


def test_there_are_at_least_two_workers_by_default():
    assert read_settings({})["FAQBOT_WORKERS"] >= 2


@pytest.mark.parametrize(("name", "value"), [("FAQBOT_RATE_LIMIT", "0/minute"), ("FAQBOT_SMS_RATE_LIMIT", "0/second"),
                                             ("FAQBOT_TRUST_PROXY", "\u00b2")])
def test_a_setting_that_would_refuse_everyone_or_is_no_count_is_refused(name, value):
    with pytest.raises(SettingsError, match=name):
        read_settings({name: value})
