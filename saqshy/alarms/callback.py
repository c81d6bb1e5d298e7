"""Calling a household back after its alarm: a small transport interface and two transports.

A real SMS or voice gateway is configuration: a class with ``send(to, text) -> SendResult``
named by the setting ``ALARM_CALLBACK_TRANSPORT`` (a dotted path). The product ships
``LogTransport`` (writes the message to the log; the dispatcher records the answer by hand)
and ``FakeTransport`` (tests and the demo: records what was sent and can answer as scripted).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("saqshy.alarms.callback")

DEFAULT_TRANSPORT = "saqshy.alarms.callback.LogTransport"


@dataclass(frozen=True)
class SendResult:
    """What a transport says about one message: sent or not, its reference, and an answer
    if the transport already has one (a scripted fake, an interactive voice menu)."""

    ok: bool
    reference: str = ""
    error: str = ""
    answer: str = ""
    answer_text: str = ""


class Transport(Protocol):
    def send(self, to: str, text: str) -> SendResult: ...


class LogTransport:
    """Writes the call-back to the log; nobody is really called."""

    def send(self, to: str, text: str) -> SendResult:
        reference = uuid.uuid4().hex[:16]
        log.info("call-back %s to %s: %s", reference, to, text)
        return SendResult(ok=True, reference=reference)


@dataclass
class Sent:
    to: str
    text: str


@dataclass
class _Script:
    answer: str = ""
    answer_text: str = ""
    fail: bool = False


class FakeTransport:
    """Records every message in ``FakeTransport.sent``; ``FakeTransport.script(...)`` makes
    the next sends fail or come back with an answer. ``reset()`` between tests."""

    sent: ClassVar[list[Sent]] = []
    _script: ClassVar[_Script] = _Script()

    @classmethod
    def script(cls, *, answer: str = "", answer_text: str = "", fail: bool = False) -> None:
        cls._script = _Script(answer=answer, answer_text=answer_text, fail=fail)

    @classmethod
    def reset(cls) -> None:
        cls.sent.clear()
        cls._script = _Script()

    def send(self, to: str, text: str) -> SendResult:
        type(self).sent.append(Sent(to=to, text=text))
        script = type(self)._script
        if script.fail:
            return SendResult(ok=False, error="scripted failure")
        return SendResult(
            ok=True,
            reference=f"fake-{len(type(self).sent)}",
            answer=script.answer,
            answer_text=script.answer_text,
        )


def transport_path() -> str:
    return str(getattr(settings, "ALARM_CALLBACK_TRANSPORT", "") or DEFAULT_TRANSPORT)


def transport_from_settings() -> Transport:
    """A new instance of the configured transport."""
    transport: Transport = import_string(transport_path())()
    return transport
