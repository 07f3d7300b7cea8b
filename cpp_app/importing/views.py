"""The history of import batches with their rejected rows, and what upload pages share."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from sqlalchemy.orm import selectinload

from cpp_app.extensions import db
from cpp_app.importing import services
from cpp_app.importing.forms import UploadForm
from cpp_app.importing.kinds import import_kind, import_kinds
from cpp_app.importing.models import ImportBatch
from cpp_app.importing.pipeline import ImportFileError
from cpp_app.permissions import Action, permission_required, require
from cpp_app.viewhelpers import paginate

blueprint = Blueprint("importing", __name__, url_prefix="/imports")


@blueprint.route("")
@permission_required(Action.VIEW_IMPORTS)
def batch_list():
    """Every import run, newest first."""
    kind = request.args.get("kind", "")
    page = paginate(services.batch_query(kind).options(selectinload(ImportBatch.user)))
    return render_template("importing/batch_list.html", page=page, kind=kind,
                           kinds=sorted(import_kinds()),
                           upload_kinds=[k for k in import_kinds().values() if k.upload_endpoint])


@blueprint.route("/<int:batch_id>")
@permission_required(Action.VIEW_IMPORTS)
def batch_detail(batch_id: int):
    """One import run: its counts and its rejected rows."""
    batch = db.get_or_404(ImportBatch, batch_id)
    rejects = paginate(services.reject_query(batch))
    return render_template("importing/batch_detail.html", batch=batch, rejects=rejects)


@blueprint.route("/<int:batch_id>/rejects.csv")
@permission_required(Action.VIEW_IMPORTS)
def batch_rejects_csv(batch_id: int):
    """The rejected rows as a CSV file to fix and import again."""
    batch = db.get_or_404(ImportBatch, batch_id)
    return Response(
        services.rejects_csv(batch),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="import-{batch.id}-rejects.csv"'},
    )


def upload_page(kind_name: str, template: str, **context):
    """An upload page for `kind_name`: the form, and after a good post the import's outcome.

    The user must be allowed the kind's action, whatever the calling view checked. The
    template gets `form`, `result` (None until a file is imported), `fields` and `kind`.
    """
    kind = import_kind(kind_name)
    require(kind.action)
    form = UploadForm()
    result, status = None, 200
    if form.validate_on_submit():
        try:
            result = services.run_import_upload(kind.name, form.file.data,
                                                dry_run=form.dry_run.data)
        except ImportFileError as error:
            form.file.errors.append(str(error))
            status = 400
    elif form.errors:
        status = 400
    return render_template(template, form=form, result=result, fields=kind.fields, kind=kind,
                           **context), status
