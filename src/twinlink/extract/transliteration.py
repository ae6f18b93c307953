"""How a foreign name sounds, reduced to its consonants, so that a Chinese transliteration
(吉萨 jí sà, 索拉普尔 suǒ lā pǔ ěr) can be matched to the Latin name of a place of the country
the text names (Giza, Solapur). Both sides map to the same classes of consonant: the sounds
Chinese transliteration uses for each Latin letter share a class (k, g, c, q, ch, j: K; t, d,
th: D; l, r: L; m, n and the nasal finals: N…); vowels, h and y are left out."""

from __future__ import annotations

import re

# Latin spellings, longest first: each to its class ("" for a sound left out)
_LATIN = [
    ("sch", "S"),
    ("ch", "K"),
    ("ck", "K"),
    ("kh", "K"),
    ("gh", "K"),
    ("ph", "F"),
    ("th", "D"),
    ("sh", "S"),
    ("ts", "S"),
    ("tz", "S"),
    ("qu", "K"),
    ("x", "KS"),
]
_LATIN_LETTERS = {
    "b": "B", "p": "B", "m": "N", "n": "N", "f": "F", "v": "F", "w": "F", "t": "D", "d": "D",
    "l": "L", "r": "L", "k": "K", "g": "K", "q": "K", "j": "K", "s": "S", "z": "S",
}  # fmt: skip
_PINYIN_INITIALS = [
    ("zh", "K"), ("ch", "K"), ("sh", "S"), ("b", "B"), ("p", "B"), ("m", "N"), ("f", "F"), ("d", "D"),
    ("t", "D"), ("n", "N"), ("l", "L"), ("g", "K"), ("k", "K"), ("h", ""), ("j", "K"), ("q", "K"),
    ("x", "S"), ("r", "L"), ("z", "S"), ("c", "S"), ("s", "S"), ("y", ""), ("w", "F"),
]  # fmt: skip
_VOWELS = set("aeiouy")


def latin_skeleton(name: str) -> str:
    """The consonant classes of a Latin-script name ("Queretaro" → KLDL, "Solapur" → SLBL)."""
    from unicodedata import combining, normalize

    text = "".join(c for c in normalize("NFKD", name.lower()) if not combining(c))
    text = re.sub(r"[^a-z]", "", text)
    out = []
    i = 0
    while i < len(text):
        for spelling, sound in _LATIN:
            if text.startswith(spelling, i):
                out.append(sound)
                i += len(spelling)
                break
        else:
            letter = text[i]
            if letter == "c":  # soft before e, i, y
                out.append("S" if i + 1 < len(text) and text[i + 1] in "eiy" else "K")
            elif letter not in _VOWELS and letter != "h":
                out.append(_LATIN_LETTERS.get(letter, ""))
            i += 1
    return _collapsed("".join(out))


def pinyin_skeleton(syllables: list[str]) -> str:
    """The consonant classes of a transliteration's pinyin syllables (["suo", "la", "pu", "er"] →
    SLBL): each initial, a nasal final as N, and 尔 (er) as the L it stands for."""
    out = []
    for syllable in syllables:
        if syllable == "er":
            out.append("L")
            continue
        for spelling, sound in _PINYIN_INITIALS:
            if syllable.startswith(spelling):
                out.append(sound)
                syllable = syllable[len(spelling) :]
                break
        if syllable.endswith(("n", "ng")):
            out.append("N")
    return _collapsed("".join(out))


def _collapsed(skeleton: str) -> str:
    return re.sub(r"(.)\1+", r"\1", skeleton)
