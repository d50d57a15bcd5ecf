"""Downloading uploaded files, each checked against who may see it."""

from flask import abort, send_file
from flask_login import current_user

from ...models.file import StoredFile
from ...permissions import login_required_only
from ...services import files
from ...tenancy import get_or_404
from . import bp


@bp.route("/files/<file_id>")
@login_required_only
def download_file(file_id):
    stored = get_or_404(StoredFile, file_id)
    if not files.can_download(current_user, stored):
        abort(404)
    response = send_file(
        files.absolute_path(stored.storage_key),
        mimetype=stored.content_type,
        as_attachment=not stored.is_image,
        download_name=stored.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
