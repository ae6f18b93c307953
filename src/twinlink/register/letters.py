"""Letters made from a delegation's records, in English and Chinese, as DOCX or PDF:

- ``visitor-visa``: the UK host's invitation supporting a delegate's UK Standard Visitor visa;
- ``approval-invitation``: the invitation a Chinese delegation needs for its approval at home
  (each invitee's particulars, purpose, the day-by-day morning and afternoon programme, who pays);
- ``host-invitation``: the Chinese host's invitation for a UK delegate's visa, when one is needed.

Each letter made is recorded with the hash of the plan it was made from, so that an edit to the
plan shows the letter is out of date. A letter is refused, naming what is missing, when the
records lack what it must say (a passport number, a date of birth…)."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinlink.fonts import chinese_font as find_chinese_font
from twinlink.register.delegations import (
    BadDelegation,
    chain_status,
    content_hash,
    cost_totals,
    costs_of,
    itinerary_of,
    members_of,
    risk_band,
    risks_of,
)
from twinlink.store.parties import get_party
from twinlink.store.tables import Delegation, DelegationMember, Letter
from twinlink.store.users import record_audit

KINDS = {
    "visitor-visa": "Invitation for a UK Standard Visitor visa",
    "approval-invitation": "Invitation for the delegation's approval at home",
    "host-invitation": "Invitation from the host in China for a visa",
}
NEEDED = {
    "visitor-visa": ("passport_number", "date_of_birth"),
    "approval-invitation": ("passport_number", "date_of_birth", "gender", "title_en", "organisation"),
    "host-invitation": ("passport_number", "date_of_birth", "gender"),
}


@dataclass
class LetterText:
    """What a letter says, before it is laid out: paragraphs in English and in Chinese, the
    invitees' particulars and the programme."""

    kind: str
    sender: str
    addressee: str
    title_en: str
    title_zh: str
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (English, Chinese)
    invitees: list[list[str]] = field(default_factory=list)
    programme: list[tuple[str, str, str]] = field(default_factory=list)  # (day, morning, afternoon)
    signed: str = ""
    dated: date = field(default_factory=date.today)


def _party_name(session: Session, party_id: str | None, fallback: str) -> tuple[str, str]:
    party = get_party(session, party_id) if party_id else None
    if party is None:
        return fallback, fallback
    return party.name, party.name_zh or party.name


def _missing(members: Sequence[DelegationMember], kind: str) -> list[str]:
    out = []
    for member in members:
        lacking = [name.replace("_", " ") for name in NEEDED[kind] if not getattr(member, name)]
        if lacking:
            out.append(f"{member.passport_name}: {', '.join(lacking)}")
    return out


def compose(session: Session, delegation: Delegation, kind: str, signatory: str) -> LetterText:
    if kind not in KINDS:
        raise BadDelegation(f"letter {kind!r}: choose one of {', '.join(KINDS)}")
    members = members_of(session, delegation)
    if not members:
        raise BadDelegation("letter: the delegation has no members yet")
    missing = _missing(members, kind)
    if missing:
        raise BadDelegation("letter: the records lack " + "; ".join(missing))
    host_en, host_zh = _party_name(session, delegation.host_party_id, "the host")
    visiting_en, visiting_zh = _party_name(session, delegation.visiting_party_id, "the visiting organisation")
    start, end = delegation.starts_on.isoformat(), delegation.ends_on.isoformat()
    funders = cost_totals(costs_of(session, delegation)).by_funder
    payer_en = ", ".join(funders) if funders else f"{visiting_en} (its own costs)"
    letter = LetterText(kind, host_en, "", KINDS[kind], "", signed=signatory)
    purpose = delegation.purpose or delegation.title
    if kind == "visitor-visa":
        letter.addressee = "To the Entry Clearance Officer, UK Visas and Immigration"
        letter.title_zh = "英国访问签证邀请函"
        letter.paragraphs = [
            (
                f"{host_en} invites the members of {visiting_en} listed below to visit the United Kingdom from "
                f"{start} to {end}, for: {purpose}.",
                f"{host_zh}邀请{visiting_zh}下列人员于{start}至{end}访问英国，事由：{purpose}。",
            ),
            (
                f"The visit's activities are meetings and exchanges permitted to visitors. Costs are met by {payer_en}.",
                f"访问活动为访客允许的会谈与交流。费用由{payer_en}承担。",
            ),
        ]
    elif kind == "approval-invitation":
        letter.addressee = f"To {visiting_en} / 致{visiting_zh}"
        letter.title_zh = "邀请函"
        letter.paragraphs = [
            (
                f"{host_en} has the honour to invite the delegation of {visiting_en} to visit from {start} to {end}, "
                f"for: {purpose}.",
                f"{host_zh}诚挚邀请{visiting_zh}代表团于{start}至{end}来访，事由：{purpose}。",
            ),
            (
                f"Costs during the visit are borne by {payer_en}. The programme, morning and afternoon, is below.",
                f"访问期间费用由{payer_en}承担。每日上午、下午日程安排如下。",
            ),
        ]
    else:
        letter.addressee = "To the Chinese Embassy or Consulate-General / 致中国驻英国使领馆"
        letter.title_zh = "邀请函（签证）"
        letter.paragraphs = [
            (
                f"{host_en} invites the persons below, of {visiting_en}, to visit China from {start} to {end}, "
                f"for: {purpose}. Costs are met by {payer_en}.",
                f"{host_zh}邀请{visiting_zh}下列人员于{start}至{end}来华访问，事由：{purpose}。费用由{payer_en}承担。",
            ),
        ]
    for member in members:
        letter.invitees.append(
            [
                member.passport_name + (f" {member.name_zh}" if member.name_zh else ""),
                member.gender or "",
                member.date_of_birth.isoformat() if member.date_of_birth else "",
                member.nationality,
                member.passport_number,
                " / ".join(t for t in (member.title_en, member.title_zh) if t)
                + (f", {member.organisation}" if member.organisation else ""),
            ]
        )
    days: dict[date, dict[str, list[str]]] = {}
    for item in itinerary_of(session, delegation):
        slot = "morning" if item.block == "morning" else "afternoon"
        where = f" ({item.venue})" if item.venue else ""
        days.setdefault(item.day, {"morning": [], "afternoon": []})[slot].append(f"{item.starts} {item.title}{where}")
    for day, slots in sorted(days.items()):
        letter.programme.append(
            (day.isoformat(), "; ".join(slots["morning"]) or "–", "; ".join(slots["afternoon"]) or "–")
        )
    if kind == "approval-invitation" and {d for d, _, _ in letter.programme} != {
        (delegation.starts_on.fromordinal(o)).isoformat()
        for o in range(delegation.starts_on.toordinal(), delegation.ends_on.toordinal() + 1)
    }:
        raise BadDelegation("letter: the approval at home needs a programme for every day of the visit")
    return letter


INVITEE_HEADINGS = (
    "Name / 姓名",
    "Sex / 性别",
    "Born / 出生日期",
    "Nationality / 国籍",
    "Passport / 护照号",
    "Post / 职务",
)


def render_docx(letter: LetterText) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(letter.sender, level=1)
    document.add_paragraph(letter.dated.isoformat())
    document.add_paragraph(letter.addressee)
    document.add_heading(f"{letter.title_en} / {letter.title_zh}", level=2)
    for english, chinese in letter.paragraphs:
        document.add_paragraph(english)
        document.add_paragraph(chinese)
    table = document.add_table(rows=1, cols=len(INVITEE_HEADINGS))
    for cell, heading in zip(table.rows[0].cells, INVITEE_HEADINGS, strict=True):
        cell.text = heading
    for row in letter.invitees:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    if letter.programme:
        document.add_heading("Programme / 日程", level=3)
        programme = document.add_table(rows=1, cols=3)
        for cell, heading in zip(
            programme.rows[0].cells, ("Day / 日期", "Morning / 上午", "Afternoon / 下午"), strict=True
        ):
            cell.text = heading
        for day_row in letter.programme:
            for cell, value in zip(programme.add_row().cells, day_row, strict=True):
                cell.text = value
    document.add_paragraph("")
    document.add_paragraph(f"Signed / 签字: {letter.signed}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def chinese_font() -> Path:
    """The font the PDF letters write Chinese in, or the reason there is none."""
    found = find_chinese_font()
    if found is None:
        raise BadDelegation(
            "PDF letters need a font with Chinese characters: install fonts-wqy-zenhei or set TWINLINK_CJK_FONT"
        )
    return found


def render_pdf(letter: LetterText) -> bytes:
    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(
        logging.ERROR
    )  # a font's bitmap tables are dropped, as they should be
    pdf = FPDF(format="A4")
    pdf.add_page()
    font = str(chinese_font())
    pdf.add_font("cjk", fname=font)
    pdf.add_font("cjk", style="B", fname=font)  # table headings are bold: the same face serves
    pdf.set_font("cjk", size=15)
    pdf.multi_cell(0, 8, letter.sender, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.multi_cell(0, 6, f"{letter.dated.isoformat()}\n{letter.addressee}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("cjk", size=13)
    pdf.multi_cell(0, 7, f"{letter.title_en} / {letter.title_zh}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    for english, chinese in letter.paragraphs:
        pdf.multi_cell(0, 5.5, english, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5.5, chinese, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    with pdf.table(col_widths=(40, 14, 22, 18, 26, 50), text_align="LEFT") as table:
        table.row(INVITEE_HEADINGS)
        for invitee in letter.invitees:
            table.row(tuple(invitee))
    if letter.programme:
        pdf.ln(3)
        pdf.multi_cell(0, 6, "Programme / 日程", new_x="LMARGIN", new_y="NEXT")
        with pdf.table(col_widths=(25, 80, 80), text_align="LEFT") as table:
            table.row(("Day / 日期", "Morning / 上午", "Afternoon / 下午"))
            for day, morning, afternoon in letter.programme:
                table.row((day, morning, afternoon))
    pdf.ln(6)
    pdf.multi_cell(0, 6, f"Signed / 签字: {letter.signed}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_letter(session: Session, delegation: Delegation, kind: str, file_format: str, actor: str) -> bytes:
    """The letter as a file, recorded with the hash of the plan it was made from."""
    if file_format not in ("docx", "pdf"):
        raise BadDelegation("format: docx or pdf")
    text = compose(session, delegation, kind, actor)
    body = render_docx(text) if file_format == "docx" else render_pdf(text)
    session.add(
        Letter(
            delegation_id=delegation.id,
            kind=kind,
            file_format=file_format,
            content_hash=content_hash(session, delegation),
            made_by=actor,
        )
    )
    session.flush()
    record_audit(session, actor, "delegation.letter", delegation.reference, kind=kind, format=file_format)
    return body


@dataclass(frozen=True)
class LetterMade:
    kind: str
    file_format: str
    made_by: str
    made_at: str
    out_of_date: bool


def letters_of(session: Session, delegation: Delegation) -> list[LetterMade]:
    current = content_hash(session, delegation)
    query = select(Letter).where(Letter.delegation_id == delegation.id).order_by(Letter.id)
    return [
        LetterMade(m.kind, m.file_format, m.made_by, m.made_at.isoformat(timespec="minutes"), m.content_hash != current)
        for m in session.scalars(query)
    ]


def itinerary_pdf(session: Session, delegation: Delegation) -> bytes:
    """The programme to print: each day's items with times, venues, hosts and people met, and the
    members, with Chinese names and titles beside the English where they have them."""
    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = FPDF(format="A4")
    pdf.add_page()
    font = str(chinese_font())
    pdf.add_font("cjk", fname=font)
    pdf.add_font("cjk", style="B", fname=font)
    pdf.set_font("cjk", size=14)
    pdf.multi_cell(0, 8, f"{delegation.reference}: {delegation.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.multi_cell(
        0,
        6,
        f"{delegation.starts_on.isoformat()} – {delegation.ends_on.isoformat()} · "
        f"{delegation.travelling_from} → {delegation.travelling_to}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    members = members_of(session, delegation)
    if members:
        pdf.ln(2)
        with pdf.table(col_widths=(60, 30, 90), text_align="LEFT") as table:
            table.row(("Member / 成员", "Role / 身份", "Title / 职务"))
            for m in members:
                table.row(
                    (
                        f"{m.passport_name} {m.name_zh}".strip(),
                        m.role,
                        " / ".join(t for t in (m.title_en, m.title_zh) if t),
                    )
                )
    pdf.ln(3)
    with pdf.table(col_widths=(25, 22, 70, 63), text_align="LEFT") as table:
        table.row(("Day / 日期", "Time / 时间", "What / 内容", "Where, with whom / 地点与会见"))
        for item in itinerary_of(session, delegation):
            where = "; ".join(t for t in (item.venue, item.host, item.people_met) if t)
            table.row((item.day.isoformat(), f"{item.starts}–{item.ends}", item.title, where))
    return bytes(pdf.output())


def risk_assessment_pdf(session: Session, delegation: Delegation) -> bytes:
    """The risk assessment to print: the visit, its leader, assessor and approvers, and each
    hazard with its controls, scores before and after, owner and dates."""
    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = FPDF(format="A4", orientation="landscape")
    pdf.add_page()
    font = str(chinese_font())
    pdf.add_font("cjk", fname=font)
    pdf.add_font("cjk", style="B", fname=font)
    pdf.set_font("cjk", size=14)
    pdf.multi_cell(0, 8, f"Risk assessment: {delegation.reference} {delegation.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    leaders = [m.passport_name for m in members_of(session, delegation) if m.role == "leader"]
    approvers = [
        f"{s.step}: {s.by} ({s.at:%Y-%m-%d})"
        for s in chain_status(session, delegation)
        if s.decision == "approved" and s.by and s.at
    ]
    header = (
        f"Visit {delegation.starts_on.isoformat()} to {delegation.ends_on.isoformat()}, "
        f"{delegation.travelling_from} → {delegation.travelling_to}. Leader: {', '.join(leaders) or 'not named'}. "
        f"Assessor: {delegation.lead}. Approved: {'; '.join(approvers) or 'not yet'}."
    )
    pdf.multi_cell(0, 5, header, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(col_widths=(40, 30, 45, 20, 45, 20, 25, 22, 22), text_align="LEFT") as table:
        table.row(
            (
                "Hazard",
                "Who and how",
                "Existing controls",
                "L×S",
                "Further controls",
                "Residual",
                "Owner",
                "Due",
                "Review",
            )
        )
        for risk in risks_of(session, delegation):
            score = risk.likelihood * risk.severity
            residual = risk.residual_likelihood * risk.residual_severity
            table.row(
                (
                    risk.hazard,
                    risk.who,
                    risk.controls,
                    f"{risk.likelihood}×{risk.severity} = {score} {risk_band(score)}",
                    risk.further_controls,
                    f"{residual} {risk_band(residual)}",
                    risk.owner,
                    risk.due.isoformat() if risk.due else "",
                    risk.review_on.isoformat() if risk.review_on else "",
                )
            )
    return bytes(pdf.output())
