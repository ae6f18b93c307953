"""Chinese-name helpers: suffixes, ethnic qualifiers and pinyin spelling."""

from __future__ import annotations

import re
from functools import lru_cache

# Longest first, so 自治州 is stripped before 州.
ZH_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "林区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
_VOWEL_START = re.compile(r"^[aoeāáǎàōóǒòēéěè]")


def strip_zh_suffix(name: str, ethnic_names: tuple[str, ...] = ()) -> str:
    """宁波市 → 宁波; 甘孜藏族自治州 → 甘孜 (given the ethnic names); a bare suffix is kept."""
    base = name
    for suffix in ZH_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix) + 1:
            base = base[: -len(suffix)]
            break
    ordered = sorted(ethnic_names, key=lambda e: (-len(e), e))
    stripped = True
    while stripped:  # 寻甸回族彝族 → 寻甸回族 → 寻甸, whichever name ends it
        stripped = False
        for ethnic in ordered:
            if base.endswith(ethnic) and len(base) > len(ethnic) + 1:
                base, stripped = base[: -len(ethnic)], True
    return base


@lru_cache(maxsize=8192)
def pinyin(zh: str, tones: bool = True) -> str:
    """Hanyu pinyin as a place name is written: 宁波 → Níngbō, 西安 → Xī'ān."""
    from pypinyin import Style, lazy_pinyin  # its tables take a fifth of a second to load: only for Chinese

    syllables = lazy_pinyin(zh, style=Style.TONE if tones else Style.NORMAL)
    out = ""
    for i, syllable in enumerate(syllables):
        if i and _VOWEL_START.match(syllable):
            out += "'"
        out += syllable
    return out[:1].upper() + out[1:]
