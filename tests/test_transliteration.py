"""A Chinese transliteration of a foreign town matched to the town's Latin name by the sound of
its consonants, when the text names the country."""

from __future__ import annotations

import pytest
from pypinyin import lazy_pinyin

from twinlink.extract.pipeline import Extractor
from twinlink.extract.transliteration import latin_skeleton, pinyin_skeleton


@pytest.mark.parametrize(
    ("chinese", "latin"),
    [("吉萨", "Giza"), ("索拉普尔", "Solapur"), ("克雷塔罗", "Querétaro"), ("根特", "Ghent"), ("卡拉马塔", "Kalamata")],
)
def test_a_transliteration_and_its_latin_name_share_their_consonants(chinese: str, latin: str) -> None:
    assert pinyin_skeleton(lazy_pinyin(chinese)) == latin_skeleton(latin)


def test_different_names_do_not(extractor: Extractor) -> None:
    assert pinyin_skeleton(lazy_pinyin("吉萨")) != latin_skeleton("Cairo")
    assert latin_skeleton("Aix-en-Provence") != latin_skeleton("Aix")


def test_a_list_of_foreign_towns_by_their_chinese_names(extractor: Extractor) -> None:
    text = "洛阳市的国际友好城市\n\n埃及 吉萨市（1999年缔结）\n墨西哥 克雷塔罗市（2001年缔结）\n日本 冈山市（1981年缔结）\n"
    facts = extractor.extract_text(text, "friends.txt")
    found = {(p.parties[1], p.established) for p in facts.partnerships if p.parties[0] == "Luoyang"}
    assert ("Giza", 1999) in found and ("Okayama", 1981) in found  # Okayama by its own characters
    assert any(name.endswith("Queretaro") and year == 2001 for name, year in found)
