"""Exports of an admin list, as an office in China opens them: CSV with a byte-order mark
(Excel on Chinese Windows reads UTF-8 only with one), an xlsx sheet named after the view, the
file named in Chinese, and no cell that a spreadsheet would run as a formula."""

import csv
import io
from urllib.parse import quote

import tablib
from flask import current_app
from flask_login import current_user

from ..spreadsheets import neutralise_formula
from ..timeutil import school_today


def content_disposition(filename):
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{quote(ascii_name)}\"; filename*=UTF-8''{quote(filename)}"


class Exports:
    """Mixed into every admin view before Flask-Admin's ModelView."""

    def get_export_value(self, model, name):
        return neutralise_formula(super().get_export_value(model, name))

    def get_export_name(self, export_type="csv"):
        return f"{self.name}_{school_today(getattr(current_user, 'school', None)).isoformat()}.{export_type}"

    def _export_csv(self, return_url):
        count, data = self._export_data()
        out = io.StringIO()
        out.write("\ufeff")  # Excel on Chinese Windows reads UTF-8 only with a byte-order mark
        writer = csv.writer(out)
        writer.writerow([str(title) for _name, title in self._export_columns])
        for row in data:
            writer.writerow([self.get_export_value(row, name) for name, _title in self._export_columns])
        return current_app.response_class(
            out.getvalue().encode("utf-8"),
            mimetype="text/csv",
            headers={"Content-Disposition": content_disposition(self.get_export_name("csv"))},
        )

    def _export_tablib(self, export_type, return_url):
        """The xlsx export, with the view's name on the sheet (Flask-Admin leaves "Tablib Dataset")."""
        count, data = self._export_data()
        dataset = tablib.Dataset(
            *[[self.get_export_value(row, name) for name, _title in self._export_columns] for row in data],
            headers=[str(title) for _name, title in self._export_columns],
            title=sheet_title(self.name),
        )
        return current_app.response_class(
            dataset.export("xlsx"),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": content_disposition(self.get_export_name(export_type))},
        )


def sheet_title(name):
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(ch for ch in str(name) if ch not in "[]:*?/\\")[:31] or "Sheet1"
