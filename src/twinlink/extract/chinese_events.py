"""Dated happenings told in Chinese: signings, visits, meetings, openings, letters, with the places
named in the sentence ("6月3日下午…会见了英国利物浦市议会…", "今年4月,爱丁堡和中国古都西安结成友好城市")."""

from __future__ import annotations

import re

from twinlink.extract.chinese import ZhDate, ZhPlace, find_zh_dates
from twinlink.extract.spans import Ordered
from twinlink.facts import EventFact, Span
from twinlink.vocab import EventKind

RULE = "rule:event-zh@1"
# each kind's wording, strongest first; the kind whose wording stands nearest the date wins
_KINDS: list[tuple[EventKind, re.Pattern[str]]] = [
    (EventKind.ANNIVERSARY, re.compile(r"周年(?:庆|纪念|活动|庆典|庆祝)")),
    (EventKind.AGREEMENT, re.compile(r"签署|签订|签定|签字|缔结|结为|结成|草签|建立[^。，,]{0,8}关系")),
    (EventKind.TRADE, re.compile(r"博览会|交易会|展销会|洽谈会|贸易代表团|经贸代表团|招商")),
    (EventKind.FOUNDING, re.compile(r"成立|揭牌|开幕|开业|创办|落成")),
    (EventKind.VISIT, re.compile(r"访问|来访|出访|到访|访华|访英|访沪|代表团|考察|飞抵|抵达|率团|参访")),
    (EventKind.MEETING, re.compile(r"会见|会谈|会晤|座谈|论坛|研讨会|会议")),
    (EventKind.EXCHANGE, re.compile(r"互访|交换生|交流项目|交流活动")),
    (EventKind.OTHER, re.compile(r"去函|来函|致函|决定|通过了|投票")),
]
_SENTENCE = re.compile(r"[^。！？；\n]+")
_NEWS_DATELINE = re.compile(r"\s*电")  # "新华社爱丁堡6月4日电": the report's own date, not a happening
_PLANNED = re.compile(r"将于|将在|计划|拟于|有望|预计|即将")
_MAX_REACH = 60
_LOOKBACK = 6


def chinese_events(
    text: str, places: list[ZhPlace], dateline: tuple[int, int | None, int | None] | None, skip: list[tuple[int, int]]
) -> list[EventFact]:
    events: list[EventFact] = []
    recent: list[str] = []
    recent_index = -_LOOKBACK - 1
    ordered = Ordered(places)
    for index, m in enumerate(_SENTENCE.finditer(text)):
        sentence = m.group()
        start = m.start() + len(sentence) - len(sentence.lstrip())
        sentence = sentence.strip()
        end = start + len(sentence)
        if not re.search(r"[\u3400-\u9fff]", sentence):
            continue
        inside = ordered.within(start, end)
        named = _names([p for p in inside if not p.is_country]) or _names([p for p in inside if p.is_country])
        if any(not p.is_country for p in inside):
            recent, recent_index = named, index
        if any(s <= start and end <= e for s, e in skip):
            continue
        dates = [d for d in find_zh_dates(sentence, dateline) if not _NEWS_DATELINE.match(sentence, d.end)]
        dates = [d for d in dates if not _in_brackets(sentence, d) and not _state_since(sentence, d)]
        if not dates:
            continue
        parties = named or (recent if index - recent_index <= _LOOKBACK else [])
        if not parties:
            continue
        for date in dates[:1] if len({d.year for d in dates}) == 1 else dates:
            kind = _kind(sentence, date, dates)
            if kind is None:
                continue
            events.append(
                EventFact(
                    year=date.year,
                    month=date.month,
                    day=date.day,
                    kind=kind,
                    parties=parties[:4],
                    what=sentence[:140],
                    evidence=sentence,
                    span=Span(start=start, end=end),
                    rule=RULE,
                    planned=_PLANNED.search(sentence) is not None,
                )
            )
    return events


def _names(places: list[ZhPlace]) -> list[str]:
    out: list[str] = []
    for p in places:
        if p.name not in out:
            out.append(p.name)
    return out


def _state_since(sentence: str, date: ZhDate) -> bool:
    """ "自1974年2月…以来", "从1974年算起": a year from which a state runs, not a happening."""
    before = sentence[max(0, date.start - 2) : date.start]
    return ("自" in before or "从" in before) and re.search(r"以来|算起|至今", sentence[date.end :]) is not None


def _in_brackets(sentence: str, date: ZhDate) -> bool:
    """A date in brackets after a name ("日本 长野市(1981年4月19日缔结)") dates a list entry's tie."""
    opened = max(sentence.rfind("(", 0, date.start), sentence.rfind("（", 0, date.start))
    closed = max(sentence.rfind(")", 0, date.start), sentence.rfind("）", 0, date.start))
    return opened > closed


def _kind(sentence: str, date: ZhDate, dates: list[ZhDate]) -> EventKind | None:
    lo = max((d.end for d in dates if d.end <= date.start), default=0)
    hi = min((d.start for d in dates if d.start >= date.end), default=len(sentence))
    best: tuple[int, EventKind] | None = None
    for rank, (kind, pattern) in enumerate(_KINDS):
        for w in pattern.finditer(sentence, lo, hi):
            distance = date.start - w.end() if w.end() <= date.start else max(0, w.start() - date.end)
            if distance > _MAX_REACH:
                continue
            score = distance + rank
            if best is None or score < best[0]:
                best = (score, kind)
    if best is not None and "周年" in sentence and best[1] is EventKind.AGREEMENT:
        return None  # "今年是…结为友好城市25周年": the tie's age, not a signing this year
    return best[1] if best else None
