"""Chinese-language reading: place names found through word segmentation (jieba) and the
gazetteer's Chinese names, foreign places named after their country ("日本 长野市"), and dates
written the Chinese way ("1983年3月31日", "二〇〇五年", "今年4月")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from twinlink.extract.mentions import PlaceMention
from twinlink.extract.transliteration import latin_skeleton, pinyin_skeleton
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.gazetteer.model import Place, has_han
from twinlink.gazetteer.names import ZH_SUFFIXES
from twinlink.vocab import PartyKind

# administrative suffixes, longest first: China's, then those Chinese gives places abroad (郡 a
# county, 州 a state, 镇 and 町 a town); the name before one is looked up on its own too
SUFFIXES = tuple(sorted((*ZH_SUFFIXES, "郡", "州", "镇", "町", "乡", "村"), key=len, reverse=True))
_SUFFIX_CHARS = frozenset("省市郡县区州镇町")
_MAX_TOKENS = 4
_MAX_FOREIGN_CHARS = 8
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


# country names in everyday or formal use that the gazetteer's Chinese names lack
_FORMAL_COUNTRY_NAMES = {
    "韩国": "KR",
    "朝鲜": "KP",
    "老挝": "LA",
    "柬埔寨": "KH",
    "印尼": "ID",
    "伊朗": "IR",
    "联合王国": "GB",
    "大不列颠及北爱尔兰联合王国": "GB",
    "大不列颠": "GB",
    "中华人民共和国": "CN",
    "美利坚合众国": "US",
}


@dataclass(frozen=True, slots=True)
class ZhPlace:
    """A place named in Chinese: a gazetteer place, or a foreign place the gazetteer does not know
    (then ``place`` is None and ``name`` is its pinyin)."""

    start: int
    end: int
    text: str
    name: str
    country: str
    place: Place | None

    @property
    def is_country(self) -> bool:
        return self.place is not None and self.place.kind in (PartyKind.COUNTRY, PartyKind.NATION)


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def _strip_suffix(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


_MIN_FUZZY_SOUND = 6
_TRANSLITERATED_TOWN = 20_000
# countries whose places Chinese names by their own characters (or their Sino-Xenic readings)
_HAN_NAMED = frozenset({"CN", "JP", "KR", "KP", "TW", "HK", "MO", "SG", "VN"})
_SOUND_CUTOFF = 88.0


def _pinyin(han: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(han))


def pinyin_name(han: str) -> str:
    """A foreign name the gazetteer does not know, in pinyin as one capitalised word ("宾士镇" → "Binshizhen")."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(han)).capitalize()


class ChineseNames:
    """Chinese names of the gazetteer's places, with and without their administrative suffix."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.places: dict[str, list[Place]] = {}
        self.countries: dict[str, Place] = {}
        self._by_sound: dict[str, dict[str, Place]] = {}
        self._by_latin: dict[str, dict[str, list[Place]]] = {}
        for place in gazetteer.places:
            names = [n for n in (place.name_zh, *place.aliases) if n and has_han(n)]
            for name in names:
                for key in {name, _strip_suffix(name)}:
                    if len(key) < 2:
                        continue
                    if place.kind is PartyKind.COUNTRY:
                        self.countries.setdefault(key, place)
                    self.places.setdefault(key, []).append(place)
        for formal, code in _FORMAL_COUNTRY_NAMES.items():
            country = gazetteer.get(f"iso:{code}")
            if country is not None:
                self.places.setdefault(formal, []).append(country)

    def by_sound(self, name: str, country: str) -> Place | None:
        """A place of ``country`` whose Chinese name sounds the same in pinyin ("帕尔玛" for "帕尔马"),
        or very nearly so for a long name ("福塔莱萨" for "福塔雷萨")."""
        from rapidfuzz import fuzz, process

        sounds = self._sounds(country)
        key = _pinyin(name)
        if key in sounds:
            return sounds[key]
        if len(key) < _MIN_FUZZY_SOUND:
            return None
        found = process.extractOne(key, list(sounds), scorer=fuzz.ratio, score_cutoff=_SOUND_CUTOFF)
        return sounds[found[0]] if found else None

    def by_transliteration(self, name: str, country: str) -> Place | None:
        """A town of ``country`` whose Latin name this Chinese transliteration renders: the same
        consonants in the same order ("吉萨" and Giza, "克雷塔罗" and Querétaro), the largest town
        when several share them. Towns of at least ``_TRANSLITERATED_TOWN`` people only, and two
        consonants at least, so that a short or rare name does not find a namesake."""
        from pypinyin import lazy_pinyin

        if country in _HAN_NAMED:
            return None  # "绫南町": Chinese writes these places' own characters, not their sound
        skeleton = pinyin_skeleton(lazy_pinyin(name))
        if len(skeleton) < 2:
            return None
        found = self._latin_skeletons(country).get(skeleton)
        return max(found, key=lambda p: p.population) if found else None

    def _latin_skeletons(self, country: str) -> dict[str, list[Place]]:
        cached = self._by_latin.get(country)
        if cached is None:
            cached = {}
            for place in self.gazetteer.places:
                if place.country != country or place.population < _TRANSLITERATED_TOWN:
                    continue
                if place.kind in (PartyKind.COUNTRY, PartyKind.NATION):
                    continue
                first = re.split(r"[\s-]", place.name)[0]
                for form in dict.fromkeys((place.name, first)):
                    cached.setdefault(latin_skeleton(form), []).append(place)
            self._by_latin[country] = cached
        return cached

    def _sounds(self, country: str) -> dict[str, Place]:
        cached = self._by_sound.get(country)
        if cached is None:
            cached = {}
            for name, places in self.places.items():
                for place in places:
                    if place.country == country and place.kind not in (PartyKind.COUNTRY, PartyKind.NATION):
                        cached.setdefault(_pinyin(name), place)
            self._by_sound[country] = cached
        return cached

    def best(self, name: str, country: str | None = None, suffix: str = "") -> Place | None:
        candidates = self.places.get(name) or self.places.get(_strip_suffix(name))
        if not candidates:
            return None
        if country is not None:
            candidates = [p for p in candidates if p.country == country]
            if not candidates:
                return None
        return max(candidates, key=lambda p: _rank(p, suffix))


def _rank(place: Place, suffix: str) -> tuple[int, int, int]:
    kind_order = {
        PartyKind.COUNTRY: 1,
        PartyKind.PROVINCE: 6 if suffix == "省" else 4,
        PartyKind.MUNICIPALITY: 7,
        PartyKind.PREFECTURE_CITY: 6,
        PartyKind.COUNTY_CITY: 4,
        PartyKind.CITY: 5,
        PartyKind.COUNTY: 5 if suffix == "郡" else 3,
        PartyKind.DISTRICT: 4 if suffix == "区" else 1,
    }
    return (place.country in ("GB", "CN"), kind_order.get(place.kind, 3), place.population)


def _tokens(text: str) -> list[tuple[int, int, str, str]]:
    out: list[tuple[int, int, str, str]] = []
    offset = 0
    for pair in _jieba().cut(text, HMM=True):
        word, flag = pair.word, pair.flag
        out.append((offset, offset + len(word), word, flag))
        offset += len(word)
    return out


def find_places(text: str, names: ChineseNames) -> list[ZhPlace]:
    """Places named in the Chinese parts of ``text``, left to right, with offsets in ``text``."""
    found: list[ZhPlace] = []
    for run in re.finditer(r"[\u3400-\u9fff][\u3400-\u9fff\s（）()·•]*", text):
        found += _places_in(run.group(), run.start(), names)
    return _merge_refinements(found)


def _places_in(chunk: str, base: int, names: ChineseNames) -> list[ZhPlace]:
    tokens = _tokens(chunk)
    found: list[ZhPlace] = []
    country: Place | None = None  # a country or nation named just before: "英国 诺丁汉市"
    i = 0
    while i < len(tokens):
        start, _, word, _ = tokens[i]
        if not has_han(word):
            if word.strip():
                country = None
            i += 1
            continue
        hit = _longest(tokens, i, names, country)
        if hit is not None:
            j, place, suffix = hit
            end = tokens[j][1] + len(suffix)
            found.append(ZhPlace(base + start, base + end, chunk[start:end], _english(place), place.country, place))
            if place.kind in (PartyKind.COUNTRY, PartyKind.NATION):
                country = place
            elif not (country is not None and place.country == country.country and chunk[end - 1] in "县州省"):
                country = None  # "日本香川县绫南町": the town after its prefecture is still Japan's
            i = j + 1 + (1 if suffix else 0)
            continue
        if country is not None and country.country != "CN":
            named = _after_country(chunk, start, country.country, names)
            if named is not None:
                end, known, stem = named
                name = _english(known) if known else pinyin_name(stem)
                found.append(ZhPlace(base + start, base + end, chunk[start:end], name, country.country, known))
                country = None
                while i < len(tokens) and tokens[i][1] <= end:
                    i += 1
                continue
        country = None
        i += 1
    return found


_MAJOR_KINDS = frozenset(
    {
        PartyKind.PROVINCE,
        PartyKind.MUNICIPALITY,
        PartyKind.PREFECTURE_CITY,
        PartyKind.AUTONOMOUS_REGION,
        PartyKind.SPECIAL_ADMINISTRATIVE_REGION,
        PartyKind.COUNTRY,
        PartyKind.NATION,
    }
)


def _english(place: Place) -> str:
    """The name a fact gives a place: its gazetteer name, without a Japanese "-shi", and in plain
    Latin letters outside the UK and China ("Nam Định" → "Nam Dinh")."""
    name = place.name
    if place.country == "JP" and name.endswith(("-shi", "-ku", "-machi")):
        name = name.rsplit("-", 1)[0]
    if place.country not in ("GB", "CN"):
        name = plain_latin(name)
    return name


_LATIN_EXTRA = str.maketrans(
    {"Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "Ae", "æ": "ae"}
)


def plain_latin(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.translate(_LATIN_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _plausible(place: Place, word_count: int, flag: str, suffixed: bool, after_country: bool) -> bool:
    """Whether a match is a place rather than an ordinary word that some small place is named."""
    if suffixed or after_country:
        return True
    if word_count > 1:
        return place.country in ("GB", "CN") or place.population >= 100_000
    if place.country == "GB" and flag.startswith(("ns", "nr", "nz")):
        return True
    if not flag.startswith("ns"):
        return False
    if place.country == "GB":
        return True  # a UK place's Chinese name is a transliteration, never an ordinary word
    if place.country == "CN":
        return place.kind in _MAJOR_KINDS or place.population >= 500_000
    return place.population >= 300_000


def _longest(
    tokens: list[tuple[int, int, str, str]], i: int, names: ChineseNames, country: Place | None
) -> tuple[int, Place, str] | None:
    """The longest run of tokens from ``i`` that names a place: (last token, place, suffix token after it)."""
    within = country.country if country is not None and country.country != "CN" else None
    for j in range(min(len(tokens), i + _MAX_TOKENS) - 1, i - 1, -1):
        words = [t[2] for t in tokens[i : j + 1]]
        if not all(has_han(w) for w in words) or any(_breaks_name(t[2], t[3]) for t in tokens[i : j + 1]):
            continue
        name = "".join(words)
        following = tokens[j + 1][2] if j + 1 < len(tokens) else ""
        suffix = following if following in _SUFFIX_CHARS else ""
        place = names.best(name, within, suffix or name[-1:])
        if place is None:
            continue
        if place.kind in (PartyKind.COUNTRY, PartyKind.NATION):
            return (j, place, "") if len(name) >= 2 else None
        suffixed = name[-1] in _SUFFIX_CHARS or bool(suffix)
        rest_is_suffix = all(t[2] in _SUFFIX_CHARS for t in tokens[i + 1 : j + 1])
        if (
            country is None
            and tokens[i][3][:1] in _COMMON_TAGS
            and (j == i or rest_is_suffix)
            and len(tokens[i][2]) > 1
        ):
            continue  # "友好省郡": an adjective before a suffix-like word is no place
        if not _plausible(place, j - i + 1, tokens[i][3], suffixed, country is not None):
            continue
        return j, place, suffix
    return None


# single characters and tags that end a name: a transliterated name may hold any character
# ("考比", "波城"), but not a conjunction or a particle, nor a word of two or more that is a verb,
# an adverb, a numeral or a pronoun
_STOP_CHARS = frozenset("与和同及跟在的是为了也等所辖")
_STOP_TAGS = frozenset("vdmrcpu")
_COMMON_TAGS = frozenset("avdmrcpuq")


def _breaks_name(word: str, flag: str) -> bool:
    return word in _STOP_CHARS or (len(word) >= 2 and flag[:1] in _STOP_TAGS)


_NAME_ENDERS = (
    "结成",
    "结为",
    "缔结",
    "建立",
    "签署",
    "签订",
    "签定",
    "友好",
    "城市",
    "市长",
    "政府",
    "人民",
    "访问",
    "合作",
    "关系",
    "代表",
    "举行",
    "正式",
    "国际",
    "的",
    "与",
    "和",
    "同",
    "及",
    "在",
    "是",
    "等",
    "也",
    "分别",
)


_DIRECTION = re.compile(r"(?:东北|西北|东南|西南|东|西|南|北|中)部")


def _after_country(chunk: str, start: int, country: str, names: ChineseNames) -> tuple[int, Place | None, str] | None:
    """After a country: a place of that country the gazetteer knows by its Chinese name, else the
    name of one it does not know, up to an administrative suffix ("宾士镇市" → 宾士镇) or, with no
    suffix, a single word the segmenter takes for a name ("英国柏斯")."""
    run = _HAN_RUN.match(chunk, start)
    if run is None:
        return None
    text = run.group()[: _MAX_FOREIGN_CHARS + 2]
    direction = _DIRECTION.match(text)
    if direction is not None:  # "英格兰北部盖茨黑德市": the part of the country, then the place
        start += direction.end()
        text = text[direction.end() :]
    cut = len(text)
    for ender in _NAME_ENDERS:
        at = text.find(ender, 1)
        if at != -1:
            cut = min(cut, at)
    text = text[:cut]
    if any(run.group().startswith(ender) for ender in _NAME_ENDERS):
        return None  # "英国驻沪总领事馆": a country's office, not a place
    for length in range(len(text), 1, -1):
        stem = text[:length]
        place = names.best(stem, country)
        if place is not None:
            end = start + length + (1 if length < len(text) and text[length] in _SUFFIX_CHARS else 0)
            return end, place, stem
    for p in range(2, len(text)):
        if text[p] in _SUFFIX_CHARS:
            while p + 1 < len(text) and text[p + 1] in _SUFFIX_CHARS:
                p += 1
            stem = text[:p]
            return start + p + 1, names.by_sound(stem, country) or names.by_transliteration(stem, country), stem
    tokens = _tokens(text)
    if tokens and len(tokens[0][2]) >= 2 and tokens[0][3].startswith(("ns", "nr", "nz")):
        return start + tokens[0][1], names.by_transliteration(tokens[0][2], country), tokens[0][2]
    return None


def as_mentions(places: list[ZhPlace]) -> list[PlaceMention]:
    """The places as the rest of extraction reads mentions; a foreign place the gazetteer does not
    know stands as a city of its country under its pinyin name."""
    out: list[PlaceMention] = []
    for p in places:
        place = p.place or Place(id=f"zh:{p.country}:{p.text}", kind=PartyKind.CITY, name=p.name, country=p.country)
        if p.place is not None and p.name != place.name:
            place = Place(id=place.id, kind=place.kind, name=p.name, country=place.country, parent=place.parent)
        out.append(PlaceMention(p.start, p.end, p.text, place))
    return out


def _merge_refinements(found: list[ZhPlace]) -> list[ZhPlace]:
    """ "香川县绫南町": a place named right after the region it lies in stands for both."""
    out: list[ZhPlace] = []
    for p in found:
        prev = out[-1] if out else None
        if prev is not None and prev.end == p.start and not prev.is_country and prev.country == p.country != "CN":
            out[-1] = ZhPlace(prev.start, p.end, prev.text + p.text, p.name, p.country, p.place)
            continue
        out.append(p)
    return out


# ---- dates -------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ZH_DATE = re.compile(
    r"(?P<year>(?:19|20)\d\d|[一二][〇零○一二三四五六七八九]{3})\s*年"
    r"(?:\s*(?P<month>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号])?)?"
)
ZH_RELATIVE = re.compile(
    r"(?P<which>今年|去年|明年|前年)(?:\s*(?P<month>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号])?)?"
)
ZH_MONTH_DAY = re.compile(r"(?<![\d年])(?P<month>1[0-2]|0?[1-9])\s*月\s*(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号]")
ZH_TODAY = re.compile(r"今天|今日|今晚|今晨|近日")
_RELATIVE_YEARS = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}


def zh_year(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


@dataclass(frozen=True, slots=True)
class ZhDate:
    start: int
    end: int
    year: int
    month: int | None
    day: int | None
    relative: bool = False


def find_zh_dates(text: str, dateline: tuple[int, int | None, int | None] | None = None) -> list[ZhDate]:
    """Chinese dates in ``text``; relative ones ("今年4月", "6月3日") only when a dateline says which year."""
    found: list[ZhDate] = []
    taken: list[tuple[int, int]] = []
    for m in ZH_DATE.finditer(text):
        month = int(m.group("month")) if m.group("month") else None
        day = int(m.group("day")) if m.group("day") else None
        found.append(ZhDate(m.start(), m.end(), zh_year(m.group("year")), month, day))
        taken.append(m.span())
    if dateline is not None:
        year, dl_month, dl_day = dateline
        for m in ZH_RELATIVE.finditer(text):
            month = int(m.group("month")) if m.group("month") else None
            day = int(m.group("day")) if m.group("day") else None
            found.append(ZhDate(m.start(), m.end(), year + _RELATIVE_YEARS[m.group("which")], month, day, True))
            taken.append(m.span())
        for m in ZH_TODAY.finditer(text):
            exact = m.group() != "近日"
            found.append(ZhDate(m.start(), m.end(), year, dl_month if exact else None, dl_day if exact else None, True))
            taken.append(m.span())
        for m in ZH_MONTH_DAY.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            month = int(m.group("month"))
            if dl_month is not None and month > dl_month + 1:
                continue  # a day later in the year than the report: not this year's
            found.append(ZhDate(m.start(), m.end(), year, month, int(m.group("day")), True))
    found.sort(key=lambda d: d.start)
    return found
