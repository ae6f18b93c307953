from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from twinlink.cli import app, exit_code, explain

BIN = [sys.executable, "-m", "twinlink"]


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, cwd: Path) -> Ran:
    """The command run in this process, as ``main`` runs it: an error it expects is one line on
    stderr and the exit code of its kind."""
    with chdir(cwd):
        result = CliRunner().invoke(app, list(args))
    if result.exception is None or isinstance(result.exception, SystemExit):
        return Ran(result.exit_code, result.stdout, result.stderr)
    message = explain(result.exception)
    if message is None:
        raise result.exception
    return Ran(exit_code(result.exception), result.stdout, result.stderr + f"error: {message}\n")


def run_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BIN, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_help_explains_every_command(tmp_path: Path) -> None:
    result = run_process("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("db", "gazetteer", "documents", "import", "stats"):
        assert command in result.stdout


def test_gazetteer_find_in_chinese_and_with_suffix(tmp_path: Path) -> None:
    ningbo = run("gazetteer", "find", "宁波", cwd=tmp_path)
    assert ningbo.returncode == 0
    assert "Ningbo" in ningbo.stdout and "prefecture-level city" in ningbo.stdout and "Zhejiang" in ningbo.stdout
    hainan = run("gazetteer", "find", "Hainan Province", "--limit", "1", cwd=tmp_path)
    assert "province" in hainan.stdout and "CN-HI" in hainan.stdout


def test_documents_add_is_idempotent(tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("Leicester is twinned with Chongqing.", encoding="utf-8")
    first = run("documents", "add", str(doc), "--db", str(tmp_path / "r.db"), cwd=tmp_path)
    second = run("documents", "add", str(doc), "--db", str(tmp_path / "r.db"), cwd=tmp_path)
    assert "added" in first.stdout
    assert "already stored" in second.stdout
    stats = run("stats", "--db", str(tmp_path / "r.db"), cwd=tmp_path)
    assert "documents" in stats.stdout and "│ 1" in stats.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: (p / "bin.txt").write_bytes(b"\x00\x01\x02binary\x00") and p / "bin.txt", "binary file"),
        (lambda p: (p / "empty.txt").write_bytes(b"") or p / "empty.txt", "empty file"),
        (lambda p: p, "is a directory"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    target = make(tmp_path)
    result = run("documents", "add", str(target), "--db", str(tmp_path / "r.db"), cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    target = tmp_path / "locked.txt"
    target.write_text("text")
    target.chmod(0)
    result = run("documents", "add", str(target), "--db", str(tmp_path / "r.db"), cwd=tmp_path)
    assert "permission denied" in result.stderr


def test_bad_database_paths(tmp_path: Path) -> None:
    missing_dir = run("stats", "--db", str(tmp_path / "nope" / "r.db"), cwd=tmp_path)
    assert missing_dir.returncode == 4 and "does not exist" in missing_dir.stderr
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite")
    result = run("stats", "--db", str(junk), cwd=tmp_path)
    assert result.returncode == 4 and "not a SQLite database" in result.stderr
    assert "Traceback" not in result.stderr


def test_newer_schema_is_refused_by_the_cli(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "r.db"
    assert run("db", "upgrade", "--db", str(db), cwd=tmp_path).returncode == 0
    with sqlite3.connect(db) as c:
        c.execute("UPDATE alembic_version SET version_num='9999_future'")
    result = run_process("stats", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 4 and "newer" in result.stderr and "Traceback" not in result.stderr


def test_starter_import_then_stats(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    first = run("import", "--starter", "--db", db, cwd=tmp_path)
    assert first.returncode == 0 and "new partnerships" in first.stdout
    again = run("import", "--starter", "--db", db, cwd=tmp_path)
    assert "nothing new" in again.stdout


def test_bad_facts_file_names_the_line(tmp_path: Path) -> None:
    facts = tmp_path / "f.jsonl"
    facts.write_text('{"doc": "a", "partnerships": []}\n{"doc": "b", "partnerships": [{"parties": ["x"]}]}\n')
    result = run("import", str(facts), "--db", str(tmp_path / "r.db"), cwd=tmp_path)
    assert result.returncode == 1
    assert "f.jsonl:2" in result.stderr


FOI_TEXT = """Council response

Derby City Council and Hefei signed a twinning agreement in 1995.
In May 2003 the City Council hosted a visit by a delegation from Hefei.
"""
OTHER_TEXT = "Derby and Hefei signed a twinning agreement in 1996.\n"


def test_ingest_query_and_review_from_the_command_line(tmp_path: Path) -> None:
    import csv
    import io
    import json

    db = str(tmp_path / "r.db")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "foi.txt").write_text(FOI_TEXT, encoding="utf-8")
    (tmp_path / "docs" / "news.txt").write_text(OTHER_TEXT, encoding="utf-8")
    first = run("ingest", "docs", "--db", db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "2 added" in first.stdout
    again = run("ingest", "docs", "--db", db, cwd=tmp_path)
    assert "2 unchanged" in again.stdout and "nothing new" in again.stdout

    listed = run(
        "partnerships", "--country", "CN", "--format", "json", "--as-of", "2026-11-22", "--db", db, cwd=tmp_path
    )
    rows = json.loads(listed.stdout)
    assert [(r["party_a"]["name"], r["party_b"]["name"]) for r in rows] == [("Derby", "Hefei")]
    assert rows[0]["established"] == "conflict: 1995 / 1996" and rows[0]["status"] == "dormant"
    assert "latest activity May 2003" in rows[0]["status_reason"]

    csv_out = run("partnerships", "--format", "csv", "--db", db, cwd=tmp_path)
    table = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert (table[0]["party_b_zh"], table[0]["established_year"], table[0]["established_conflict"]) == (
        "合肥市",
        "",
        "1995 / 1996",
    )
    bom = run("export", "--format", "csv", "--bom", "-o", "links.csv", "--db", db, cwd=tmp_path)
    assert bom.returncode == 0 and (tmp_path / "links.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")

    shown = run("show", "Derby City Council", "--as-of", "2026-11-22", "--db", db, cwd=tmp_path)
    assert "Hefei" in shown.stdout and "conflict: 1995 / 1996" in shown.stdout and "foi.txt" in shown.stdout

    line = run("timeline", "Derby", "Hefei", "--format", "json", "--db", db, cwd=tmp_path)
    assert [e["date"] for e in json.loads(line.stdout)] == ["1995", "1996", "2003-05"]

    queue = json.loads(run("review", "--conflicts", "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert {q["value"] for q in queue} == {"1995", "1996"}
    keep = next(q["claim"] for q in queue if q["value"] == "1995")
    accepted = run(
        "review", "accept", keep[:10], "--reason", "signed copy seen", "--by", "ana", "--db", db, cwd=tmp_path
    )
    assert accepted.returncode == 0 and "proposed → accepted by ana" in accepted.stdout
    settled = json.loads(run("partnerships", "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert settled[0]["established"] == "1995"
    history = run("review", "history", keep, "--db", db, cwd=tmp_path)
    assert "ana: proposed → accepted (signed copy seen)" in history.stdout
    told = json.loads(run("review", "history", keep, "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert told["review_state"] == "accepted" and told["decisions"][0]["reason"] == "signed copy seen"
    missing = run("review", "reject", "cl-zzzzzz", "--reason", "x", "--db", db, cwd=tmp_path)
    assert missing.returncode == 3 and "no claim" in missing.stderr


def test_ingest_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "good.txt").write_text(FOI_TEXT, encoding="utf-8")
    result = run("ingest", "bad.pdf", "good.txt", "--db", str(tmp_path / "r.db"), cwd=tmp_path)
    assert result.returncode == 1
    assert "bad.pdf" in result.stderr
    assert "1 added" in result.stdout and "1 failed" in result.stdout


def test_reports_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    (tmp_path / "foi.txt").write_text(FOI_TEXT, encoding="utf-8")
    assert run("ingest", "foi.txt", "--db", db, cwd=tmp_path).returncode == 0
    md = run("report", "foi", "Derby City Council", "--as-of", "2026-11-22", "--db", db, cwd=tmp_path)
    assert md.returncode == 0 and "## 1. Agreements" in md.stdout and "1995 [1]" in md.stdout
    for fmt in ("html", "docx", "pdf"):
        result = run("report", "foi", "Derby", "--format", fmt, "-o", f"answer.{fmt}", "--db", db, cwd=tmp_path)
        assert result.returncode == 0 and (tmp_path / f"answer.{fmt}").stat().st_size > 1000
    guessed = run("report", "foi", "Derby", "-o", "by-extension.pdf", "--db", db, cwd=tmp_path)
    assert guessed.returncode == 0 and (tmp_path / "by-extension.pdf").read_bytes().startswith(b"%PDF")
    needs_file = run("report", "foi", "Derby", "--format", "pdf", "--db", db, cwd=tmp_path)
    assert needs_file.returncode == 2 and "needs -o FILE" in needs_file.stderr
    dormant = run(
        "report", "dormant", "--years", "5", "--as-of", "2026-11-22", "--format", "csv", "--db", db, cwd=tmp_path
    )
    assert "Derby,Hefei,place" in dormant.stdout and "May 2003" in dormant.stdout
    summary = run("report", "summary", "--charts", "charts", "--db", db, cwd=tmp_path)
    assert "1 partnerships" in summary.stdout and (tmp_path / "charts" / "summary.svg").exists()
    summary_csv = run("report", "summary", "--format", "csv", "--db", db, cwd=tmp_path)
    assert summary_csv.stdout.splitlines()[0] == "dimension,value,partnerships"
    assert "country,CN,1" in summary_csv.stdout


def test_export_from_the_command_line(tmp_path: Path) -> None:
    import json

    db = str(tmp_path / "r.db")
    (tmp_path / "foi.txt").write_text(FOI_TEXT, encoding="utf-8")
    run("ingest", "foi.txt", "--db", db, cwd=tmp_path)
    geo = json.loads(run("export", "--format", "geojson", "--db", db, cwd=tmp_path).stdout)
    assert [f["properties"]["party_b"] for f in geo["features"]] == ["Hefei"]
    wrote = run("export", "--format", "facts", "-o", "facts.jsonl", "--db", db, cwd=tmp_path)
    assert "wrote 1 partnerships" in wrote.stdout
    facts = [json.loads(line) for line in (tmp_path / "facts.jsonl").read_text().splitlines()]
    assert facts[0]["doc"] == "foi.txt" and facts[0]["partnerships"][0]["parties"] == ["Derby", "Hefei"]
    again = run("import", "facts.jsonl", "--db", str(tmp_path / "copy.db"), cwd=tmp_path)
    assert again.returncode == 0 and "new partnerships" in again.stdout
    bad = run("export", "--format", "xml", "--db", db, cwd=tmp_path)
    assert bad.returncode == 2 and "choose one of" in bad.stderr


def test_serve_with_two_workers_answers_from_a_new_register(tmp_path: Path) -> None:
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "served.db"
    server = subprocess.Popen(
        [*BIN, "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/documents", timeout=2)
                break
            except httpx.HTTPError:
                assert server.poll() is None and time.time() < deadline, "the server did not start"
                time.sleep(0.3)
        assert response.status_code == 200 and response.json() == {"items": [], "next": None, "next_url": None}
        assert "content-security-policy" in response.headers
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_db_rebuild_finds_and_mends_derived_rows_out_of_step(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "r.db"
    assert run("import", "--starter", "--db", str(db), cwd=tmp_path).returncode == 0
    current = run("db", "rebuild", "--check", "--db", str(db), cwd=tmp_path)
    # every write refreshed what it touched, the provinces and countries it created included
    assert current.returncode == 0 and current.stdout.count("unchanged") == 3
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM party_timeline_lines WHERE rowid IN (SELECT rowid FROM party_timeline_lines LIMIT 2)")
        c.execute(
            "UPDATE partnership_digests SET digest = '{}' WHERE rowid = (SELECT min(rowid) FROM partnership_digests)"
        )
        c.execute("DELETE FROM search_index WHERE rowid = (SELECT min(rowid) FROM search_index)")
    check = run("db", "rebuild", "--check", "--db", str(db), cwd=tmp_path)
    assert check.returncode == 1 and "run 'twinlink db rebuild'" in check.stderr
    assert "party_timelines: 2 added" in check.stdout and "partnership_digests: 0 added, 1 changed" in check.stdout
    assert "search_index: 1 added" in check.stdout
    assert run("db", "rebuild", "--db", str(db), cwd=tmp_path).returncode == 0
    after = run("db", "rebuild", "--check", "--db", str(db), cwd=tmp_path)
    assert after.returncode == 0 and after.stdout.count("unchanged") == 3


def test_file_names_with_terminal_escapes_or_markup_print_as_plain_text(tmp_path: Path) -> None:
    name = "notes-\x1b[2J[red]x.txt"
    (tmp_path / name).write_text("Notes\n\nDerby is twinned with Hefei.\n", encoding="utf-8")
    result = run("ingest", name, "--db", str(tmp_path / "r.db"), cwd=tmp_path)
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "notes-?[2J[red]x.txt" in result.stdout


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    """`twinlink --help` answers at once: no database library, register, extraction or gazetteer."""
    code = (
        "import sys, runpy\n"
        "sys.argv = ['twinlink', '--help']\n"
        "try:\n    runpy.run_module('twinlink', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = ('sqlalchemy', 'jieba', 'fastapi', 'twinlink.register', 'twinlink.extract', 'twinlink.store',"
        " 'twinlink.gazetteer')\n"
        "print(sorted({m for m in sys.modules if m.startswith(heavy)}), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_a_mistyped_register_is_refused_not_made_and_the_version_is_shown(tmp_path: Path) -> None:
    typo = run("partnerships", "--db", "regsiter.db", cwd=tmp_path)
    assert typo.returncode == 4 and "regsiter.db: the file does not exist" in typo.stderr
    assert not (tmp_path / "regsiter.db").exists()
    version = run("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("twinlink ")


def test_unknown_filter_values_are_refused_not_answered_with_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    assert run("db", "upgrade", "--db", db, cwd=tmp_path).returncode == 0
    kind = run("partnerships", "--kind", "twinning", "--db", db, cwd=tmp_path)
    assert kind.returncode != 0 and "unknown kind 'twinning'" in kind.stderr
    country = run("export", "--country", "China", "--db", db, cwd=tmp_path)
    assert country.returncode != 0 and "country 'China': give a two-letter code" in country.stderr


def test_a_plain_path_in_the_environment_is_a_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from twinlink.config import Settings

    monkeypatch.setenv("TWINLINK_DATABASE_URL", str(tmp_path / "env.db"))
    assert Settings().database_url == f"sqlite:///{tmp_path / 'env.db'}"
    assert run("db", "upgrade", cwd=tmp_path).returncode == 0
    assert (tmp_path / "env.db").exists()


def test_a_global_db_before_the_command_names_the_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "global.db")
    monkeypatch.setenv("TWINLINK_DATABASE_URL", db)  # so that what the command sets is undone after
    monkeypatch.delenv("TWINLINK_DATABASE_URL")
    assert run("--db", db, "db", "upgrade", cwd=tmp_path).returncode == 0
    assert (tmp_path / "global.db").exists() and not (tmp_path / "twinlink.db").exists()
    assert run("--db", db, "stats", cwd=tmp_path).returncode == 0


def test_a_long_ingest_says_its_pace_and_what_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    from twinlink.commands import register

    clock = [100.0]
    monkeypatch.setattr(register.time, "monotonic", lambda: clock[0])
    pace = register.Pace(total=1_000, every=30)
    for _ in range(200):
        pace.advance()
    clock[0] += 10
    assert not pace.due()  # not yet 30 s since the start
    clock[0] += 30
    assert pace.due() and not pace.due()  # once, then not again until 30 s more
    assert pace.describe() == "200 of 1,000 documents, 5 a second, about 2 min 40 s left"


def test_a_dash_reads_a_document_or_facts_from_standard_input(tmp_path: Path) -> None:
    with chdir(tmp_path):
        extracted = CliRunner().invoke(
            app, ["extract", "-"], input="Notes\n\nLeeds is twinned with Hangzhou since 1988.\n"
        )
    assert extracted.exit_code == 0, extracted.stderr
    facts = json.loads(extracted.stdout)
    assert facts["doc"] == "stdin" and facts["partnerships"][0]["parties"] == ["Leeds", "Hangzhou"]
    with chdir(tmp_path):
        imported = CliRunner().invoke(app, ["import", "-", "--db", "r.db"], input=extracted.stdout)
    assert imported.exit_code == 0 and "stdin: " in imported.stdout and "new partnerships" in imported.stdout
    mixed = run("extract", "-", "other.txt", cwd=tmp_path)
    assert mixed.returncode == 2 and "give it alone" in mixed.stderr


def test_places_and_parties_are_found_by_code_and_misspellings_get_a_suggestion(tmp_path: Path) -> None:
    found = run("gazetteer", "find", "E08000035", cwd=tmp_path)
    assert found.returncode == 0 and found.stdout.startswith("Leeds")
    misspelt = run("gazetteer", "find", "Chongquing", cwd=tmp_path)
    assert misspelt.returncode == 3 and "did you mean Chongqing (municipality, CN)" in misspelt.stderr
    (tmp_path / "a.txt").write_text("Notes\n\nLeeds is twinned with Hangzhou since 1988.\n", encoding="utf-8")
    assert run("ingest", "a.txt", "--db", "r.db", cwd=tmp_path).returncode == 0
    by_code = run("show", "E08000035", "--db", "r.db", cwd=tmp_path)
    assert by_code.returncode == 0 and "Hangzhou" in by_code.stdout
    slip = run("show", "Hangzou", "--db", "r.db", cwd=tmp_path)
    assert slip.returncode == 3 and "did you mean Hangzhou?" in slip.stderr


def test_stats_and_gazetteer_lookups_answer_as_json_and_csv(tmp_path: Path) -> None:
    places = run("gazetteer", "find", "Newcastle", "--format", "csv", "--limit", "4", cwd=tmp_path)
    assert places.returncode == 0 and places.stdout.startswith("id,name,kind,country")
    rows = list(csv.reader(io.StringIO(places.stdout)))
    assert len(rows) >= 3 and len({row[3] for row in rows[1:]}) >= 2  # Newcastles of several countries
    assert {len(row) for row in rows} == {len(rows[0])}  # one column each, whatever codes a place has
    leeds = json.loads(run("gazetteer", "find", "E08000035", "--format", "json", cwd=tmp_path).stdout)
    assert leeds[0]["name"] == "Leeds" and leeds[0]["gss"] == "E08000035"
    (tmp_path / "a.txt").write_text("Notes\n\nLeeds is twinned with Hangzhou since 1988.\n", encoding="utf-8")
    assert run("ingest", "a.txt", "--db", "r.db", cwd=tmp_path).returncode == 0
    counted = json.loads(run("stats", "--format", "json", "--db", "r.db", cwd=tmp_path).stdout)
    assert counted["rows"]["partnerships"] == 1 and counted["rows"]["documents"] == 1


def test_an_export_as_a_data_package_describes_every_column_it_writes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Notes\n\nLeeds is twinned with Hangzhou since 1988. Derby and Hefei signed a twinning agreement in 1996.\n",
        encoding="utf-8",
    )
    assert run("ingest", "a.txt", "--db", "r.db", cwd=tmp_path).returncode == 0
    done = run("export", "--datapackage", "out", "--db", "r.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    resource = package["resources"][0]
    rows = list(csv.DictReader((tmp_path / "out" / resource["path"]).open(encoding="utf-8")))
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == list(rows[0])  # the description and the file in step
    for field in fields:
        for row in rows:
            value = row[field["name"]]
            if value and field["type"] == "integer":
                int(value)
            if value and "enum" in field.get("constraints", {}):
                assert value in field["constraints"]["enum"]
    assert {row["established_year"] for row in rows} == {"1988", "1996"}
