"""The upload page every feature's import uses: the form, the import, and its outcome."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from cpp_app.importing import services
from cpp_app.importing.forms import UploadForm
from cpp_app.importing.kinds import import_kind
from cpp_app.permissions import require
from cpp_app.viewhelpers import call_service


def upload_page(kind_name: str, template: str, **context: object) -> tuple[str, int]:
    """An upload page for `kind_name`: the form, and after a good post the import's outcome.

    The user must be allowed the kind's action, whatever the calling view checked. The
    template gets `form`, `result` (None until a file is imported), `fields` and `kind`.
    """
    kind = import_kind(kind_name)
    require(kind.action)
    form = UploadForm()
    result = None
    if form.validate_on_submit():
        _done, result = call_service(form, lambda: services.run_import_upload(
            kind.name, form.file.data, dry_run=form.dry_run.data,
            actor=current_user._get_current_object()))
    return render_template(template, form=form, result=result, fields=kind.fields, kind=kind,
                           **context), (400 if form.errors else 200)
