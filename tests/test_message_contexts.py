"""One English word, one Chinese meaning in each place: a msgid used as a button or a status is
not also a column's name (unless it means the same in both, listed below), and the words found
with two meanings read right: the board's 打开 buttons (not 待完成), the enrolment change's 核对人
(not the morning check's 晨检人), the roster preview's students whose details changed."""

import re
from pathlib import Path

from flask_babel import LazyString, force_locale

from portal import labels
from portal.extensions import db
from portal.labels import column_label
from portal.models import EnrolmentChange, MorningCheck
from portal.models.types import LabelledEnum

PORTAL = Path(__file__).resolve().parents[1] / "portal"
BUTTON = re.compile(r"<(?:button|a)\b[^>]*>\s*\{\{\s*_\(\"([^\"]+)\"\)")
# The same Chinese in both places: a status that is also the name of its own column.
SAME_MEANING = {"Bulk ingredient", "Eligible for the subsidy", "Hygiene", "In use", "Monthly stocktake"}


def _msgid(text):
    """The msgid of a lazy string without a context, else None."""
    if isinstance(text, LazyString) and len(text._args) == 1:
        return text._args[0]
    return None


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _column_names():
    names = set()
    for mapper in db.Model.registry.mappers:
        for prop in (*mapper.columns, *mapper.relationships):
            names.add(_msgid(prop.info.get("label")))
    for value in vars(labels).values():
        if isinstance(value, dict):
            names |= {_msgid(text) for text in value.values()}
    return names - {None}


def _buttons():
    return {match for path in PORTAL.rglob("*.html") for match in BUTTON.findall(path.read_text(encoding="utf-8"))}


def _statuses():
    found = set()
    for enum in _subclasses(LabelledEnum):
        found |= {_msgid(text) for text in enum._labels().values()}
    return found - {None}


def test_no_msgid_is_two_of_a_button_a_status_and_a_column_name(app):
    with app.test_request_context():
        buttons, statuses, columns = _buttons(), _statuses(), _column_names()
    assert len(buttons) > 50 and len(statuses) > 50 and len(columns) > 200  # all three were found
    message = "give one of them a message context (pgettext)"
    assert buttons & statuses == set(), message
    assert (buttons | statuses) & columns <= SAME_MEANING, message


def test_the_words_with_two_meanings_read_right(app):
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        assert str(column_label(EnrolmentChange, "checked_by")) == "核对人"
        assert str(column_label(MorningCheck, "checked_by")) == "晨检人"
    board = (PORTAL / "blueprints/canteen/templates/canteen/board.html").read_text(encoding="utf-8")
    assert 'pgettext("button", "Open")' in board and '_("Open")' not in board
    preview = (PORTAL / "blueprints/nutrition/templates/nutrition/preview.html").read_text(encoding="utf-8")
    assert '_("Changed")' not in preview
