"""Reminders: the routine asks every due rule (portal/due.py) for the gaps open around
now; a gap within its lead time is prompted once to the people responsible, escalated once
when its due time has passed, and marked closed when a later run no longer finds it. Each
prompt is a portal notification, an email (services/notifications.py) and, when the school
has one, a message to its group chat, sent by the queue and retried there.

School hours: a prompt found outside them waits for the next school morning and is dropped if
its gap closed (or turned late) meanwhile; escalations go out at any hour.
"""

from ..reminder_settings import Choice, choices_of, default_choice, save_choices, save_settings, settings_of
from ..school_hours import in_school_hours, next_opening
from .county import PromptCount, prompt_counts
from .delivery import ATTEMPTS, deliver_group_message, enqueue, recent_messages, release_waiting, send_test_message
from .run import Context, RunCount, context_for, lead_of, open_for, responsible_for, run

__all__ = [
    "ATTEMPTS",
    "Choice",
    "Context",
    "PromptCount",
    "RunCount",
    "choices_of",
    "context_for",
    "default_choice",
    "deliver_group_message",
    "enqueue",
    "in_school_hours",
    "lead_of",
    "next_opening",
    "open_for",
    "prompt_counts",
    "recent_messages",
    "release_waiting",
    "responsible_for",
    "run",
    "save_choices",
    "save_settings",
    "send_test_message",
    "settings_of",
]
