"""Spreadsheet safety for every export (admin CSV/xlsx, evidence workbooks)."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Spreadsheet programs run a cell that starts with = + - @ as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
