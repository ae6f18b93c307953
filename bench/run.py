"""Extraction benchmark: a generated corpus of partnership prose, figures in MB/s and documents/s."""

from __future__ import annotations

import random
import resource
import time

from twinlink.extract.pipeline import Extractor
from twinlink.gazetteer.lookup import default_gazetteer

UK = ["Leeds", "Bristol", "Cardiff", "Glasgow", "Sheffield", "Derby", "Coventry", "Preston", "Bolton", "York"]
CN = ["Hangzhou", "Guangzhou", "Xiamen", "Dalian", "Anshan", "Hefei", "Jinan", "Ningbo", "Wuhan", "Suzhou"]
TEMPLATES = [
    "{uk} is twinned with {cn} and the link was signed in {year}.",
    "In {month} {year} a delegation from {cn} visited {uk} to discuss trade and education.",
    "{uk} City Council signed a friendship agreement with {cn} in {year}.",
    "Schools in {uk} hosted pupils from {cn} on an exchange programme in {year}.",
    "The council published its annual report on international engagement, covering culture and sport.",
    "Residents attended a concert celebrating the 10th anniversary of the link with {cn} in {year}.",
]
MONTHS = ["January", "March", "June", "September", "November"]


def make_document(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        line = rng.choice(TEMPLATES).format(
            uk=rng.choice(UK), cn=rng.choice(CN), year=rng.randint(1980, 2024), month=rng.choice(MONTHS)
        )
        parts.append(line)
        length += len(line) + 1
    return "\n".join(parts)


def main(total_mb: int = 20, doc_kb: int = 20) -> None:
    rng = random.Random(7)
    docs = [make_document(rng, doc_kb * 1024) for _ in range(total_mb * 1024 // doc_kb)]
    total = sum(len(d.encode()) for d in docs)
    extractor = Extractor.build(default_gazetteer())
    start = time.perf_counter()
    facts = 0
    for i, text in enumerate(docs):
        result = extractor.extract_text(text, f"doc{i}.txt")
        facts += len(result.partnerships) + len(result.events)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"extraction: {total / 1e6:.1f} MB in {len(docs)} documents, {elapsed:.1f} s on one core")
    print(f"  {total / 1e6 / elapsed:.2f} MB/s per core, {len(docs) / elapsed:.1f} documents/s, {facts} facts")
    print(f"  peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
