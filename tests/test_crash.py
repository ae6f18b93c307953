"""Ingests killed with SIGKILL at random points: the register is never damaged, and ingesting
again gives the register a clean ingest makes, derived rows included. `make test` kills 20 times,
`make fuzz` 100 (TWINLINK_CRASH_RUNS)."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

from sqlalchemy import text

from tests.corpus import write_corpus
from tests.register_content import differences, register_content
from twinlink.extract.pipeline import Extractor
from twinlink.register.database import prepare
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import make_engine

RUNS = int(os.environ.get("TWINLINK_CRASH_RUNS", "20"))


def _ingest(url: str, extractor: Extractor, paths: list[Path]) -> None:
    engine = make_engine(url)
    prepare(engine)
    for outcome in ingest_paths(engine, extractor, paths, 1_000_000):
        assert outcome.state != "failed", outcome.error
    engine.dispose()


def _ingest_then_exit(url: str, extractor: Extractor, paths: list[Path]) -> None:
    _ingest(url, extractor, paths)
    os._exit(0)


def test_ingests_killed_at_random_points_leave_a_sound_register_that_finishes_equal(
    extractor: Extractor, tmp_path: Path
) -> None:
    paths = write_corpus(tmp_path / "docs")
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    _ingest(clean_url, extractor, paths)
    clean = register_content(make_engine(clean_url))
    forking = multiprocessing.get_context("fork")  # the child starts with the extractor already built
    started = time.monotonic()
    timed = forking.Process(target=_ingest_then_exit, args=(f"sqlite:///{tmp_path / 'timed.db'}", extractor, paths))
    timed.start()
    timed.join(timeout=60)
    took = time.monotonic() - started
    assert clean["claims"] and clean["party_timelines"] and clean["search index"]

    chance = random.Random(RUNS)
    killed_mid_way = 0
    for run in range(RUNS):
        url = f"sqlite:///{tmp_path / f'killed{run}.db'}"
        child = forking.Process(target=_ingest_then_exit, args=(url, extractor, paths))
        child.start()
        time.sleep(chance.uniform(0, took))
        if child.is_alive():
            os.kill(child.pid or 0, signal.SIGKILL)
            killed_mid_way += 1
        child.join(timeout=60)
        engine = make_engine(url)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok", f"run {run}"
        engine.dispose()
        _ingest(url, extractor, paths)  # the same documents again, as a user would after a crash
        finished = make_engine(url)
        assert register_content(finished) == clean, (run, differences(register_content(finished), clean))
        finished.dispose()
    assert killed_mid_way >= RUNS // 2  # most kills landed during the ingest, not after it
