"""Pairing many registrations at once (a group of schools, a county's towns) with candidates that
each take at most a few partners: a stable assignment (hospitals and residents, the applicants
proposing), so that no applicant and candidate would both rather have each other than whom they
got. Both sides prefer by the ranking's score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matching.games import HospitalResident

from twinlink.register.matching import Ranking

CHOICES = 10  # how far down its ranking each applicant's preferences go


@dataclass(frozen=True)
class Assignment:
    pairs: dict[str, str]  # registration reference → candidate id
    unassigned: list[str]  # references that found no place
    capacity: int


def assign(rankings: Sequence[Ranking], capacity: int) -> Assignment:
    if capacity < 1:
        raise ValueError("capacity: each candidate takes at least one partner")
    preferences: dict[str, list[str]] = {}
    scores: dict[tuple[str, str], float] = {}
    for ranking in rankings:
        chosen = [s for s in ranking.suggestions if s.score > 0][:CHOICES]
        preferences[ranking.reference] = [s.party_id for s in chosen]
        scores.update({(ranking.reference, s.party_id): s.score for s in chosen})
    candidates = sorted({c for prefs in preferences.values() for c in prefs})
    applicants = [r for r, prefs in preferences.items() if prefs]
    if not candidates or not applicants:
        return Assignment({}, sorted(preferences), capacity)
    wanted_by = {
        c: sorted((r for r in applicants if (r, c) in scores), key=lambda r: (-scores[r, c], r)) for c in candidates
    }
    game = HospitalResident.create_from_dictionaries(
        {r: preferences[r] for r in applicants}, wanted_by, {c: capacity for c in candidates}
    )
    solved = game.solve(optimal="resident")
    pairs = {str(r): str(c) for c, residents in solved.items() for r in residents}
    return Assignment(pairs, sorted(set(preferences) - set(pairs)), capacity)
