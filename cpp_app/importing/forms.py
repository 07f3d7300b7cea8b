"""The upload form shared by every import page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField


class UploadForm(FlaskForm):
    """A CSV or Excel file, and whether to only check it."""

    file = FileField(
        "File (.csv or .xlsx)",
        validators=[FileRequired("Choose a file to import."),
                    FileAllowed(["csv", "xlsx", "txt"], "Upload a .csv or .xlsx file.")],
    )
    dry_run = BooleanField("Only check the file (dry run): report what would change, "
                           "change nothing")
    submit = SubmitField("Import")
