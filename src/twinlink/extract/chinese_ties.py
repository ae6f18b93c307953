"""Ties stated in Chinese: "厦门市与英国卡迪夫市缔结为友好城市", "新乐市、辛集市也分别与…", and
a sentence that names a tie and a Chinese city beside foreign cities ("前者如法国波城市")."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from twinlink.extract.chinese import ZhDate, ZhPlace, find_zh_dates
from twinlink.extract.spans import Ordered
from twinlink.facts import PartnershipFact, Span
from twinlink.vocab import PartnershipKind

RULE = "rule:partnership-zh@1"
TIE = re.compile(
    r"友好城市|友好交流城市|友好关系城市|友城|姐妹城市|姊妹城市|友好省州|友好省郡|友好省|友好州|友好县|"
    r"结好|友好学校|姐妹学校|姊妹学校|友好合作关系|友好关系|姐妹班|姐妹赛事"
)
SCHOOL_TIE = re.compile(r"友好学校|姐妹学校|姊妹学校|姐妹班")
ACT = re.compile(r"缔结|结为|结成|建立|签署|签订|签定|草签|商定|结好")
# hopes, intentions and proposals: no tie yet
HEDGE = re.compile(r"希望|有望|拟|意向|探讨|洽谈|考虑|争取|将来|未来")
_CONNECTOR = re.compile(r"\s*(?:与|和|同|跟|及)\s*[\u3400-\u9fff]{0,6}?\s*")
_SENTENCE = re.compile(r"[^。！？；\n]+")
_ANNIVERSARY = "周年"
_BRACKETED_YEAR = re.compile(r"\s*[（(][^)）]{0,4}?((?:19|20)\d\d)\s*年")
_EXAMPLES = re.compile(r"^(?:前者|后者|例如|比如|其中|包括)|[,，](?:前者|后者)?如")


@dataclass(frozen=True, slots=True)
class Tie:
    a: ZhPlace
    b: ZhPlace
    kind: PartnershipKind
    instrument: str
    established: int | None
    evidence_start: int
    evidence_end: int
    signed: ZhDate | None


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        piece = m.group()
        if re.search(r"[\u3400-\u9fff]", piece):
            lead = len(piece) - len(piece.lstrip())
            spans.append((m.start() + lead, m.start() + len(piece.rstrip())))
    return spans


def find_ties(
    text: str, places: list[ZhPlace], home: ZhPlace | None, dateline: tuple[int, int | None, int | None] | None
) -> list[Tie]:
    ties: list[Tie] = []
    named = Ordered([p for p in places if not p.is_country])
    country_ends = {p.end: p for p in places if p.is_country}
    previous_tie: re.Match[str] | None = None
    for start, end in _sentences(text):
        sentence = text[start:end]
        tie = TIE.search(sentence)
        if tie is None and previous_tie is not None and _EXAMPLES.search(sentence):
            tie = previous_tie  # "…结好主要有两种方式…。前者如法国波城市…": examples of the ties just named
        previous_tie = TIE.search(sentence)
        if tie is None:
            continue
        inside = named.within(start, end)
        if not inside:
            continue
        pairs = _respectively(text, sentence, start, inside) or _connected(text, inside)
        if not pairs:
            pairs = _alongside(text, inside, country_ends, home)
        if not pairs:
            continue
        act = ACT.search(sentence)
        dates = [d for d in find_zh_dates(sentence, dateline) if _ANNIVERSARY not in sentence[d.end : d.end + 12]]
        hedged = HEDGE.search(sentence[: tie.start()]) is not None and act is None
        if hedged:
            continue
        if SCHOOL_TIE.search(sentence):
            continue  # a tie between schools or classes, not between the places they are in
        kind = PartnershipKind.PLACE
        for a, b in pairs:
            signed = None
            if act is not None and _ANNIVERSARY not in sentence and dates:
                before = [d for d in dates if d.start <= act.start()]
                signed = before[-1] if before else dates[0]
            established = signed.year if signed is not None else None
            if signed is not None and "以来" in sentence[signed.end :]:
                signed = None  # "自1974年…结为友好城市以来": a state since then, not an event told
            own = _BRACKETED_YEAR.match(text, b.end)
            if own is not None:  # "…鹿儿岛市(1995年5月23日)、…": each partner's own year
                established = int(own.group(1))
            ties.append(Tie(a, b, kind, tie.group(), established, start, end, signed))
    return ties


def _respectively(text: str, sentence: str, start: int, inside: list[ZhPlace]) -> list[tuple[ZhPlace, ZhPlace]]:
    """ "A、B也分别与C、D…": A with C, B with D."""
    at = sentence.find("分别")
    if at == -1:
        return []
    cut = start + at
    subjects = [p for p in inside if p.end <= cut and p.country == "CN"]
    objects = [p for p in inside if p.start >= cut and p.country != "CN"]
    # only the run of subjects joined by "、" or "和" just before "分别"
    run: list[ZhPlace] = []
    for p in reversed(subjects):
        if run and not re.fullmatch(r"\s*[、和及与,，]\s*", text[p.end : run[0].start]):
            break
        run.insert(0, p)
    if len(run) >= 2 and len(run) == len(objects):
        return list(zip(run, objects, strict=True))
    return []


def _connected(text: str, inside: list[ZhPlace]) -> list[tuple[ZhPlace, ZhPlace]]:
    """ "A与B", "A和中国古都B": two places joined by a conjunction, in different countries."""
    pairs: list[tuple[ZhPlace, ZhPlace]] = []
    for a, b in itertools.pairwise(inside):
        if a.country != b.country and _CONNECTOR.fullmatch(text[a.end : b.start]):
            pairs.append((a, b))
    return pairs


def _alongside(
    text: str, inside: list[ZhPlace], countries: dict[int, ZhPlace], home: ZhPlace | None
) -> list[tuple[ZhPlace, ZhPlace]]:
    """A Chinese city (named in the sentence, else the document's own) and the foreign cities
    named after their country in a sentence that speaks of its ties."""
    chinese = [p for p in inside if p.country == "CN"]
    anchor = chinese[0] if chinese else home
    if anchor is None:
        return []
    foreign = [p for p in inside if p.country not in ("CN", anchor.country) and _after_country(text, p, countries)]
    return [(anchor, p) for p in foreign]


def _after_country(text: str, place: ZhPlace, countries: dict[int, ZhPlace]) -> bool:
    if place.start in countries:
        return True
    stripped = len(text[: place.start].rstrip())
    return stripped in countries


def tie_facts(ties: list[Tie], text: str) -> list[PartnershipFact]:
    facts: list[PartnershipFact] = []
    for t in ties:
        facts.append(
            PartnershipFact(
                parties=[t.a.name, t.b.name],
                kind=t.kind,
                established=t.established,
                instrument=t.instrument,
                evidence=text[t.evidence_start : t.evidence_end],
                span=Span(start=t.evidence_start, end=t.evidence_end),
                rule=RULE,
            )
        )
    return facts
