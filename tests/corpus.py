"""A small corpus written for the tests: overlapping parties, ties told twice, a conflict of years,
dated events (one told three times, once with the year alone, which another visit that year
makes ambiguous), schools placed in their towns, an ending, a visit told before the tie, and a
Chinese page."""

from __future__ import annotations

from pathlib import Path

TEXTS = {
    "derby.txt": "Derby news\n\nDerby is twinned with Hefei. In May 2003 a delegation from Hefei visited Derby.\n",
    "derby-again.txt": "Council notes\n\nDerby and Hefei signed a twinning agreement in 1996.\n",
    "derby-visit.txt": "Visits\n\nIn May 2003 a delegation from Hefei visited Derby, officials recalled.\n",
    "derby-year.txt": "Archive\n\nIn 2003 a delegation from Hefei visited Derby.\n",
    "derby-october.txt": "Visits\n\nIn October 2003 a delegation from Hefei visited Derby again.\n",
    "derby-other.txt": "History\n\nDerby and Hefei signed a twinning agreement in 1997. Derby is also twinned with Osnabrück.\n",
    "leeds.txt": "Leeds links\n\nLeeds is twinned with Hangzhou since 1988. In 2012 a trade mission from Leeds visited Hangzhou.\n",
    "schools.txt": (
        "School links\n\nCastle Grammar School in Portsmouth has a sister school, Ningbo No. 2 Middle School, in Ningbo.\n"
    ),
    "schools-stoke.txt": (
        "Stoke schools\n\nCastle Grammar School in Stoke-on-Trent has a sister school, Hefei No. 8 Middle School, in Hefei.\n"
    ),
    "ended.txt": "Council decision\n\nThe twinning link between Newcastle and Taiyuan was suspended in 2021.\n",
    "york.txt": "York\n\nYork is twinned with Nanjing. In June 2015 the Lord Mayor of York visited Nanjing.\n",
    "chinese.txt": "外事动态\n\n宁波市与英国诺丁汉市于2005年缔结友好城市关系。\n",
    "hull-visit.txt": "Hull news\n\nIn October 2010 a delegation from Jinan visited Hull.\n",
    "hull.txt": "Hull\n\nHull is twinned with Jinan.\n",
    "bristol.txt": "Bristol\n\nBristol and Guangzhou signed a friendship agreement in 2001. In March 2005 a delegation from Guangzhou visited Bristol.\n",
}


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, body in TEXTS.items():
        path = folder / name
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths
