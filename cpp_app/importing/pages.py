"""The upload page every feature's import uses: the form, the import, and its outcome."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from cpp_app.importing import jobs
from cpp_app.importing.forms import UploadForm
from cpp_app.importing.kinds import import_kind
from cpp_app.importing.models import ImportJob
from cpp_app.importing.outcomes import ImportResult
from cpp_app.importing.uploads import saved_upload
from cpp_app.permissions import require
from cpp_app.viewhelpers import call_service


def upload_page(kind_name: str, template: str, **context: object) -> ResponseReturnValue:
    """An upload page for `kind_name`: the form, and after a good post the import's outcome.

    The user must be allowed the kind's action, whatever the calling view checked. The
    template gets `form`, `result` (None until a file is imported), `fields`, `kind` and
    `queued` (the user's latest queued imports of the kind). A large upload is queued, and
    the browser is sent to its page.
    """
    kind = import_kind(kind_name)
    require(kind.action)
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        _done, result = call_service(form, lambda: _import_upload(
            kind.name, form.file.data, dry_run=form.dry_run.data))
        if isinstance(result, ImportJob):
            return redirect(url_for("importing.job_detail", job_id=result.id), code=303)
    queued = jobs.recent_jobs(current_user.id, kind.name)
    return render_template(template, form=form, result=result, fields=kind.fields, kind=kind,
                           queued=queued, **context), (400 if form.errors else 200)


def _import_upload(kind: str, upload: FileStorage, *, dry_run: bool
                   ) -> ImportResult | ImportJob:
    """Import the upload now, or queue it when it is large, for the current user."""
    with saved_upload(upload) as saved:
        return jobs.import_now_or_later(kind, saved.path, saved.filename, dry_run=dry_run,
                                        actor=current_user._get_current_object())
