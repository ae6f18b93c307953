"""Ingests killed with SIGKILL at random points (just before a statement chosen at random among
all an ingest sends): the register is never damaged, and ingesting again gives the register a
clean ingest makes, derived rows included. `make test` kills 20 times,
`make fuzz` 100 (TWINLINK_CRASH_RUNS)."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
from pathlib import Path

from sqlalchemy import event, text

from tests.corpus import write_corpus
from tests.register_content import differences, register_content
from twinlink.extract.pipeline import Extractor
from twinlink.register.database import prepare
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import make_engine

RUNS = int(os.environ.get("TWINLINK_CRASH_RUNS", "20"))


def _ingest(url: str, extractor: Extractor, paths: list[Path], kill_at: int = 0) -> int:
    """Ingest into the register at ``url``; with ``kill_at``, the process kills itself (SIGKILL)
    as it is about to send its ``kill_at``-th statement to the database. How many it sent."""
    engine = make_engine(url)
    sent = 0

    def count(*_: object) -> None:
        nonlocal sent
        sent += 1
        if sent == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(engine, "before_cursor_execute", count)
    prepare(engine)
    for outcome in ingest_paths(engine, extractor, paths, 1_000_000):
        assert outcome.state != "failed", outcome.error
    engine.dispose()
    return sent


def _ingest_until_killed(url: str, extractor: Extractor, paths: list[Path], kill_at: int) -> None:
    _ingest(url, extractor, paths, kill_at)
    os._exit(0)  # not reached: killed on the way


def test_ingests_killed_at_random_points_leave_a_sound_register_that_finishes_equal(
    extractor: Extractor, tmp_path: Path
) -> None:
    paths = write_corpus(tmp_path / "docs")
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    statements = _ingest(clean_url, extractor, paths)  # from creating the schema to the last commit
    clean = register_content(make_engine(clean_url))
    assert clean["claims"] and clean["party_timeline_lines"] and clean["search index"]

    chance = random.Random(RUNS)
    forking = multiprocessing.get_context("fork")  # the child starts with the extractor already built
    for run in range(RUNS):
        url = f"sqlite:///{tmp_path / f'killed{run}.db'}"
        kill_at = chance.randint(1, statements)  # anywhere: a migration, a batch's writes, its refresh
        child = forking.Process(target=_ingest_until_killed, args=(url, extractor, paths, kill_at))
        child.start()
        child.join(timeout=120)
        assert child.exitcode == -signal.SIGKILL, (run, kill_at, child.exitcode)
        if Path(url.removeprefix("sqlite:///")).exists():
            engine = make_engine(url)
            with engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok", f"run {run}"
            engine.dispose()
        _ingest(url, extractor, paths)  # the same documents again, as a user would after a crash
        finished = make_engine(url)
        assert register_content(finished) == clean, (run, kill_at, differences(register_content(finished), clean))
        finished.dispose()
