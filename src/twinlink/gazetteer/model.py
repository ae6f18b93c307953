"""The gazetteer's place record and name normalisation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from twinlink.vocab import PartyKind

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s'’-]|_")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def lower_same_length(text: str) -> str:
    """Lower case with every offset kept: a character that lowers to two ("İ" to "i̇") gives the
    first, as the regular-expression engine's case-insensitive matching reads it."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower()[0] for c in text)


def fold(text: str) -> str:
    """Lower case, no diacritics, apostrophes and hyphens kept as written, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("’", "'").replace("&", " and ")
    stripped = _PUNCT.sub(" ", stripped.lower())
    return _SPACE.sub(" ", stripped).strip()


def name_key(text: str) -> str:
    """The key a name is looked up by: folded, with hyphens and apostrophes as spaces/nothing."""
    key = fold(text).replace("'", "").replace("-", " ")
    return _SPACE.sub(" ", key).strip()


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    kind: PartyKind
    name: str
    country: str
    parent: str | None = None
    name_zh: str | None = None
    name_pinyin: str | None = None
    aliases: tuple[str, ...] = ()
    alternates: tuple[str, ...] = ()
    codes: dict[str, str] = field(default_factory=dict)
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    since: str | None = None  # a council's first day (ISO date), when the record gives it
    until: str | None = None  # an abolished council's last day
    replaced_by: tuple[str, ...] = ()  # the places an abolished council's area went to
    former_codes: tuple[str, ...] = ()  # codes the place was known by before (a GSS code of a council it replaced)

    def to_row(self) -> dict[str, object]:
        row: dict[str, object] = {"id": self.id, "k": self.kind.value, "n": self.name, "c": self.country}
        optional: dict[str, object] = {
            "p": self.parent,
            "zh": self.name_zh,
            "py": self.name_pinyin,
            "a": list(self.aliases) or None,
            "x": list(self.alternates) or None,
            "codes": self.codes or None,
            "lat": self.lat,
            "lon": self.lon,
            "pop": self.population or None,
            "since": self.since,
            "until": self.until,
            "rb": list(self.replaced_by) or None,
            "fc": list(self.former_codes) or None,
        }
        row.update({k: v for k, v in optional.items() if v is not None})
        return row

    @classmethod
    def from_row(cls, row: dict[str, object]) -> Place:
        aliases = row.get("a") or []
        alternates = row.get("x") or []
        codes = row.get("codes") or {}
        assert isinstance(aliases, list) and isinstance(alternates, list) and isinstance(codes, dict)
        lat, lon, pop = row.get("lat"), row.get("lon"), row.get("pop")
        replaced_by, former_codes = row.get("rb") or [], row.get("fc") or []
        assert isinstance(replaced_by, list) and isinstance(former_codes, list)
        return cls(
            id=str(row["id"]),
            kind=PartyKind(str(row["k"])),
            name=str(row["n"]),
            country=str(row["c"]),
            parent=str(row["p"]) if row.get("p") else None,
            name_zh=str(row["zh"]) if row.get("zh") else None,
            name_pinyin=str(row["py"]) if row.get("py") else None,
            aliases=tuple(str(a) for a in aliases),
            alternates=tuple(str(a) for a in alternates),
            codes={str(k): str(v) for k, v in codes.items()},
            lat=float(lat) if isinstance(lat, int | float) else None,
            lon=float(lon) if isinstance(lon, int | float) else None,
            population=int(pop) if isinstance(pop, int) else 0,
            since=str(row["since"]) if row.get("since") else None,
            until=str(row["until"]) if row.get("until") else None,
            replaced_by=tuple(str(r) for r in replaced_by),
            former_codes=tuple(str(c) for c in former_codes),
        )

    def strong_names(self) -> list[str]:
        """Names worth finding in running text: the name, curated aliases, Chinese and pinyin forms."""
        names = [self.name, *self.aliases]
        if self.name_zh:
            names.append(self.name_zh)
        if self.name_pinyin:
            names.append(self.name_pinyin)
        return names

    def all_names(self) -> list[str]:
        """Every form a lookup accepts, including GeoNames' alternate spellings."""
        return [*self.strong_names(), *self.alternates]
