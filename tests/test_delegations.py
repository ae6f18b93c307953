"""Delegation visits on both stores: plan, members, itinerary, entry rules, approvals withdrawn on
edit, the calendar, risks, costs and the report that becomes the link's timeline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import Engine, select

from tests.test_interest import _place_link
from twinlink.gazetteer.lookup import Gazetteer
from twinlink.register.delegations import (
    BadDelegation,
    DelegationIn,
    ItemIn,
    LegIn,
    MemberIn,
    RiskIn,
    add_cost,
    add_item,
    add_leg,
    add_member,
    add_risk,
    chain_status,
    cost_totals,
    costs_of,
    create_delegation,
    decide_step,
    get_delegation,
    itinerary_of,
    members_of,
    missing_travel,
    move_delegation,
    purge_personal_data,
    risk_band,
    seed_risks,
)
from twinlink.register.entry import RuleIn, add_rule, check_member, end_rule, list_rules
from twinlink.register.visit_calendar import itinerary_calendar
from twinlink.register.visit_report import FollowUp, ReportIn, report_visit
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import Claim, ContactLogEntry, Document, Partnership
from twinlink.store.users import list_audit

CHAIN = ("coordinator", "head of service")


def _visit(starts: date, days: int = 3, **extra: object) -> DelegationIn:
    return DelegationIn(
        "Kent delegation to Sichuan",
        "GB",
        "CN",
        starts,
        starts + timedelta(days=days - 1),
        purpose="renew the friendship",
        approval_chain=CHAIN,
        **extra,  # type: ignore[arg-type]
    )


def _member(name: str = "ALEX SMITH", expiry: date | None = date(2031, 1, 1), nationality: str = "GB") -> MemberIn:
    return MemberIn(
        "leader",
        name,
        nationality,
        passport_number="123456789",
        passport_expiry=expiry,
        title_en="Leader of the Council",
        title_zh="议会领袖",
    )


def _item(day: date, block: str = "morning", title: str = "Meeting at the Foreign Affairs Office") -> ItemIn:
    starts, ends = {"morning": ("09:30", "11:30"), "afternoon": ("14:00", "16:00")}.get(block, ("19:00", "21:00"))
    return ItemIn(day, block, starts, ends, "Asia/Shanghai", title, venue="Chengdu FAO", host="Sichuan FAO")


def test_a_visit_and_its_parts_are_checked(engine: Engine) -> None:
    start = date(2026, 5, 11)
    with transaction(engine) as session:
        with pytest.raises(BadDelegation, match="ends before it starts"):
            create_delegation(session, DelegationIn("A visit", "GB", "CN", start, start - timedelta(days=1)), "cora")
        with pytest.raises(BadDelegation, match="another country"):
            create_delegation(session, DelegationIn("A visit", "GB", "gb", start, start), "cora")
        with pytest.raises(BadDelegation, match="more than 60 days"):
            create_delegation(session, _visit(start, days=61), "cora")
        visit = create_delegation(session, _visit(start), "cora")
        assert visit.reference == "DL-2026-0001" and visit.state == "draft"
        with pytest.raises(BadDelegation, match="outside the visit"):
            add_item(session, visit.reference, _item(start - timedelta(days=1)), "cora")
        with pytest.raises(BadDelegation, match="time zone 'Mars/Base'"):
            add_item(session, visit.reference, ItemIn(start, "morning", "09:00", "10:00", "Mars/Base", "x"), "cora")
        with pytest.raises(BadDelegation, match="later end"):
            add_item(session, visit.reference, ItemIn(start, "morning", "10:00", "09:00", "Asia/Shanghai", "x"), "cora")
        with pytest.raises(BadDelegation, match="role 'tourist'"):
            add_member(session, visit.reference, MemberIn("tourist", "A B", "GB"), "cora")
        member = add_member(session, visit.reference, _member(), "cora")
        with pytest.raises(BadDelegation, match="arrives before it leaves"):
            add_leg(
                session,
                visit.reference,
                LegIn(
                    "out",
                    "BA",
                    "London",
                    "Chengdu",
                    datetime(2026, 5, 10, 20),
                    "Europe/London",
                    datetime(2026, 5, 10, 21),
                    "Asia/Shanghai",
                ),
                "cora",
            )
        assert missing_travel(session, get_delegation(session, visit.reference)) == [
            "ALEX SMITH: no arrival travel",
            "ALEX SMITH: no departure travel",
        ]
        add_leg(
            session,
            visit.reference,
            LegIn(
                "out",
                "BA",
                "London",
                "Chengdu",
                datetime(2026, 5, 10, 20),
                "Europe/London",
                datetime(2026, 5, 11, 14),
                "Asia/Shanghai",
                members=(member.id,),
            ),
            "cora",
        )
        assert missing_travel(session, get_delegation(session, visit.reference)) == ["ALEX SMITH: no departure travel"]


def test_approvals_follow_the_chain_and_an_edit_withdraws_them(engine: Engine) -> None:
    start = date(2026, 5, 11)
    with transaction(engine) as session:
        ref = create_delegation(session, _visit(start), "cora").reference
        add_member(session, ref, _member(), "cora")
        add_item(session, ref, _item(start), "cora")
        with pytest.raises(BadDelegation, match="approvals are for a planned visit"):
            decide_step(session, ref, "coordinator", "approved", "", "cora")
        move_delegation(session, ref, "planned", "", "cora")
        with pytest.raises(BadDelegation, match="the next step to decide is 'coordinator'"):
            decide_step(session, ref, "head of service", "approved", "", "hana")
        with pytest.raises(BadDelegation, match="say why"):
            decide_step(session, ref, "coordinator", "rejected", "", "cora")
        decide_step(session, ref, "coordinator", "approved", "", "cora")
        decide_step(session, ref, "head of service", "approved", "within budget", "hana")
        assert get_delegation(session, ref).state == "approved"
        add_item(session, ref, _item(start, "afternoon", "Visit to a school"), "cora")
        visit = get_delegation(session, ref)
        assert visit.state == "planned"
        assert [s.decision for s in chain_status(session, visit)] == ["withdrawn", "withdrawn"]
        decide_step(session, ref, "coordinator", "approved", "", "cora")
        decide_step(session, ref, "head of service", "approved", "", "hana")
        assert get_delegation(session, ref).state == "approved"
        with pytest.raises(BadDelegation, match="may move to travelling, planned, cancelled"):
            move_delegation(session, ref, "reported", "", "cora")
    with reading(engine) as session:
        actions = [a.action for a in reversed(list_audit(session, action="delegation."))]
    assert "delegation.withdrawn" in actions and actions.count("delegation.approved") == 4


def test_the_entry_route_is_read_from_dated_rules(engine: Engine) -> None:
    with transaction(engine) as session:
        rules = list_rules(session)
        assert any(r.route.startswith("visa-free") and r.valid_to == date(2026, 12, 31) for r in rules)
        within = create_delegation(session, _visit(date(2026, 5, 11)), "cora")
        across = create_delegation(session, _visit(date(2026, 12, 29), days=5), "cora")
        after = create_delegation(session, _visit(date(2027, 3, 1)), "cora")
        long_stay = create_delegation(session, _visit(date(2026, 6, 1), days=40), "cora")
        checks = {}
        for visit in (within, across, after, long_stay):
            member = add_member(session, visit.reference, _member(expiry=date(2027, 2, 1)), "cora")
            checks[visit.reference] = check_member(list_rules(session), member, visit)
    assert checks[within.reference].needs_visa is False
    assert any("passport expires 2027-02-01" in w for w in checks[within.reference].warnings) is False
    assert any("ends on 2026-12-31, before the visit does" in w for w in checks[across.reference].warnings)
    assert checks[after.reference].needs_visa is True
    assert any(
        "passport expires 2027-02-01: it must be valid to 2027-09-03" in w for w in checks[after.reference].warnings
    )
    assert checks[long_stay.reference].needs_visa is True  # 40 days: beyond the visa-free 30
    with transaction(engine) as session:
        rule = next(r for r in list_rules(session) if r.route.startswith("visa-free"))
        end_rule(session, rule.id, date(2026, 5, 1), "ada")
        add_rule(
            session,
            RuleIn(
                "GB",
                "CN",
                "visa-free entry, extended",
                False,
                "https://example.org/notice",
                max_days=30,
                valid_from=date(2027, 1, 1),
                valid_to=date(2027, 12, 31),
            ),
            "ada",
        )
        member = members_of(session, within)[0]
        assert check_member(list_rules(session), member, within).needs_visa is True  # the rule ended
        member = members_of(session, after)[0]
        assert check_member(list_rules(session), member, after).route == "visa-free entry, extended"


def test_the_calendar_parses_back_with_zones_and_stable_uids(engine: Engine) -> None:
    start = date(2026, 5, 11)
    with transaction(engine) as session:
        ref = create_delegation(session, _visit(start), "cora").reference
        alex = add_member(session, ref, _member(), "cora")
        sam = add_member(session, ref, _member("SAM JONES"), "cora")
        add_item(session, ref, _item(start), "cora")
        add_item(
            session,
            ref,
            ItemIn(start, "afternoon", "14:00", "15:00", "Asia/Shanghai", "Pupils' concert", attendees=(sam.id,)),
            "cora",
        )
        visit = get_delegation(session, ref)
        items = itinerary_of(session, visit)
        first = Calendar.from_ical(itinerary_calendar(visit, items, "https://twinlink.example"))
        again = Calendar.from_ical(itinerary_calendar(visit, items, "https://twinlink.example"))
        alex_feed = Calendar.from_ical(itinerary_calendar(visit, items, "https://twinlink.example", alex.id))
    events = first.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in again.walk("VEVENT")]
    assert str(events[0]["uid"]) == f"{ref}-{items[0].id}@twinlink"
    start_time = events[0].decoded("dtstart")
    assert str(start_time.tzinfo) == "Asia/Shanghai" and start_time.hour == 9 and start_time.minute == 30
    assert events[0]["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert [str(t["tzid"]) for t in first.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(events[0]["url"]) == f"https://twinlink.example/delegations/{ref}"
    assert [str(e["summary"]) for e in alex_feed.walk("VEVENT")] == ["Meeting at the Foreign Affairs Office"]


def test_risks_score_on_the_matrix_and_costs_add_up(engine: Engine) -> None:
    assert [risk_band(s) for s in (4, 8, 12, 15, 25)] == ["low", "medium", "medium", "high", "high"]
    with transaction(engine) as session:
        ref = create_delegation(session, _visit(date(2026, 5, 11)), "cora").reference
        assert seed_risks(session, ref, "cora") == 6
        assert seed_risks(session, ref, "cora") == 0
        with pytest.raises(BadDelegation, match="likelihood: 1 to 5"):
            add_risk(session, ref, RiskIn("Fire", 6, 2, 1, 1), "cora")
        with pytest.raises(BadDelegation, match="do not make a risk greater"):
            add_risk(session, ref, RiskIn("Fire", 2, 2, 3, 3), "cora")
        add_cost(session, ref, "travel", 250_000, "Kent County Council", "flights", "cora")
        add_cost(session, ref, "interpreting", 40_000, "Sichuan FAO", "", "cora")
        with pytest.raises(BadDelegation, match="category 'fun'"):
            add_cost(session, ref, "fun", 1, "", "", "cora")
        totals = cost_totals(costs_of(session, get_delegation(session, ref)))
    assert totals.total == 290_000 and totals.by_funder == {"Kent County Council": 250_000, "Sichuan FAO": 40_000}


def test_a_report_puts_the_visit_on_the_links_timeline(engine: Engine, gazetteer: Gazetteer) -> None:
    start = date(2025, 10, 6)
    with transaction(engine) as session:
        _place_link(session, gazetteer, "Kent", "Sichuan", 1990, [])
        pid = session.scalars(select(Partnership.id)).one()
        ref = create_delegation(session, _visit(start, partnership_id=pid), "cora").reference
        add_member(session, ref, _member(), "cora")
        met = add_item(session, ref, _item(start), "cora")
        skipped = add_item(session, ref, _item(start, "afternoon", "Factory visit"), "cora")
        move_delegation(session, ref, "planned", "", "cora")
        for step in CHAIN:
            decide_step(session, ref, step, "approved", "", "cora")
        with pytest.raises(BadDelegation, match="a report follows a completed visit"):
            report_visit(session, ref, ReportIn("o", "o", ()), "cora")
        move_delegation(session, ref, "travelling", "", "cora")
        move_delegation(session, ref, "completed", "", "cora")
        report = ReportIn(
            "Renew the friendship",
            "A memorandum on school exchanges",
            took_place=(met.id,),
            signed=("memorandum of understanding",),
            follow_ups=(FollowUp("Send the school list", "international officer", date(2099, 1, 1)),),
        )
        document_id = report_visit(session, ref, report, "cora")
    assert skipped.id != met.id
    with reading(engine) as session:
        document = session.get(Document, document_id)
        assert document is not None and "Meeting at the Foreign Affairs Office" in document.text
        assert "Factory visit" not in document.text
        claims = session.scalars(select(Claim).where(Claim.method == f"report:{ref}")).all()
        assert {c.property for c in claims} == {"occurred", "instrument"}
        quote = next(c for c in claims if c.property == "occurred")
        assert document.text[quote.span_start : quote.span_end] == quote.quote  # highlighted in its document
        assert get_delegation(session, ref).state == "reported"
        follow = session.scalars(select(ContactLogEntry)).one()
        assert follow.next_action == "Send the school list" and follow.partnership_id == pid


def test_personal_data_is_purged_after_its_retention(engine: Engine) -> None:
    with transaction(engine) as session:
        old = create_delegation(session, _visit(date(2026, 4, 1), retention_days=30), "cora").reference
        new = create_delegation(session, _visit(date(2026, 4, 1)), "cora").reference
        add_member(session, old, _member(), "cora")
        add_member(session, new, _member(), "cora")
        assert purge_personal_data(session, date(2026, 6, 1), "ops") == 1
        kept, purged = (
            members_of(session, get_delegation(session, new))[0],
            members_of(session, get_delegation(session, old))[0],
        )
    assert purged.passport_number == "" and purged.passport_expiry is None and purged.passport_name == "ALEX SMITH"
    assert kept.passport_number == "123456789"


def test_delegations_and_entry_rules_from_the_command_line(sqlite_engine: Engine, tmp_path: object) -> None:
    import json
    from pathlib import Path

    from tests.test_cli import run

    folder = Path(str(tmp_path))
    db = str(folder / "register.db")
    with transaction(sqlite_engine) as session:
        ref = create_delegation(session, _visit(date(2026, 5, 11)), "cora").reference
        add_member(session, ref, _member(), "cora")
        add_item(session, ref, _item(date(2026, 5, 11)), "cora")
    listed = json.loads(run("delegation", "list", "--format", "json", "--db", db, cwd=folder).stdout)
    assert [(d["reference"], d["state"]) for d in listed] == [(ref, "draft")]
    shown = run("delegation", "show", ref, "--format", "json", "--db", db, cwd=folder).stdout
    assert json.loads(shown)["members"] == ["leader"] and "ALEX SMITH" not in shown and "123456789" not in shown
    written = run("delegation", "calendar", ref, "-o", "visit.ics", "--db", db, cwd=folder)
    assert written.returncode == 0
    assert [str(e["summary"]) for e in Calendar.from_ical((folder / "visit.ics").read_bytes()).walk("VEVENT")] == [
        "Meeting at the Foreign Affairs Office"
    ]
    rules = json.loads(run("entry-rules", "list", "--format", "json", "--db", db, cwd=folder).stdout)
    visa_free = next(r for r in rules if r["route"].startswith("visa-free"))
    assert visa_free["valid_to"] == "2026-12-31" and visa_free["source"].startswith("https://")
    added = run(
        "entry-rules",
        "add",
        "GB",
        "CN",
        "--route",
        "visa-free, extended",
        "--no-visa",
        "--max-days",
        "30",
        "--from",
        "2027-01-01",
        "--source",
        "https://example.org/notice",
        "--db",
        db,
        cwd=folder,
    )
    assert added.returncode == 0
    bad = run("entry-rules", "add", "GB", "CN", "--route", "x", "--source", "not an address", "--db", db, cwd=folder)
    assert bad.returncode != 0 and "source: give the web address" in bad.stderr
    ended = run("entry-rules", "end", str(visa_free["id"]), "2026-10-31", "--db", db, cwd=folder)
    assert ended.returncode == 0 and "ends on 2026-10-31" in ended.stdout
    planned = run(
        "delegation",
        "plan",
        "--title",
        "Youth orchestra tour",
        "--from",
        "GB",
        "--to",
        "CN",
        "--start",
        "2027-07-01",
        "--end",
        "2027-07-10",
        "--approval",
        "head | hana | 60",
        "--db",
        db,
        cwd=folder,
    )
    assert planned.returncode == 0 and "planned DL-2027-" in planned.stdout
    new_ref = planned.stdout.split()[1].rstrip(":")
    assert "is planned" in run("delegation", "move", new_ref, "planned", "--db", db, cwd=folder).stdout
    refused = run("delegation", "move", new_ref, "reported", "--db", db, cwd=folder)
    assert refused.returncode != 0 and "it may move to" in refused.stderr
    purged = run("delegation", "purge", "--db", db, cwd=folder)
    assert purged.returncode == 0 and "cleared the personal data of" in purged.stdout


def _inbound(session: object, starts: date) -> str:
    from twinlink.register.delegations import DelegationIn as Visit

    ref = create_delegation(
        session,
        Visit(
            "Chengdu education delegation to Kent",
            "CN",
            "GB",
            starts,  # type: ignore[arg-type]
            starts + timedelta(days=1),
            purpose="school partnerships",
            approval_chain=CHAIN,
        ),
        "cora",
    ).reference
    add_member(
        session,
        ref,
        MemberIn(
            "leader",
            "WANG FANG",
            "CN",
            name_zh="王芳",
            title_en="Director",  # type: ignore[arg-type]
            title_zh="局长",
            passport_number="E12345678",
            date_of_birth=date(1975, 3, 2),
            gender="female",
            organisation="Chengdu Education Bureau",
        ),
        "cora",
    )
    for day in (starts, starts + timedelta(days=1)):
        add_item(
            session,
            ref,
            ItemIn(
                day,
                "morning",
                "09:00",
                "12:00",
                "Europe/London",
                "School visit",  # type: ignore[arg-type]
                venue="Kent school",
            ),
            "cora",
        )
        add_item(
            session,
            ref,
            ItemIn(
                day,
                "afternoon",
                "14:00",
                "16:00",
                "Europe/London",
                "Meeting",  # type: ignore[arg-type]
                venue="County Hall",
            ),
            "cora",
        )
    return ref


def test_letters_carry_every_particular_in_both_languages_and_go_out_of_date(engine: Engine) -> None:
    import io

    import pypdfium2
    from docx import Document as Docx
    from pypdf import PdfReader

    from twinlink.register.letters import letters_of, make_letter

    with transaction(engine) as session:
        ref = _inbound(session, date(2026, 6, 1))
        visit = get_delegation(session, ref)
        docx = make_letter(session, visit, "approval-invitation", "docx", "cora")
        pdf = make_letter(session, visit, "approval-invitation", "pdf", "cora")
        assert [made.out_of_date for made in letters_of(session, visit)] == [False, False]
    document = Docx(io.BytesIO(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "school partnerships" in text and "邀请" in text
    for particular in (
        "WANG FANG 王芳",
        "female",
        "1975-03-02",
        "CN",
        "E12345678",
        "Director / 局长, Chengdu Education Bureau",
    ):
        assert particular in cells
    assert "2026-06-01" in cells and any("09:00 School visit (Kent school)" in c for c in cells)
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "王芳" in pdf_text and "E12345678" in pdf_text and "上午" in pdf_text
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("L")
    assert image.getextrema()[0] < 100  # ink on the page, not a blank one
    with transaction(engine) as session:
        add_item(session, ref, ItemIn(date(2026, 6, 2), "evening", "19:00", "21:00", "Europe/London", "Dinner"), "cora")
        assert [made.out_of_date for made in letters_of(session, get_delegation(session, ref))] == [True, True]
        members_of(session, get_delegation(session, ref))[0].date_of_birth = None
        with pytest.raises(BadDelegation, match="the records lack WANG FANG: date of birth"):
            make_letter(session, get_delegation(session, ref), "visitor-visa", "pdf", "cora")


def test_a_links_visit_costs_are_in_the_foi_answer_by_year(engine: Engine, gazetteer: Gazetteer) -> None:
    from twinlink.reports.foi import build_foi_answer
    from twinlink.store.tables import Party

    with transaction(engine) as session:
        _place_link(session, gazetteer, "Kent", "Sichuan", 1990, [])
        pid = session.scalars(select(Partnership.id)).one()
        ref = create_delegation(session, _visit(date(2025, 10, 6), partnership_id=pid), "cora").reference
        add_cost(session, ref, "travel", 200_000, "Kent County Council", "flights", "cora")
        add_cost(session, ref, "interpreting", 34_500, "Sichuan FAO", "", "cora")
        cancelled = create_delegation(session, _visit(date(2026, 3, 2), partnership_id=pid), "cora").reference
        add_cost(session, cancelled, "travel", 99_900, "Kent County Council", "", "cora")
        move_delegation(session, cancelled, "cancelled", "the council withdrew", "cora")
        kent = session.get(Party, "iso:GB-KEN")
        assert kent is not None
        answer = build_foi_answer(session, kent, date(2026, 12, 1), 5)
    (line,) = [f.text for f in answer.funding if "Delegation visits" in f.text]
    assert line.startswith("Delegation visits on the Kent – Sichuan link in 2025 cost £2,345.00")
    assert "interpreting £345.00; travel £2,000.00" in line and "Kent County Council (£2,000.00)" in line


def test_a_step_named_for_someone_is_theirs_to_decide_by_its_lead_time(engine: Engine) -> None:
    start = date(2026, 5, 11)
    with transaction(engine) as session:
        visit = DelegationIn(
            "A visit",
            "GB",
            "CN",
            start,
            start,
            approval_chain=("coordinator", "head of service | hana | 30", "committee | | 14"),
        )
        ref = create_delegation(session, visit, "cora").reference
        move_delegation(session, ref, "planned", "", "cora")
        decide_step(session, ref, "coordinator", "approved", "", "cora")
        with pytest.raises(BadDelegation, match="'head of service' is for hana to decide"):
            decide_step(session, ref, "head of service", "approved", "", "cora")
        decide_step(session, ref, "head of service", "approved", "", "hana")
        status = chain_status(session, get_delegation(session, ref))
    assert [(s.step, s.approver, s.due) for s in status] == [
        ("coordinator", None, None),
        ("head of service", "hana", date(2026, 4, 11)),
        ("committee", None, date(2026, 4, 27)),
    ]
    with transaction(engine) as session, pytest.raises(BadDelegation, match="a number of days"):
        create_delegation(
            session, DelegationIn("A visit", "GB", "CN", start, start, approval_chain=("x | y | soon",)), "cora"
        )
