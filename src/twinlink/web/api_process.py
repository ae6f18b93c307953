"""The partnership process under /api: anyone may register interest; coordinators (with a token)
list, read and move registrations, log contacts, rank suggested partners and answer them. A
registration's contact is in its answer only for coordinators and the organisation's own users."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from twinlink.register.accounts import Account, account_of_token
from twinlink.register.candidates import decide_candidate
from twinlink.register.interest import (
    AlreadyRegistered,
    LogEntryIn,
    add_log_entry,
    details_of,
    get_registration,
    list_registrations,
    log_of,
    move_stage,
    stage_moves,
    submit_registration,
)
from twinlink.register.interest_form import FormErrors, InterestForm, read_form
from twinlink.register.matching import Ranking, Weights, rank
from twinlink.store.engine import transaction
from twinlink.store.tables import Contact, ContactLogEntry, Registration
from twinlink.vocab import Role
from twinlink.web import models
from twinlink.web.api import ERRORS, model_response
from twinlink.web.auth import Forbidden, SignInLimiter, SignInRequired, require_token
from twinlink.web.deps import session, today, window
from twinlink.web.problems import described, problem
from twinlink.web.process_data import gazetteer

router = APIRouter(prefix="/api", tags=["process"], responses={**ERRORS, 401: described(models.ErrorOut)})
SessionDep = Annotated[Session, Depends(session)]
CoordinatorToken = Annotated[Account, Depends(require_token(Role.COORDINATOR))]
_FORM_SCHEMA = InterestForm.model_json_schema()  # its $defs travel with it


def _summary(r: Registration) -> dict[str, Any]:
    return {
        "reference": r.reference,
        "organisation": r.organisation_name,
        "type": r.organisation_type,
        "party": r.party_id,
        "stage": r.stage,
        "received": r.created_at,
    }


@router.post(
    "/registrations",
    summary="Register interest in a partnership (open to anyone; limited per address)",
    response_model=models.RegistrationReceivedOut,
    status_code=201,
    responses={400: described(models.FormErrorOut), 409: described(models.ErrorOut), 429: described(models.ErrorOut)},
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": _FORM_SCHEMA}}, "required": True}},
)
def register(request: Request, form: Annotated[dict[str, Any], Body()]) -> Response:
    limiter: SignInLimiter = request.app.state.interest_limiter
    address = request.client.host if request.client else "unknown"
    if limiter.blocked(address, address):
        return problem(429, "too many registrations from this address; try again in an hour")
    limiter.failed(address, address)
    try:
        checked = read_form(form)
        with transaction(request.app.state.engine) as db:
            made = submit_registration(db, gazetteer(), checked, str(form.get("language") or "en"))
            body = models.RegistrationReceivedOut(reference=made.reference, stage=made.stage)
    except FormErrors as exc:
        return problem(400, "some fields are wrong", exc.errors)
    except AlreadyRegistered as exc:
        return problem(409, str(exc))
    return model_response(body, 201)


@router.get(
    "/registrations", summary="Registrations of interest, the latest first", response_model=models.RegistrationListOut
)
def registrations(db: SessionDep, account: CoordinatorToken, stage: Annotated[str | None, Query()] = None) -> Response:
    items = [models.RegistrationOut(**_summary(r)) for r in list_registrations(db, stage)]
    return model_response(models.RegistrationListOut(items=items))


async def _reader(request: Request, db: SessionDep) -> Account:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    account = account_of_token(db, token.strip()) if scheme.lower() == "bearer" else None
    if account is None:
        raise SignInRequired(request.url.path)
    return account


def _detail(db: Session, registration: Registration, account: Account) -> models.RegistrationDetailOut:
    if not account.sees_contacts_of(registration.party_id):
        raise Forbidden(f"this needs the coordinator role; the token acts for a {account.role.value}")
    contact = db.get(Contact, registration.contact_id)
    return models.RegistrationDetailOut(
        **_summary(registration),
        details={k: v for k, v in details_of(registration).items() if k != "will_be"},
        contact=models.ContactOut(
            name=contact.name, role=contact.role, email=contact.email, phone=contact.phone, languages=contact.languages
        )
        if contact
        else None,
        moves=[
            models.StageMoveOut(
                at=m.moved_at, by=m.moved_by, from_stage=m.from_stage, to_stage=m.to_stage, reason=m.reason
            )
            for m in stage_moves(db, registration)
        ],
        log=[_log_out(e) for e in log_of(db, registration)],
    )


def _log_out(e: ContactLogEntry) -> models.LogEntryOut:
    return models.LogEntryOut(
        id=e.id,
        happened_on=e.happened_on,
        kind=e.kind,
        direction=e.direction,
        counterpart=e.counterpart,
        summary=e.summary,
        next_action=e.next_action,
        next_due=e.next_due,
        done=e.done,
        document_id=e.document_id,
    )


@router.get(
    "/registrations/{reference}",
    summary="A registration with its stages and contact log (its contact for those who may see it)",
    response_model=models.RegistrationDetailOut,
    responses={403: described(models.ErrorOut)},
)
def registration(reference: str, db: SessionDep, account: Annotated[Account, Depends(_reader)]) -> Response:
    return model_response(_detail(db, get_registration(db, reference), account))


@router.post(
    "/registrations/{reference}/moves",
    summary="Move a registration to another stage, with the reason",
    response_model=models.StageMoveOut,
    status_code=201,
)
def move(request: Request, reference: str, moved: models.MoveIn, account: CoordinatorToken) -> Response:
    with transaction(request.app.state.engine) as db:
        made = move_stage(db, gazetteer(), reference, moved.stage, moved.reason, account.name)
        body = models.StageMoveOut(
            at=made.moved_at, by=made.moved_by, from_stage=made.from_stage, to_stage=made.to_stage, reason=made.reason
        )
    return model_response(body, 201)


@router.post(
    "/registrations/{reference}/log",
    summary="Log a letter, call, meeting, e-mail or translation, with the next action due",
    response_model=models.LogEntryOut,
    status_code=201,
)
def log(request: Request, reference: str, entry: models.LogEntryIn, account: CoordinatorToken) -> Response:
    made = LogEntryIn(
        entry.happened_on or date.today(),
        entry.kind,
        entry.summary,
        entry.direction,
        entry.counterpart,
        entry.next_action,
        entry.next_due,
        entry.document_id,
    )
    with transaction(request.app.state.engine) as db:
        row = add_log_entry(db, made, account.name, registration=get_registration(db, reference))
        body = _log_out(row)
    return model_response(body, 201)


def ranking_out(ranking: Ranking, limit: int) -> models.RankingOut:
    return models.RankingOut(
        reference=ranking.reference,
        filtered_by=ranking.filtered_by,
        weights=ranking.weights.as_dict(),
        suggestions=[
            models.SuggestionOut(
                id=s.party_id,
                name=s.name,
                name_zh=s.name_zh,
                kind=s.kind,
                within=s.within,
                score=s.score,
                notes=list(s.notes),
                factors=[
                    models.FactorOut(
                        name=f.name,
                        label=f.label,
                        weight=f.weight,
                        value=round(f.value, 4),
                        contribution=round(f.contribution, 3),
                        applies=f.applies,
                        reason=f.reason,
                        evidence=[models.EvidenceOut(text=e.text, quote=e.quote, link=e.link) for e in f.evidence],
                    )
                    for f in s.factors
                ],
            )
            for s in ranking.suggestions[:limit]
        ],
        excluded=[models.ExcludedOut(id=e.party_id, name=e.name, rule=e.rule) for e in ranking.excluded],
        accepted=ranking.accepted,
    )


@router.get(
    "/registrations/{reference}/matches",
    summary="Suggested partners, best first, each factor with its reason and evidence; weights as parameters",
    response_model=models.RankingOut,
)
def matches(
    request: Request,
    reference: str,
    db: SessionDep,
    account: CoordinatorToken,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    regional_link: float | None = None,
    activity: float | None = None,
    themes: float | None = None,
    size_role: float | None = None,
    school_fit: float | None = None,
) -> Response:
    given = {
        k: v
        for k, v in {
            "regional_link": regional_link,
            "activity": activity,
            "themes": themes,
            "size_role": size_role,
            "school_fit": school_fit,
        }.items()
        if v is not None
    }
    try:
        weights = Weights.of(given)
    except ValueError as exc:
        return problem(400, str(exc))
    ranked = rank(db, gazetteer(), get_registration(db, reference), weights, today(), window(request))
    return model_response(ranking_out(ranked, limit))


@router.post(
    "/registrations/{reference}/candidates",
    summary="Accept a suggested partner (a first-contact step follows) or dismiss it with the reason",
    response_model=models.CandidateDecisionOut,
    status_code=201,
)
def candidate(request: Request, reference: str, answer: models.CandidateIn, account: CoordinatorToken) -> Response:
    with transaction(request.app.state.engine) as db:
        made = decide_candidate(
            db, gazetteer(), reference, answer.candidate, answer.decision, answer.reason, account.name
        )
        body = models.CandidateDecisionOut(
            registration=reference.upper(),
            candidate=made.candidate_id,
            decision=made.decision,
            reason=made.reason,
            decided_by=made.decided_by,
            decided_at=made.decided_at,
        )
    return model_response(body, 201)
