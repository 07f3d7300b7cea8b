"""The import library on its own: a kind defined here plugs in through the registry alone.

The greetings kind below stands for any new importer: it is registered on the test app, and a
CSV goes in through the one entry (file, upload and pushed records), the command helpers and
the batch pages, with nothing in `cpp_app.importing` knowing about it.
"""

from __future__ import annotations

import ast
import contextvars
import csv
import io
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import click
import pytest
from sqlalchemy import Column, MetaData, String, Table, func, select
from werkzeug.datastructures import FileStorage

import cpp_app
from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.importing.cli import dry_run_option, file_argument, run_import_command
from cpp_app.importing.columns import FieldSpec, OneOf
from cpp_app.importing.kinds import (
    ImportKind,
    UnknownImportKindError,
    import_kind,
    import_kinds,
    register_import_kind,
)
from cpp_app.importing.models import ImportBatch
from cpp_app.importing.pipeline import (
    ImportFileError,
    ImportNote,
    ImportResult,
    ImportSpec,
    Row,
    RowRejected,
    ValidRow,
    WriteCounts,
)
from cpp_app.importing.services import run_import_file, run_import_records, run_import_upload
from cpp_app.permissions import Action
from tests import factories

GREETINGS = Table("test_greetings", MetaData(), Column("name", String(40), primary_key=True),
                  Column("greeting", String(40)), Column("language", String(10)))
GREETING_FIELDS = [
    FieldSpec("name", "Name", ("person",), required=True),
    FieldSpec("greeting", "Greeting", ("hello", "salutation")),
    FieldSpec("language", "Language", ("lang",)),
]
SAYING = OneOf((("greeting",), ("language",)), "Greeting or language")
FILE = "Person,Hello,Lang\nAnn,hi,en\nBo,bonjour,fr\n,hey,en\n"


class GreetingImportSpec(ImportSpec):
    """Greetings by person: a name, and a greeting or a language (a row spec)."""

    kind = "greetings"
    fields = GREETING_FIELDS
    alternatives = (SAYING,)

    def __init__(self, shout: bool = False) -> None:
        self.shout = shout
        self.languages: list[str] = []

    def validate(self, row: Row) -> dict[str, str]:
        """A named greeting; a row without a name is refused."""
        if not row.cells.get("name"):
            raise RowRejected("the name is empty")
        greeting = row.cells.get("greeting", "") or "hello"
        return {"name": row.cells["name"], "greeting": greeting.upper() if self.shout
                else greeting, "language": row.cells.get("language", "")}

    def write(self, rows: list[ValidRow]) -> WriteCounts:
        """Insert new names, update changed greetings."""
        counts = WriteCounts()
        connection = db.session.connection()
        known = dict(connection.execute(select(GREETINGS.c.name, GREETINGS.c.greeting)).all())
        for row in rows:
            values = row.values
            self.languages.append(values["language"])
            if values["name"] not in known:
                connection.execute(GREETINGS.insert().values(**values))
                counts.inserted += 1
            elif known[values["name"]] != values["greeting"]:
                connection.execute(GREETINGS.update().where(
                    GREETINGS.c.name == values["name"]).values(**values))
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts


def greeting_spec(options: Mapping[str, Any]) -> GreetingImportSpec:
    """A greeting import; `shout` writes greetings in capitals."""
    return GreetingImportSpec(shout=bool(options.get("shout")))


def language_notes(spec: GreetingImportSpec, _result: ImportResult) -> list[ImportNote]:
    """Which languages the file greeted in."""
    languages = sorted(set(filter(None, spec.languages)))
    return [ImportNote("languages", languages, f"Greeted in: {', '.join(languages)}",
                       recorded=True)] if languages else []


def greet_back(_spec: GreetingImportSpec, _result: ImportResult) -> list[ImportNote]:
    """The after-import hook: runs only after a real import."""
    return [ImportNote("greeted_back", True, "Everyone was greeted back.")]


GREETINGS_IMPORT = ImportKind(
    name="greetings", label="Greetings", fields=GREETING_FIELDS, make_spec=greeting_spec,
    action=Action.VIEW_IMPORTS, describe=language_notes, after_import=greet_back)


@click.command("greetings")
@file_argument
@dry_run_option
def import_greetings_command(file: Path, dry_run: bool) -> None:
    """Import greetings from FILE (a command as a feature would write it)."""
    run_import_command("greetings", file, dry_run=dry_run)


@pytest.fixture
def greetings(app) -> Iterator[ImportKind]:
    """The greetings kind registered on the test app, with its table, for one test."""
    GREETINGS.create(db.engine)
    register_import_kind(app, GREETINGS_IMPORT)
    try:
        yield GREETINGS_IMPORT
    finally:
        import_kinds(app).pop("greetings", None)
        db.session.remove()  # let go of the table before dropping it
        GREETINGS.drop(db.engine)


def greeted() -> dict[str, str]:
    """Stored greetings by name."""
    return dict(db.session.execute(select(GREETINGS.c.name, GREETINGS.c.greeting)).all())


def batch_count() -> int:
    """How many import batches there are."""
    return db.session.scalar(select(func.count()).select_from(ImportBatch))


@pytest.mark.usefixtures("greetings")
def test_a_new_kind_imports_a_file_through_the_one_entry(tmp_path):
    path = tmp_path / "greetings.csv"
    path.write_text(FILE)
    with acting_as("test"):
        result = run_import_file("greetings", path, options={"shout": True})
    assert result.summary == {"read": 3, "inserted": 2, "updated": 0, "unchanged": 0,
                              "rejected": 1}
    assert [(r.line_number, r.reason, r.values["Person"]) for r in result.rejects] == [
        (4, "the name is empty", "")]
    assert greeted() == {"Ann": "HI", "Bo": "BONJOUR"}
    assert result.note("languages") == ["en", "fr"]
    assert result.note("greeted_back") is True
    batch = db.session.get(ImportBatch, result.batch.id)
    assert (batch.kind, batch.filename, batch.actor_label) == ("greetings", "greetings.csv",
                                                                "test")
    assert batch.message == ("Committed in chunks of 5,000 rows; a stopped import can be run "
                             "again: the rows already in are not added twice. Greeted in: en, fr")
    with acting_as("test"):
        again = run_import_file("greetings", path, options={"shout": True})
    assert (again.summary["inserted"], again.summary["unchanged"]) == (0, 2)


@pytest.mark.usefixtures("greetings")
def test_a_dry_run_writes_nothing_and_skips_the_after_import_hook(tmp_path):
    path = tmp_path / "greetings.csv"
    path.write_text(FILE)
    with acting_as("test"):
        result = run_import_file("greetings", path, dry_run=True)
    assert result.summary["inserted"] == 2
    assert greeted() == {}
    assert result.note("languages") == ["en", "fr"]
    assert result.note("greeted_back") is None
    assert db.session.get(ImportBatch, result.batch.id).message == ""


@pytest.mark.usefixtures("greetings")
def test_required_columns_and_alternatives_come_from_the_spec(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("Colour\nred\n")
    with acting_as("test"), pytest.raises(ImportFileError) as raised:
        run_import_file("greetings", path)
    assert str(raised.value) == "The file has no column for: Name, Greeting or language."
    path.write_text("Name,Lang\nAnn,en\n")
    with acting_as("test"):
        assert run_import_file("greetings", path).summary["inserted"] == 1
    failed = db.session.scalar(select(ImportBatch).where(ImportBatch.status == "failed"))
    assert failed.message == "The file has no column for: Name, Greeting or language."


@pytest.mark.usefixtures("greetings")
def test_an_upload_goes_through_the_same_entry_and_is_refused_when_unfit(app):
    upload = FileStorage(io.BytesIO(FILE.encode()), filename="morning greetings.csv")
    with acting_as("test"):
        result = run_import_upload("greetings", upload)
    assert result.summary["inserted"] == 2
    assert result.batch.filename == "morning_greetings.csv"
    with acting_as("test"):  # a name with nothing safe left in it keeps its suffix
        unnamed = run_import_upload("greetings", FileStorage(io.BytesIO(FILE.encode()),
                                                             filename="приветы.CSV"))
    assert unnamed.batch.filename == "upload.csv"
    for content, name, message in ((b"x", "greetings.pdf", "Upload a .csv or .xlsx file."),
                                   (b"", "greetings.csv", "The uploaded file is empty.")):
        with pytest.raises(ImportFileError, match=message):
            run_import_upload("greetings", FileStorage(io.BytesIO(content), filename=name))
    assert batch_count() == 2
    assert not list((Path(app.instance_path) / "uploads").glob("*.csv"))  # nothing left behind


@pytest.mark.usefixtures("greetings")
def test_pushed_records_go_through_the_same_entry_and_land_in_a_batch():
    user = factories.make_user("admin")
    records = [{"name": "Ann", "greeting": "hi"}, "hello", {"name": "Bo", "colour": "red"},
               {"name": None, "greeting": "hey"}, {"name": "Cy", "language": "es"}]
    result = run_import_records("greetings", records, source="test push", actor=user)
    assert result.summary == {"read": 5, "inserted": 2, "updated": 0, "unchanged": 0,
                              "rejected": 3}
    assert [(r.line_number, r.reason) for r in result.rejects] == [
        (1, "each record must be a JSON object"), (2, "unknown fields: colour"),
        (3, "the name is empty")]
    assert result.rejects[1].values == {"name": "Bo", "colour": "red"}
    assert greeted() == {"Ann": "hi", "Cy": "hello"}
    batch = db.session.get(ImportBatch, result.batch.id)
    assert (batch.filename, batch.user_id, batch.actor_label) == ("test push", user.id,
                                                                   user.email)
    assert len(batch.file_sha256) == 64
    assert "counting from 0" in batch.message


@pytest.mark.usefixtures("greetings")
def test_the_command_helpers_print_the_summary_rejects_and_notes(app, tmp_path):
    path = tmp_path / "greetings.csv"
    path.write_text(FILE + ",nobody,en\n" * 52)
    runner = app.test_cli_runner()
    result = contextvars.copy_context().run(runner.invoke, import_greetings_command,
                                            [str(path)])
    assert result.exit_code == 0, result.output
    batch = db.session.scalar(select(ImportBatch))
    lines = result.stdout.splitlines()
    assert lines[0] == (f"read 55 rows: 2 inserted, 0 updated, 0 unchanged, 53 rejected "
                        f"(batch {batch.id}).")
    assert lines[1:51] == [f"  line {n}: the name is empty" for n in range(4, 54)]
    assert lines[51] == "  … and 3 more; see the batch page in the app for all of them."
    assert lines[52:] == ["Greeted in: en, fr", "Everyone was greeted back."]
    assert batch.actor_label == "cli:import-greetings"

    refused = contextvars.copy_context().run(runner.invoke, import_greetings_command,
                                             [str(path), "--dry-run"])
    assert refused.stdout.startswith("Dry run, nothing changed: would have read 55 rows: "
                                     "0 inserted, 0 updated, 2 unchanged, 53 rejected")
    path.write_text("Colour\nred\n")
    failed = contextvars.copy_context().run(runner.invoke, import_greetings_command,
                                            [str(path)])
    assert failed.exit_code == 1
    assert "Error: The file has no column for: Name, Greeting or language." in failed.stderr


@pytest.mark.usefixtures("greetings")
def test_the_batch_pages_show_a_new_kinds_batches(admin_client, tmp_path):
    path = tmp_path / "greetings.csv"
    path.write_text(FILE)
    with acting_as("test"):
        batch_id = run_import_file("greetings", path).batch.id
    listing = admin_client.get("/imports?kind=greetings").get_data(as_text=True)
    assert '<option value="greetings" selected>Greetings</option>' in listing
    assert f'href="/imports/{batch_id}"' in listing
    assert "greetings.csv" in listing
    detail = admin_client.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "3 read, 2 added, 0 updated, 0 unchanged, 1 rejected" in detail
    assert "<td>4</td>" in detail
    assert "the name is empty" in detail
    assert "Greeted in: en, fr" in detail
    rows = list(csv.reader(io.StringIO(
        admin_client.get(f"/imports/{batch_id}/rejects.csv").get_data(as_text=True))))
    assert rows == [["line", "reason", "Person", "Hello", "Lang"],
                    ["4", "the name is empty", "", "hey", "en"]]


def test_each_name_is_registered_once_and_unknown_names_are_refused(app):
    with pytest.raises(ValueError, match="already registered"):
        register_import_kind(app, import_kind("members"))
    with pytest.raises(UnknownImportKindError):
        import_kind("greetings")


def test_every_features_kind_is_registered_with_its_spec_and_upload_page(app):
    kinds = import_kinds(app)
    assert list(kinds) == ["members", "stakeholders", "training", "engagements"]
    for kind in kinds.values():
        assert kind.make_spec({}).kind == kind.name
        assert kind.make_spec({}).fields == kind.fields
        view = app.view_functions[kind.upload_endpoint]
        assert view.required_action == kind.action, kind.name
    with app.test_request_context():
        assert app.url_for(kinds["members"].upload_endpoint) == "/imports/members"


# --- The library knows no feature ----------------------------------------------------------

PACKAGE = Path(cpp_app.__file__).parent
#: Packages the import library may use besides itself: the audit log is shared by everything.
SHARED_PACKAGES = {"importing", "audit"}
FEATURES = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, as written."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_import_library_imports_no_feature():
    offending = {}
    for path in sorted((PACKAGE / "importing").glob("*.py")):
        features = {name.split(".")[1] for name in imported_modules(path)
                    if name.startswith("cpp_app.") and name.split(".")[1] in FEATURES}
        if features - SHARED_PACKAGES:
            offending[path.name] = sorted(features - SHARED_PACKAGES)
    assert not offending, f"cpp_app.importing imports features: {offending}"


def test_loading_the_import_library_loads_no_feature():
    script = ("import importlib, pkgutil, sys; import cpp_app.importing as package;"
              "[importlib.import_module('cpp_app.importing.' + m.name)"
              " for m in pkgutil.iter_modules(package.__path__)];"
              "print(' '.join(sorted({n.split('.')[1] for n in sys.modules"
              " if n.startswith('cpp_app.')})))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True).stdout.split()
    # auth comes in through the audit log, which records who did what.
    assert set(loaded) & FEATURES <= SHARED_PACKAGES | {"auth"}, loaded
