"""Corpus-scale extraction on Dask (a LocalCluster here) gives the facts the local path gives,
sharded for `twinlink import`; a document that cannot be read is collected, not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus import write_corpus
from tests.test_cli import run
from twinlink.extract.run import extract_files

pytest.importorskip("distributed")


def test_dask_extraction_gives_the_local_facts_in_shards_that_import_loads(tmp_path: Path) -> None:
    from twinlink.extract.distributed import extract_on_dask, list_sources

    paths = write_corpus(tmp_path / "docs")
    (tmp_path / "docs" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    sources = list_sources([str(tmp_path / "docs")])
    assert len(sources) == len(paths) + 1

    shards = list(extract_on_dask(sources, str(tmp_path / "shards"), workers=2, partition_size=3, max_bytes=1_000_000))
    assert sorted(s.index for s in shards) == list(range(6))  # 16 files, 3 a shard
    failures = [f for s in shards for f in s.failures]
    assert len(failures) == 1 and "broken.pdf" in failures[0]
    on_dask = sorted(
        line for shard in sorted((tmp_path / "shards").glob("facts-*.jsonl")) for line in shard.read_text().splitlines()
    )
    here = sorted(o.facts.to_json() for o in extract_files([str(p) for p in paths], 1_000_000) if o.facts)
    assert on_dask == here and len(here) == len(paths)
    assert any(json.loads(line)["partnerships"] for line in here)

    imported = run("import", str(tmp_path / "shards"), "--db", "r.db", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.count("facts-") == 6
    listed = run("partnerships", "--format", "json", "--db", "r.db", cwd=tmp_path)
    assert "Hangzhou" in listed.stdout and "Hefei" in listed.stdout


def test_dask_extraction_from_the_command_line(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs")
    (tmp_path / "list.txt").write_text(f"{tmp_path / 'docs' / 'leeds.txt'}\n{tmp_path / 'docs' / 'york.txt'}\n")
    done = run("extract", "@list.txt", "--dask-workers", "1", "--output-dir", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2 documents extracted, 0 could not be read" in done.stderr
    assert len((tmp_path / "out" / "facts-00000.jsonl").read_text().splitlines()) == 2
    refused = run("extract", "docs", "--dask-workers", "1", cwd=tmp_path)
    assert refused.returncode != 0 and "--output-dir" in refused.stderr
