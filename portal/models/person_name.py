"""A person's name kept in 拼音 beside it (portal/pinyin.py), written on every insert and update,
so that lists order people as a Chinese reader expects and a search by initials ("wxy") finds
them, in SQL on both databases."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..pinyin import initials, sort_key
from .types import label


class PinyinNamed:
    # The attribute that holds the name.
    __name_attribute__ = "name"

    name_pinyin: Mapped[str] = mapped_column(
        sa.String(200), default="", server_default="", index=True, info=label(_l("Name in pinyin"))
    )
    name_initials: Mapped[str] = mapped_column(
        sa.String(64), default="", server_default="", index=True, info=label(_l("Initials of the name"))
    )


@sa.event.listens_for(PinyinNamed, "before_insert", propagate=True)
@sa.event.listens_for(PinyinNamed, "before_update", propagate=True)
def _spell(_mapper, _connection, person):
    name = getattr(person, person.__name_attribute__)
    person.name_pinyin, person.name_initials = sort_key(name), initials(name)
