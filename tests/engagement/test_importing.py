"""The engagement import: identities, chunks, cleaning, and one behaviour on every path."""

from __future__ import annotations

import contextvars
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from cpp_app.api import services as api_services
from cpp_app.audit.services import acting_as
from cpp_app.engagement import services
from cpp_app.engagement.importing import HASH_KEYS, IMPORT_CACHE_KIB, EngagementImportSpec
from cpp_app.engagement.models import EngagementRecord, LocationRule, ProblemLinkRule
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch, ImportStatus
from cpp_app.importing.pipeline import TOO_MANY_CELLS, ImportFileError, run_import
from tests import factories
from tests.factories.plans import adopted_plan
from tests.helpers import post_form

HEADER = "Date,Time,CallType,ShieldNumber,Location\n"


def run(path, chunk_size: int = 200_000):
    """Import an engagement file through the pipeline, in chunks of `chunk_size` rows."""
    with acting_as("test"):
        return run_import(EngagementImportSpec(), path, chunk_size=chunk_size)


def stored(*columns):
    """The stored records' values of the given columns, in the order they were inserted."""
    return db.session.execute(select(*columns).order_by(EngagementRecord.id)).all()


def keyed_hashes(text: str) -> str:
    """The identity as every version of the import has written it."""
    first, second = (pd.util.hash_pandas_object(pd.Series([text]), index=False,
                                                hash_key=key.ljust(16)[:16]).iloc[0]
                     for key in HASH_KEYS)
    return f"{first:016x}{second:016x}"


def test_identity_is_the_normalised_content_and_its_occurrence_hashed(tmp_path):
    source = tmp_path / "q1.csv"
    source.write_text(HEADER + "1/3/2017,1:05 PM,cop relationships, 10 01 ,100  Main St\n" * 2)
    assert run(source).summary["inserted"] == 2
    content = "2017-01-03|13:05:00|cop relationships|1001|100 main st"
    assert [identity for (identity,) in stored(EngagementRecord.identity)] == [
        keyed_hashes(f"{content}#0"), keyed_hashes(f"{content}#1")]


def test_identical_rows_are_counted_across_chunks(tmp_path):
    same = "2017-01-03,13:05,COP Activity,1001,1 Plaza\n"
    other = "2017-01-04,13:05,COP Activity,1001,1 Plaza\n"
    source = tmp_path / "q1.csv"
    source.write_text(HEADER + same + other + same + same + other + same + same)
    assert run(source, chunk_size=2).summary["inserted"] == 7
    assert run(source).summary["inserted"] == 0  # the chunking does not change identities
    fewer = tmp_path / "q1-again.csv"
    fewer.write_text(HEADER + same * 3 + other)
    assert run(fewer, chunk_size=3).summary["inserted"] == 0


def test_rows_with_extra_cells_in_later_chunks_are_rejected_once(tmp_path):
    source = tmp_path / "q1.csv"
    source.write_text(HEADER + "2017-01-03,13:05,COP Activity,1001,row 2\n"
                      ",,,,\n"
                      "2017-01-03,13:05,COP Activity,1001,row 4\n"
                      "2017-01-03,13:05,COP Activity,1001,row 5,one extra\n"
                      "2017-01-03,13:05,COP Activity,1001,row 6\n"
                      "2017-01-03,13:05,COP Activity,1001,row 7,three,extra,cells\n"
                      "2017-01-03,13:05,COP Activity,1001,row 8\n")
    result = run(source, chunk_size=2)
    assert result.summary == {"read": 6, "inserted": 4, "updated": 0, "unchanged": 0,
                              "rejected": 2}
    assert [(r.line_number, r.reason, r.values["Location"]) for r in result.rejects] == [
        (5, TOO_MANY_CELLS, "row 5"), (7, TOO_MANY_CELLS, "row 7")]
    assert [location for (location,) in stored(EngagementRecord.location)] == [
        "row 2", "row 4", "row 6", "row 8"]


def test_a_row_with_more_extra_cells_than_can_be_held_fails_the_file(tmp_path):
    source = tmp_path / "q1.csv"
    source.write_text(HEADER + "2017-01-03,13:05,COP Activity,1001,ok\n" * 3
                      + "2017-01-03,13:05,COP Activity,1001,x" + ",y" * 20 + "\n")
    with pytest.raises(ImportFileError, match="could not be read as CSV"):
        run(source, chunk_size=1)
    # The chunks committed before the unreadable row stay, and the batch says so.
    assert len(stored(EngagementRecord.id)) == 3
    batch = db.session.scalar(select(ImportBatch))
    assert batch.status == ImportStatus.FAILED
    assert batch.message.endswith("The first 3 rows were imported before that; fix the file "
                                  "and import it again to add the rest.")


def test_formula_quotes_and_whitespace_are_cleaned_where_present(tmp_path):
    source = tmp_path / "q1.csv"
    source.write_text(HEADER + '2017-01-05,13:05,COP\tActivity,ab 12,"\t100  MAIN\u00a0ST "\n'
                      "2017-01-05,13:05,'-COP Activity,'+1001,'=SUM(A1)\n"
                      "2017-01-05,13:05,COP  Activity,'1001,'abc\n", encoding="utf-8")
    with acting_as("test"):
        outcome = services.import_engagements(source)
    assert outcome.unknown_call_types == {"-COP Activity": 1}
    assert stored(EngagementRecord.call_type, EngagementRecord.shield_number,
                  EngagementRecord.location) == [
        ("COP Activity", "AB12", "100 MAIN ST"),
        ("-COP Activity", "+1001", "=SUM(A1)"),
        ("COP Activity", "'1001", "'abc"),
    ]


def test_sqlite_page_cache_is_enlarged_only_while_writing():
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    with EngagementImportSpec().bulk_writes():
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -IMPORT_CACHE_KIB
    assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == usual


# --- One behaviour on every path: the upload page, the command and the API --------------------

NEW_ROW = {"date": "2017-02-01", "time": "09:30", "call_type": "COP Activity",
           "shield_number": "", "location": "1 Plaza"}


def earlier_unlinked_records(station) -> tuple[int, int, int]:
    """Three stored records that a member, a location rule and a problem rule now fit.

    The member and the rules are stored directly, so that only an import's follow-up can
    link the records (saving a rule through the service would apply it at once). The problem
    rule's record is already at the problem's station, as a rule links no other.
    """
    problem = adopted_plan(station).problems[0]
    records = [EngagementRecord(occurred_on=date(2017, 1, 2), call_type="COP Activity",
                                shield_number="4242", location="9 Elm", identity="earlier-1"),
               EngagementRecord(occurred_on=date(2017, 1, 2), call_type="COP Activity",
                                location="123 W ROCK CREEK RD", identity="earlier-2"),
               EngagementRecord(occurred_on=date(2017, 1, 2), call_type="COP Problem Solving",
                                location="2841 CLASSEN BLVD", station_id=station.id,
                                identity="earlier-3")]
    db.session.add_all(records)
    db.session.add_all([LocationRule(pattern="rock creek", station_id=station.id),
                        ProblemLinkRule(pattern="classen", call_type="COP Problem Solving",
                                        problem_id=problem.id)])
    db.session.commit()
    factories.make_member(station, shield="4242")
    return tuple(record.id for record in records)


@dataclass(frozen=True)
class ImportSetting:
    """What the three import paths draw on: the app, a folder, a client and `login`."""

    app: Flask
    tmp_path: Path
    client: FlaskClient
    login: Callable[..., FlaskClient]


def import_by_upload(setting: ImportSetting) -> str:
    setting.login(factories.make_user("admin"))
    response = post_form(setting.client, "/engagement/import", {
        "file": (io.BytesIO((HEADER + ",".join(NEW_ROW.values()) + "\n").encode()), "q1.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    return "upload"


def import_by_command(setting: ImportSetting) -> str:
    path = setting.tmp_path / "q1.csv"
    path.write_text(HEADER + ",".join(NEW_ROW.values()) + "\n")
    runner = setting.app.test_cli_runner()
    result = contextvars.copy_context().run(
        runner.invoke, args=["cpp", "import", "engagements", str(path)])
    assert result.exit_code == 0, result.output
    assert "Links updated on 3 earlier records." in result.stdout
    return "command"


def import_by_api(setting: ImportSetting) -> str:
    with acting_as("test"):
        _, secret = api_services.create_token(factories.make_user("admin"), "RMS",
                                              ["engagement:write"])
    response = setting.client.post("/api/v1/engagement-records", json={"records": [NEW_ROW]},
                                   headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201, response.get_json()
    return "api"


@pytest.mark.parametrize("import_one_file", [import_by_upload, import_by_command, import_by_api])
def test_every_path_links_earlier_records_to_members_and_rules(import_one_file, app, tmp_path,
                                                               client, login, station):
    member_record, location_record, problem_record = earlier_unlinked_records(station)
    import_one_file(ImportSetting(app, tmp_path, client, login))
    db.session.expire_all()
    assert db.session.get(EngagementRecord, member_record).member.shield_number == "4242"
    assert db.session.get(EngagementRecord, location_record).station_id == station.id
    problem_id = db.session.scalar(select(ProblemLinkRule.problem_id))
    assert db.session.get(EngagementRecord, problem_record).problem_id == problem_id
    batch = db.session.scalar(select(ImportBatch))
    assert (batch.kind, batch.rows_inserted) == ("engagements", 1)


def test_a_dry_run_upload_links_nothing(client, login, station):
    member_record, _, _ = earlier_unlinked_records(station)
    login(factories.make_user("admin"))
    response = post_form(client, "/engagement/import", {
        "file": (io.BytesIO((HEADER + ",".join(NEW_ROW.values()) + "\n").encode()), "q1.csv"),
        "dry_run": "y"}, content_type="multipart/form-data")
    assert "Dry run: nothing was changed. Read 1, inserted 1" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EngagementRecord, member_record).member_id is None


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"%PDF-1.4", "q1.pdf", "Upload a .csv or .xlsx file."),
    (b"", "q1.csv", "The uploaded file is empty."),
    (b"Date,Location\n2017-01-03,X\n", "q1.csv", "The file has no column for: CallType."),
])
def test_the_upload_page_refuses_unfit_files_with_the_reason(client, login, content, filename,
                                                             message):
    login(factories.make_user("admin"))
    response = post_form(client, "/engagement/import", {
        "file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(EngagementRecord.id) == []
