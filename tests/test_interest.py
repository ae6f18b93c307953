"""Registrations of interest, their stages and contact log, and matching with its reasons, on a
small register built here."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from twinlink.facts import DocumentFacts, EventFact, PartnershipFact
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.accounts import account_of, create_user
from twinlink.register.assignment import assign
from twinlink.register.candidates import decide_candidate
from twinlink.register.ingest import register_facts
from twinlink.register.interest import (
    AlreadyRegistered,
    BadMove,
    LogEntryIn,
    actions_due,
    add_log_entry,
    get_registration,
    move_stage,
    stage_moves,
    submit_registration,
)
from twinlink.register.interest_form import FormErrors, read_form
from twinlink.register.matching import Factor, Ranking, Suggestion, Weights, rank
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Partnership, Registration
from twinlink.store.users import list_audit
from twinlink.vocab import EventKind, PartnershipKind

TODAY = date(2026, 12, 1)
COUNCIL: dict[str, Any] = {
    "organisation_type": "council",
    "organisation_name": "Canterbury City Council",
    "contact_name": "Jo Clerk",
    "contact_email": "jo@canterbury.example",
    "partner_country": "CN",
    "open_to_any": True,
    "exchange_kinds": ["trade", "culture"],
    "formality": "friendship",
    "population": 55000,
    "consent": True,
}
SCHOOL: dict[str, Any] = {
    "organisation_type": "school",
    "organisation_name": "Elm Tree Primary School",
    "place": "Bury",
    "urn": "105312",
    "contact_name": "Sam Head",
    "contact_email": "head@elmtree.example",
    "phase": "primary",
    "age_from": 7,
    "age_to": 11,
    "partner_country": "CN",
    "open_to_any": True,
    "formality": "school link",
    "consent": True,
}


def _errors(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(FormErrors) as caught:
        read_form(data)
    return caught.value.errors


def test_each_field_is_checked_and_named() -> None:
    errors = _errors(
        {**COUNCIL, "contact_email": "jo at canterbury", "population": "many", "urn": "12", "sectors": ["mining"]}
    )
    assert errors["contact_email"].startswith("give an e-mail address")
    assert errors["population"] == "give a whole number"
    assert errors["urn"] == "a URN is six digits"
    assert "unknown sector 'mining'" in errors["sectors"]
    missing = _errors({k: v for k, v in COUNCIL.items() if k != "contact_name"})
    assert missing == {"contact_name": "this is needed"}
    assert _errors({**COUNCIL, "spam": "x"}) == {"spam": "not a field of this form"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organisation_type", "club", "input should be 'council'"),
        ("organisation_name", "X", "at least 2 characters"),
        ("place", "x" * 201, "at most 200 characters"),
        ("urn", "0123456", "a URN is six digits"),
        ("ukprn", "20001234", "a UKPRN is eight digits starting with 1"),
        ("contact_name", "", "at least 2 characters"),
        ("contact_role", "x" * 201, "at most 200 characters"),
        ("contact_email", "jo@", "give an e-mail address"),
        ("contact_phone", "call me", "give a telephone number"),
        ("contact_languages", "x" * 201, "at most 200 characters"),
        ("population", -5, "greater than or equal to 0"),
        ("sectors", ["mining"], "unknown sector"),
        ("assets", "x" * 2001, "at most 2000 characters"),
        ("phase", "nursery", "unknown phase"),
        ("age_from", 1, "greater than or equal to 2"),
        ("age_to", 30, "less than or equal to 25"),
        ("pupils_involved", 0, "greater than or equal to 1"),
        ("languages_taught", "x" * 201, "at most 200 characters"),
        ("partner_country", "C1", "two-letter country code"),
        ("partner_region", "x" * 201, "at most 200 characters"),
        ("exchange_kinds", ["gardening"], "unknown kind of exchange"),
        ("themes", "x" * 1001, "at most 1000 characters"),
        ("formality", "marriage", "unknown formality"),
        ("exclusions", "x" * 1001, "at most 1000 characters"),
        ("existing_links", "x" * 2001, "at most 2000 characters"),
        ("support", "x" * 2001, "at most 2000 characters"),
        ("first_year_plan", "x" * 4001, "at most 4000 characters"),
        ("budget", 20_000_000, "less than or equal to 10000000"),
        ("resolution", "maybe", "unknown resolution"),
        ("open_to_any", "perhaps", "valid boolean"),
    ],
)
def test_every_field_names_its_fault(field: str, value: Any, message: str) -> None:
    assert message in _errors({**COUNCIL, field: value})[field]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"consent": False}, "consent", "tick the box"),
        ({"open_to_any": False}, "partner_region", "name a province or city"),
        ({"organisation_type": "school", "formality": "school link", "place": "Bury"}, "phase", "gives its phase"),
        ({"organisation_type": "business body", "formality": "project"}, "place", "say where"),
        ({"organisation_type": "business body", "place": "Kent"}, "formality", "between local governments"),
        ({"formality": "school link"}, "formality", "for a school"),
    ],
)
def test_rules_across_fields(change: dict[str, Any], field: str, message: str) -> None:
    assert message in _errors({**COUNCIL, **change})[field]


def test_a_schools_ages_must_run_upwards() -> None:
    assert _errors({**SCHOOL, "age_from": 12, "age_to": 8})["age_to"] == "the oldest age is below the youngest"
    assert read_form(SCHOOL).urn == "105312"


def _place_link(session: Any, gazetteer: Gazetteer, a: str, b: str, year: int, events: list[tuple[int, str]]) -> None:
    facts = DocumentFacts(
        doc=f"{a}-{b}.txt",
        source=f"https://{a.lower()}.example/{b.lower()}",
        partnerships=[
            PartnershipFact(
                parties=[a, b],
                kind=PartnershipKind.PLACE,
                established=year,
                evidence=f"{a} and {b} signed a friendship agreement in {year}.",
            )
        ],
        events=[
            EventFact(
                year=y,
                kind=EventKind(kind),
                parties=[a, b],
                what=f"{kind} between {a} and {b}",
                evidence=f"In {y} a {kind} took place.",
            )
            for y, kind in events
        ],
    )
    register_facts(session, gazetteer, facts)


@pytest.fixture
def linked(engine: Engine, gazetteer: Gazetteer) -> Engine:
    """Kent with a busy link to Sichuan and a quiet one to Hubei."""
    this_year = date.today().year
    with transaction(engine) as session:
        _place_link(session, gazetteer, "Kent", "Sichuan", 1990, [(this_year - 2, "visit"), (this_year - 1, "trade")])
        _place_link(session, gazetteer, "Kent", "Hubei", 2005, [(2010, "visit")])
    return engine


def _register(engine: Engine, gazetteer: Gazetteer, data: dict[str, Any]) -> str:
    with transaction(engine) as session:
        return submit_registration(session, gazetteer, read_form(data)).reference


def _rank(engine: Engine, gazetteer: Gazetteer, reference: str, weights: Weights | None = None) -> Ranking:
    with reading(engine) as session:
        registration = get_registration(session, reference)
        return rank(session, gazetteer, registration, weights or Weights(), date.today(), 5)


def test_a_registration_gets_a_reference_and_a_second_one_is_refused(engine: Engine, gazetteer: Gazetteer) -> None:
    reference = _register(engine, gazetteer, SCHOOL)
    assert reference.startswith(f"TL-{date.today().year}-")
    with transaction(engine) as session, pytest.raises(AlreadyRegistered, match=reference):
        submit_registration(session, gazetteer, read_form({**SCHOOL, "organisation_name": "Elm Tree Primary"}))
    with transaction(engine) as session, pytest.raises(AlreadyRegistered):
        submit_registration(session, gazetteer, read_form({**SCHOOL, "urn": ""}))
    with reading(engine) as session:
        registration = get_registration(session, reference)
        assert registration.party_id is None  # a form from the public makes no party by itself
        assert session.scalars(select(Partnership)).first() is None
        (line,) = list_audit(session, action="interest.register")
    assert line.actor == "public" and line.subject == reference


def test_stage_moves_are_kept_with_who_and_why(engine: Engine, gazetteer: Gazetteer) -> None:
    reference = _register(engine, gazetteer, SCHOOL)
    with transaction(engine) as session:
        move_stage(session, gazetteer, reference, "contacted", "", "cora")
        registration = get_registration(session, reference)
        assert registration.party_id is not None  # taken up: the school is now a party, with its URN
    with transaction(engine) as session, pytest.raises(BadMove, match="say why"):
        move_stage(session, gazetteer, reference, "new", "", "cora")
    with transaction(engine) as session, pytest.raises(BadMove, match="stage 'lost'"):
        move_stage(session, gazetteer, reference, "lost", "", "cora")
    with transaction(engine) as session:
        move_stage(session, gazetteer, reference, "withdrawn", "the head left", "cora")
        moves = [
            (m.from_stage, m.to_stage, m.moved_by, m.reason)
            for m in stage_moves(session, get_registration(session, reference))
        ]
    assert moves == [("new", "contacted", "cora", ""), ("contacted", "withdrawn", "cora", "the head left")]
    with reading(engine) as session:
        assert [a.action for a in reversed(list_audit(session, action="interest.move"))] == ["interest.move"] * 2
    assert _register(engine, gazetteer, SCHOOL) != reference  # withdrawn: it may register again


def test_the_contact_log_keeps_next_actions_and_lists_those_due(engine: Engine, gazetteer: Gazetteer) -> None:
    reference = _register(engine, gazetteer, SCHOOL)
    today = date.today()
    with transaction(engine) as session:
        registration = get_registration(session, reference)
        entry = LogEntryIn(
            today, "call", "Spoke to the head", next_action="Send the letter", next_due=today + timedelta(days=3)
        )
        add_log_entry(session, entry, "cora", registration=registration)
        with pytest.raises(BadMove, match="planned as the next action"):
            add_log_entry(
                session, LogEntryIn(today + timedelta(days=1), "call", "x"), "cora", registration=registration
            )
        with pytest.raises(BadMove, match="say what is due"):
            add_log_entry(session, LogEntryIn(today, "call", "x", next_due=today), "cora", registration=registration)
    with reading(engine) as session:
        assert [e.next_action for e, _ in actions_due(session, today + timedelta(days=7))] == ["Send the letter"]
        assert actions_due(session, today) == []


def test_an_existing_regional_link_lifts_a_candidate_and_a_dormant_one_less(
    linked: Engine, gazetteer: Gazetteer
) -> None:
    ranking = _rank(linked, gazetteer, _register(linked, gazetteer, COUNCIL))
    by_id = {s.party_id: s for s in ranking.suggestions}
    chengdu, wuhan = by_id["cn:510100"], by_id["cn:420100"]
    link = {f.name: f for f in chengdu.factors}["regional_link"]
    assert link.value == 1.0 and "Kent – Sichuan" in link.reason and "active" in link.reason
    assert link.evidence[0].quote == "Kent and Sichuan signed a friendship agreement in 1990."
    assert link.evidence[0].link is not None and link.evidence[0].link.startswith("/partnerships/")
    quiet = {f.name: f for f in wuhan.factors}["regional_link"]
    assert 0 < quiet.value < link.value and "dormant" in quiet.reason
    assert chengdu.score > wuhan.score
    assert ranking.suggestions.index(chengdu) < ranking.suggestions.index(wuhan)
    themes = {f.name: f for f in chengdu.factors}["themes"]
    assert themes.value == 1.0 and "trade" in themes.reason  # trade and a visit on Sichuan's links
    assert ranking.filtered_by[:1] == ["in CN"]


def test_hard_rules_exclude_with_the_rule_named(linked: Engine, gazetteer: Gazetteer) -> None:
    kent = {
        **COUNCIL,
        "organisation_type": "county council",
        "organisation_name": "Kent County Council",
        "exclusions": "Hubei",
        "formality": "friendship",
    }
    ranking = _rank(linked, gazetteer, _register(linked, gazetteer, kent))
    rules = {e.party_id: e.rule for e in ranking.excluded}
    assert rules["iso:CN-SC"].startswith("already partnered: a place link since 1990, active")
    assert rules["cn:420100"] == "excluded by the registration: Hubei"
    assert rules["cn:510104"].startswith("admin level: a district")  # one of Chengdu's districts
    assert not {"iso:CN-SC", "cn:420100", "cn:510104"} & {s.party_id for s in ranking.suggestions}


def test_weights_change_the_order(linked: Engine, gazetteer: Gazetteer) -> None:
    reference = _register(linked, gazetteer, COUNCIL)
    first = _rank(linked, gazetteer, reference).suggestions[0]
    by_size = _rank(linked, gazetteer, reference, Weights(regional_link=0, activity=0, themes=0, size_role=100))
    assert by_size.suggestions[0].party_id != first.party_id
    assert {f.name: f.weight for f in by_size.suggestions[0].factors}["size_role"] == 100
    with pytest.raises(ValueError, match="no factor 'luck'"):
        Weights.of({"luck": 5})


def test_an_accepted_suggestion_becomes_a_first_contact_and_a_dismissed_one_is_excluded(
    linked: Engine, gazetteer: Gazetteer
) -> None:
    reference = _register(linked, gazetteer, COUNCIL)
    with transaction(linked) as session:
        decide_candidate(session, gazetteer, reference, "cn:510100", "accepted", "", "cora")
        decide_candidate(session, gazetteer, reference, "cn:420100", "dismissed", "too far from the airport", "cora")
        with pytest.raises(BadMove, match="say why"):
            decide_candidate(session, gazetteer, reference, "cn:330200", "dismissed", " ", "cora")
    ranking = _rank(linked, gazetteer, reference)
    assert ranking.accepted == ["cn:510100"]
    assert {e.party_id: e.rule for e in ranking.excluded}["cn:420100"] == "dismissed by cora: too far from the airport"
    with reading(linked) as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.stage == "matched"
        due = actions_due(session, date.today() + timedelta(days=30))
    assert [e.next_action for e, _ in due] == ["First contact with Chengdu"]


def _ranking(reference: str, scores: dict[str, float]) -> Ranking:
    factor = Factor("regional_link", 1, 1, "")
    suggestions = [Suggestion(c, c, None, "school", None, s, (factor,)) for c, s in scores.items()]
    return Ranking(reference, [], Weights(), sorted(suggestions, key=lambda s: -s.score), [])


def test_a_stable_assignment_respects_each_candidates_capacity() -> None:
    rankings = [
        _ranking("A", {"x": 90, "y": 50}),
        _ranking("B", {"x": 80, "y": 70}),
        _ranking("C", {"x": 70}),
    ]
    one = assign(rankings, capacity=1)
    assert one.pairs == {"A": "x", "B": "y"} and one.unassigned == ["C"]
    two = assign(rankings, capacity=2)
    assert two.pairs == {"A": "x", "B": "x", "C": "x"} or sorted(two.pairs.values()).count("x") == 2
    assert all(list(two.pairs.values()).count(c) <= 2 for c in ("x", "y"))


def test_registrations_and_matching_from_the_command_line(
    sqlite_engine: Engine, gazetteer: Gazetteer, tmp_path: Any
) -> None:
    import json

    from tests.test_cli import run

    db = str(tmp_path / "register.db")
    with transaction(sqlite_engine) as session:
        _place_link(session, gazetteer, "Kent", "Sichuan", 1990, [(date.today().year - 1, "trade")])
    reference = _register(sqlite_engine, gazetteer, {**COUNCIL, "open_to_any": False, "partner_region": "Sichuan"})
    listed = json.loads(run("interest", "list", "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert [(r["reference"], r["stage"]) for r in listed] == [(reference, "new")]
    moved = run("interest", "move", reference, "contacted", "--as", "cora", "--db", db, cwd=tmp_path)
    assert moved.returncode == 0 and "new → contacted" in moved.stdout
    back = run("interest", "move", reference, "new", "--db", db, cwd=tmp_path)
    assert back.returncode != 0 and "say why" in back.stderr
    shown = json.loads(run("interest", "show", reference, "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert shown["moves"][0]["by"] == "cora" and "jo@canterbury.example" not in json.dumps(shown)
    matched = json.loads(run("match", reference, "--limit", "3", "--format", "json", "--db", db, cwd=tmp_path).stdout)
    assert matched["filtered_by"] == ["in CN", "within Sichuan", "places of the gazetteer"]
    top = matched["suggestions"][0]
    assert {f["factor"] for f in top["factors"]} >= {"regional_link", "activity", "themes", "size_role"}
    assert "Kent – Sichuan" in next(f for f in top["factors"] if f["factor"] == "regional_link")["reason"]
    wrong = run("match", reference, "--weight", "luck=3", "--db", db, cwd=tmp_path)
    assert wrong.returncode != 0 and "no factor 'luck'" in wrong.stderr
    table = run("match", reference, "--limit", "2", "--db", db, cwd=tmp_path).stdout
    assert "1. " in table and "Existing link between the regions" in table
    with transaction(sqlite_engine) as session:
        create_user(session, "jo", "a long pass phrase", "viewer", "test")
    joined = run("users", "organisation", "jo", "gss:E07000106", "--db", db, cwd=tmp_path)
    assert joined.returncode == 0 and "jo works for gss:E07000106" in joined.stdout
    with reading(sqlite_engine) as session:
        account = account_of(session, "jo")
    assert account is not None and account.sees_contacts_of("gss:E07000106")
