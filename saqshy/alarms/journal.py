"""The incident journal lines the alarm services write (``core.messages`` codes).

They name the device and what happened, never the household's personal data: an incident's
journal is read by every role that sees the incident.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from saqshy.alarms.choices import CallBackAnswer
from saqshy.core import messages

OPENED = messages.define(
    "alarms.opened", gettext_lazy("Opened by the home fire alarm %(serial)s (call-back follows).")
)
JOINED = messages.define(
    "alarms.joined",
    gettext_lazy("Another alarm from the same home (device %(serial)s); joined this incident."),
)
CALLBACK_SENT = messages.define(
    "alarms.callback_sent", gettext_lazy("Call-back to the household placed.")
)
CALLBACK_FAILED = messages.define(
    "alarms.callback_failed", gettext_lazy("The call-back to the household could not be placed.")
)
CALLBACK_ANSWER = messages.define(
    "alarms.callback_answer",
    gettext_lazy("Call-back answer: %(answer)s."),
    choices={"answer": CallBackAnswer},
)
