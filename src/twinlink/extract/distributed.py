"""Corpus-scale extraction on Dask: extraction is a pure function of a document's bytes and the
gazetteer, so a corpus too large for one machine is read by the workers of a Dask cluster (or a
local one), each loading the gazetteer once. Documents are read through fsspec (local files, S3
and other object stores, HTTP); the facts are written as JSON Lines, one shard per partition of
the corpus, which ``twinlink import`` loads. A document that cannot be read is reported, never
fatal."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from twinlink.errors import TwinlinkError

READ_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
MISSING = "corpus-scale extraction needs Dask and fsspec: pip install 'twinlink[dask]'"


def _require() -> tuple[Any, Any]:
    try:
        import dask
        import fsspec
    except ImportError:
        raise TwinlinkError(MISSING) from None
    return dask, fsspec


@dataclass(frozen=True)
class Shard:
    """What one partition of the corpus gave: its shard of facts, how many documents went into it,
    and each document that could not be read, with why."""

    index: int
    path: str
    documents: int
    failures: list[str] = field(default_factory=list)


def list_sources(items: Sequence[str]) -> list[str]:
    """Every document named: a file or address as given, a folder's readable files, a glob's
    matches (local or remote), and the lines of a ``@list.txt`` of paths or addresses."""
    _, fsspec = _require()
    found: list[str] = []
    for item in items:
        if item.startswith("@"):
            with open(item[1:], encoding="utf-8") as fh:
                found += [line.strip() for line in fh if line.strip() and not line.startswith("#")]
            continue
        if item.startswith(("http://", "https://")):
            found.append(item)
            continue
        fs, _, (root,) = fsspec.get_fs_token_paths(item)
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]

        def address(path: str, protocol: str = protocol) -> str:
            return path if protocol in ("file", "local") else f"{protocol}://{path}"

        if glob.has_magic(item):
            found += [address(p) for p in sorted(fs.glob(root))]
        elif fs.isdir(root):
            found += [address(p) for p in sorted(fs.find(root)) if p.lower().endswith(READ_SUFFIXES)]
        else:
            found.append(item)
    return found


def extract_shard(index: int, sources: Sequence[str], output: str, max_bytes: int) -> Shard:
    """Run on a worker: read and extract each document of one partition, write their facts to the
    partition's shard, and say what could not be read."""
    import fsspec

    from twinlink.documents.load import load_bytes
    from twinlink.errors import BadDocument
    from twinlink.extract.run import worker_extractor

    extractor = worker_extractor()
    lines, failures = [], []
    for source in sources:
        name = os.path.basename(source.rstrip("/")) or source
        try:
            with fsspec.open(source, "rb") as fh:
                data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise BadDocument(source, f"too large (the limit is {max_bytes} bytes)")
            # an address is the document's citation; a local path is not (it says only where a file lay)
            document = load_bytes(data, name, fallback=source if "://" in source else None)
            lines.append(extractor.extract(document).to_json())
        except BadDocument as exc:
            failures.append(str(exc))
        except (OSError, ValueError) as exc:  # a file gone, an address that does not answer
            failures.append(f"{source}: cannot be read ({exc.__class__.__name__}: {exc})")
    path = f"{output.rstrip('/')}/facts-{index:05d}.jsonl"
    with fsspec.open(path, "w", encoding="utf-8") as fh:
        fh.writelines(line + "\n" for line in lines)
    return Shard(index, path, len(lines), failures)


def extract_on_dask(
    sources: Sequence[str],
    output: str,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = 200,
    max_bytes: int = 50 * 1024 * 1024,
) -> Iterator[Shard]:
    """Extract ``sources`` on the cluster at ``scheduler`` (an address such as
    ``tcp://10.0.0.5:8786``), or on a local cluster of ``workers`` processes; the shards as they
    finish."""
    _require()
    from distributed import Client, LocalCluster, as_completed
    from fsspec.core import url_to_fs

    fs, root = url_to_fs(output)
    fs.makedirs(root, exist_ok=True)
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)
    client = Client(scheduler or cluster)
    try:
        parts = [sources[i : i + partition_size] for i in range(0, len(sources), partition_size)]
        futures = [
            client.submit(extract_shard, index, part, output, max_bytes, pure=False) for index, part in enumerate(parts)
        ]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
