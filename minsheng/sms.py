"""Pluggable SMS sending, shaped like Django's e-mail backends.

`send_sms(phone, text)` hands the message to the backend named by settings.SMS_BACKEND. A real gateway is
one class with `send(messages)`; the ones here are for development and tests:

- ConsoleBackend prints each message (the zero-setup default);
- FileBackend appends one JSON line per message to settings.SMS_FILE_PATH;
- LocmemBackend keeps messages in `minsheng.sms.outbox` (the test settings use it).

Callers pass the phone in clear (a gateway needs it). The console and file backends write it masked (and
the file backend its keyed hash too, to find a phone's messages): their output is a log, and no log holds
a clear phone. Only the in-memory outbox of the tests keeps it.
"""

import json
import sys
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string

from .phones import hash_phone, mask_phone

outbox: list["SmsMessage"] = []
_lock = threading.Lock()


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


class BaseBackend:
    def send(self, messages: list[SmsMessage]) -> int:
        """Send the messages; return how many were sent."""
        raise NotImplementedError


def masked(phone: str) -> str:
    """The phone as logs may show it: masked digits, or stars around the ends if it is not a mobile."""
    try:
        return mask_phone(phone)
    except ValidationError:
        return f"{phone[:3]}****{phone[-2:]}" if len(phone) > 6 else "****"


def hashed(phone: str) -> str | None:
    try:
        return hash_phone(phone)
    except ValidationError:
        return None


class ConsoleBackend(BaseBackend):
    def send(self, messages):
        for message in messages:
            sys.stdout.write(f"[短信] {masked(message.phone)}: {message.text}\n")
        sys.stdout.flush()
        return len(messages)


class FileBackend(BaseBackend):
    def send(self, messages):
        path = settings.SMS_FILE_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock, open(path, "a", encoding="utf-8") as f:
            for message in messages:
                record = {
                    "at": timezone.now().isoformat(),
                    "phone_masked": masked(message.phone),
                    "phone_hash": hashed(message.phone),
                    "text": message.text,
                }
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return len(messages)


class LocmemBackend(BaseBackend):
    def send(self, messages):
        with _lock:
            outbox.extend(messages)
        return len(messages)


def get_backend(path: str | None = None) -> BaseBackend:
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(phone: str, text: str, *, backend: BaseBackend | None = None) -> int:
    return (backend or get_backend()).send([SmsMessage(phone, text)])
