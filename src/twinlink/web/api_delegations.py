"""Delegations under /api, for coordinators with a token: list and read them (members' personal
data included, as for the pages), move them and decide their approval steps."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from twinlink.register.accounts import Account
from twinlink.register.delegations import (
    ItemIn,
    MemberIn,
    add_item,
    add_member,
    chain_status,
    cost_totals,
    costs_of,
    decide_step,
    get_delegation,
    itinerary_of,
    list_delegations,
    members_of,
    move_delegation,
)
from twinlink.register.entry import check_member, list_rules
from twinlink.store.engine import transaction
from twinlink.store.tables import Delegation
from twinlink.vocab import Role
from twinlink.web import models
from twinlink.web.api import ERRORS, model_response
from twinlink.web.auth import require_token
from twinlink.web.deps import session
from twinlink.web.problems import described

router = APIRouter(prefix="/api", tags=["delegations"], responses={**ERRORS, 401: described(models.ErrorOut)})
SessionDep = Annotated[Session, Depends(session)]
CoordinatorToken = Annotated[Account, Depends(require_token(Role.COORDINATOR))]


def _summary(d: Delegation) -> dict[str, Any]:
    return {
        "reference": d.reference,
        "title": d.title,
        "travelling_from": d.travelling_from,
        "travelling_to": d.travelling_to,
        "starts_on": d.starts_on,
        "ends_on": d.ends_on,
        "state": d.state,
        "partnership": d.partnership_id,
        "html": f"/delegations/{d.reference}",
    }


@router.get("/delegations", summary="Delegation visits, the latest first", response_model=models.DelegationListOut)
def delegations(db: SessionDep, account: CoordinatorToken) -> Response:
    return model_response(
        models.DelegationListOut(items=[models.DelegationOut(**_summary(d)) for d in list_delegations(db)])
    )


def _detail(db: Session, visit: Delegation) -> models.DelegationDetailOut:
    rules = list_rules(db)
    members = []
    for m in members_of(db, visit):
        check = check_member(rules, m, visit)
        members.append(
            models.MemberOut(
                id=m.id,
                role=m.role,
                passport_name=m.passport_name,
                name_zh=m.name_zh,
                title_en=m.title_en,
                title_zh=m.title_zh,
                nationality=m.nationality,
                passport_number=m.passport_number,
                passport_expiry=m.passport_expiry,
                entry_route=check.route,
                entry_warnings=list(check.warnings),
            )
        )
    return models.DelegationDetailOut(
        **_summary(visit),
        purpose=visit.purpose,
        members=members,
        itinerary=[
            models.ItemOut(
                id=i.id,
                day=i.day,
                block=i.block,
                starts=i.starts,
                ends=i.ends,
                timezone=i.timezone,
                title=i.title,
                venue=i.venue,
                took_place=i.took_place,
            )
            for i in itinerary_of(db, visit)
        ],
        approvals=[
            models.StepOut(step=s.step, decision=s.decision, by=s.by, at=s.at, note=s.note)
            for s in chain_status(db, visit)
        ],
        costs_pence=cost_totals(costs_of(db, visit)).total,
    )


@router.get(
    "/delegations/{reference}",
    summary="A delegation with its members (personal data), itinerary, approvals and costs",
    response_model=models.DelegationDetailOut,
)
def delegation(reference: str, db: SessionDep, account: CoordinatorToken) -> Response:
    return model_response(_detail(db, get_delegation(db, reference)))


@router.post(
    "/delegations/{reference}/state",
    summary="Move a delegation (draft, planned, travelling, completed, cancelled with a reason)",
    response_model=models.DelegationOut,
    status_code=201,
)
def move(request: Request, reference: str, moved: models.DelegationMoveIn, account: CoordinatorToken) -> Response:
    with transaction(request.app.state.engine) as db:
        visit = move_delegation(db, reference, moved.state, moved.reason, account.name)
        body = models.DelegationOut(**_summary(visit))
    return model_response(body, 201)


@router.post(
    "/delegations/{reference}/approvals",
    summary="Decide the next step of the approval chain (bound to the plan as it stands)",
    response_model=models.StepOut,
    status_code=201,
)
def approve(request: Request, reference: str, decided: models.StepIn, account: CoordinatorToken) -> Response:
    with transaction(request.app.state.engine) as db:
        made = decide_step(db, reference, decided.step, decided.decision, decided.note, account.name)
        body = models.StepOut(
            step=made.step, decision=made.decision, by=made.decided_by, at=made.decided_at, note=made.note
        )
    return model_response(body, 201)


@router.post(
    "/delegations/{reference}/members",
    summary="Add a member (personal data; an approval given before is withdrawn)",
    response_model=models.DelegationDetailOut,
    status_code=201,
)
def add_member_api(request: Request, reference: str, given: models.MemberIn, account: CoordinatorToken) -> Response:
    with transaction(request.app.state.engine) as db:
        add_member(db, reference, MemberIn(**given.model_dump()), account.name)
        body = _detail(db, get_delegation(db, reference))
    return model_response(body, 201)


@router.post(
    "/delegations/{reference}/items",
    summary="Add an itinerary item (an approval given before is withdrawn)",
    response_model=models.DelegationDetailOut,
    status_code=201,
)
def add_item_api(request: Request, reference: str, given: models.ItemIn, account: CoordinatorToken) -> Response:
    values = given.model_dump()
    values["attendees"] = tuple(values["attendees"])
    with transaction(request.app.state.engine) as db:
        add_item(db, reference, ItemIn(**values), account.name)
        body = _detail(db, get_delegation(db, reference))
    return model_response(body, 201)
