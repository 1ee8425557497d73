"""Shared helpers: phone hashing and masking, the SMS backends, app beat schedules, the portal home."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from minsheng import sms
from minsheng.phones import hash_phone, mask_phone, normalize_phone
from minsheng.settings.base import app_beat_schedules


@pytest.mark.parametrize(
    "raw", ["13812345678", " 138-1234-5678 ", "+8613812345678", "008613812345678", "１３８１２３４５６７８"]
)
def test_phone_forms_normalise_to_the_same_digits(raw):
    assert normalize_phone(raw) == "13812345678"
    assert mask_phone(raw) == "138****5678"
    assert hash_phone(raw) == hash_phone("13812345678")


@pytest.mark.parametrize("raw", ["", "1381234567", "23812345678", "12812345678", "138123456789", "abc"])
def test_bad_phones_get_a_chinese_error(raw):
    with pytest.raises(ValidationError, match="手机号码"):
        normalize_phone(raw)


def test_the_hash_is_keyed():
    first = hash_phone("13812345678")
    with override_settings(PHONE_HASH_KEY="another-key"):
        assert hash_phone("13812345678") != first
    assert len(first) == 64
    assert "13812345678" not in first


def test_locmem_backend_keeps_an_outbox():
    assert sms.send_sms("13812345678", "验证码 123456") == 1
    assert sms.outbox == [sms.SmsMessage("13812345678", "验证码 123456")]


def test_file_backend_appends_json_lines(tmp_path):
    path = tmp_path / "sms.log"
    with override_settings(SMS_FILE_PATH=path):
        sms.send_sms("13812345678", "一", backend=sms.FileBackend())
        sms.send_sms("13912345678", "二", backend=sms.FileBackend())
    text = path.read_text(encoding="utf-8")
    assert "13812345678" not in text
    assert "13912345678" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(r["phone_masked"], r["phone_hash"], r["text"]) for r in lines] == [
        ("138****5678", hash_phone("13812345678"), "一"),
        ("139****5678", hash_phone("13912345678"), "二"),
    ]


def test_console_backend_prints_the_phone_masked(capsys):
    sms.send_sms("13812345678", "您好", backend=sms.ConsoleBackend())
    sms.send_sms("0539-8123456", "座机", backend=sms.ConsoleBackend())
    out = capsys.readouterr().out
    assert "138****5678: 您好" in out
    assert "053****56: 座机" in out
    assert "13812345678" not in out
    assert "8123456" not in out


def test_beat_schedules_are_collected_from_apps(tmp_path, monkeypatch):
    import minsheng.settings.base as base

    for app, key in [("app_one", "one"), ("app_two", "two")]:
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
        (tmp_path / app / "schedule.py").write_text(f"BEAT_SCHEDULE = {{'{key}': {{'task': 'x.{key}'}}}}\n")
    monkeypatch.setattr(base, "BASE_DIR", tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert app_beat_schedules(["app_one", "app_two", "django.contrib.admin"]) == {
        "one": {"task": "x.one"},
        "two": {"task": "x.two"},
    }
    (tmp_path / "app_two" / "schedule.py").write_text("BEAT_SCHEDULE = {'one': {'task': 'x.again'}}\n")
    import sys

    sys.modules.pop("app_two.schedule", None)
    with pytest.raises(ValueError, match="Duplicate beat entry 'one'"):
        app_beat_schedules(["app_one", "app_two"])


def test_portal_home_is_public(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "民生实事公开平台" in response.content.decode()
