"""The extractor ready-made: building the gazetteer's index and the name matchers takes a second
or two, loading them built takes a fifth of that. The built extractor is kept in the user's cache
folder (``TWINLINK_CACHE_DIR``, else ``$XDG_CACHE_HOME/twinlink`` or ``~/.cache/twinlink``) under
a key of everything it is built from: the packaged gazetteer, the rule versions, the code of the
extraction and gazetteer packages, Twinlink's and Python's versions. Any change gives another key,
so a stale one is never loaded; it is built again on first use (or by ``make gazetteer``).

The file is a pickle, read only from the user's own cache folder: whoever can write there can
already run code as that user."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from importlib import resources
from pathlib import Path

from twinlink.extract.pipeline import Extractor
from twinlink.extract.rules import extractor_version
from twinlink.gazetteer import lookup

_PACKAGES = ("twinlink.extract", "twinlink.gazetteer")
_PREFIX = "extractor-"


def cache_folder() -> Path:
    named = os.environ.get("TWINLINK_CACHE_DIR")
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "twinlink"


def cache_key() -> str:
    """A digest of everything the built extractor depends on."""
    from twinlink import __version__

    digest = hashlib.sha256()
    digest.update(resources.files("twinlink.gazetteer").joinpath("data/places.json.gz").read_bytes())
    digest.update(f"{__version__} {sys.version} {extractor_version()}".encode())
    for package in _PACKAGES:
        folder = Path(str(resources.files(package)))
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".json", ".csv", ".gz"):
                stat = path.stat()
                digest.update(f"{path.relative_to(folder)} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


def _load(path: Path) -> Extractor | None:
    gc.disable()  # a graph of a million small objects: the collector would walk it while it grows
    try:
        extractor = pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    finally:
        gc.enable()
    return extractor if isinstance(extractor, Extractor) else None


def _save(extractor: Extractor, path: Path) -> None:
    """Written whole under a temporary name and renamed, so that a reader never sees half a file;
    older builds are removed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".building-", delete=False) as fh:
            pickle.dump(extractor, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
        for old in path.parent.glob(f"{_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written (a read-only home) only costs the next start its second


def build_cached_extractor() -> Path:
    """Build the extractor and keep it in the cache (``make gazetteer``); its file."""
    path = cache_folder() / f"{_PREFIX}{cache_key()}.pickle"
    _save(Extractor.build(lookup.default_gazetteer()), path)
    return path


def default_extractor() -> Extractor:
    """The extractor over the packaged gazetteer: loaded ready-made when a current build is in the
    cache, else built and kept there. The packaged gazetteer then comes with it."""
    path = cache_folder() / f"{_PREFIX}{cache_key()}.pickle"
    extractor = _load(path) if path.exists() else None
    if extractor is None:
        extractor = Extractor.build(lookup.default_gazetteer())
        _save(extractor, path)
    else:
        lookup.use_as_default(extractor.gazetteer)
    return extractor
