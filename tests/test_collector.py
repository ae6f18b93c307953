import gc
from typing import Any

from pytest import MonkeyPatch

from twinlink.collector import collector_paused
from twinlink.extract import pipeline
from twinlink.extract.pipeline import Extractor


def test_the_collector_is_paused_and_switched_back_on() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one in force
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_comes_back_after_an_error() -> None:
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_document_is_extracted_with_the_collector_paused(extractor: Extractor, monkeypatch: MonkeyPatch) -> None:
    seen: list[bool] = []
    build = pipeline.build_context

    def watching(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build_context", watching)
    facts = extractor.extract_text("Leeds is twinned with Wuhan.", "note.txt")
    assert seen == [False]
    assert gc.isenabled()
    assert facts.partnerships
