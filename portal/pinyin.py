"""People's names in 拼音 order, and found by their initials ("wxy" finds 王晓燕), with pypinyin.

A surname read otherwise than the character's commonest reading (曾 zēng, not céng; 单 shàn)
is read as a surname when it opens the name: a clerk looks for 曾 under Z."""

from pypinyin import Style, lazy_pinyin

SURNAMES = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "覃": "qin",
    "翟": "zhai",
    "乐": "yue",
    "缪": "miao",
    "尉": "yu",
    "种": "chong",
}


def syllables(name):
    """["wang", "xiao", "yan"]; letters and digits as they are, lower case."""
    name = (name or "").strip()
    if not name:
        return []
    if name[0] in SURNAMES:
        pieces = [SURNAMES[name[0]], *lazy_pinyin(name[1:], style=Style.NORMAL)]
    else:
        pieces = lazy_pinyin(name, style=Style.NORMAL)
    return [part for piece in pieces for part in piece.lower().split()]


def sort_key(name):
    """ "wang xiao yan": the column people are ordered by."""
    return " ".join(syllables(name))[:200]


def initials(name):
    """ "wxy": what a search by initials matches."""
    return "".join(part[0] for part in syllables(name))[:64]
