"""The write API under /api: add documents, propose facts and decide claims, as the pages do,
for scripts holding a bearer token of a user with the role each needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from twinlink.errors import TwinlinkError
from twinlink.register import resources
from twinlink.register.accounts import Account
from twinlink.register.corrections import (
    Citation,
    EventEntry,
    correct_event,
    propose_event,
    propose_funding,
    propose_partnership_fact,
    propose_party_name,
)
from twinlink.register.party_changes import merge_parties, party_named, split_party, undo_change
from twinlink.register.pipeline import ingest_document
from twinlink.register.review import decide
from twinlink.store.claims import get_claim
from twinlink.store.engine import reading, transaction
from twinlink.store.tables import PartyChange
from twinlink.vocab import ReviewState, Role
from twinlink.web import models
from twinlink.web.api import ERRORS, fields_of, json_response, model_response
from twinlink.web.auth import require_token
from twinlink.web.deps import RowId
from twinlink.web.editing import extractor_of, submitted_document
from twinlink.web.problems import described

router = APIRouter(prefix="/api", tags=["editing"], responses={**ERRORS, 401: described(models.ErrorOut)})
EditorToken = Annotated[Account, Depends(require_token(Role.EDITOR))]
ReviewerToken = Annotated[Account, Depends(require_token(Role.REVIEWER))]


def _claim_out(request: Request, claim_id: str) -> Response:
    with reading(request.app.state.engine) as db:
        claim = get_claim(db, claim_id)
        records = resources.claims_about(db, claim.subject_type, claim.subject_id)
    record = next(r for r in records if r.id == claim.id)
    response = json_response(request, record)
    response.status_code = 201
    return response


@router.post(
    "/documents",
    summary="Add a document (a file, or a web address to fetch) and read it into proposed claims",
    response_model=models.DocumentDetailOut,
    status_code=201,
)
def add_document(
    request: Request,
    account: EditorToken,
    file: Annotated[UploadFile | None, File()] = None,
    address: Annotated[str, Form(max_length=2000)] = "",
    source_url: Annotated[str, Form(max_length=2000)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    document = submitted_document(request, file, address, source_url, title)
    ingest_document(request.app.state.engine, extractor_of(request), document, account.name)
    with reading(request.app.state.engine) as db:
        detail = resources.document_detail(db, document.id)
    body = {
        **fields_of(detail.document),
        "text": detail.text,
        "claims": detail.claims,
        "html": f"/documents/{document.id}",
    }
    response = json_response(request, body)
    response.status_code = 201
    return response


@router.post(
    "/partnerships/{partnership_id}/claims",
    summary="Propose a fact or a correction about a partnership, with its source",
    response_model=models.ClaimOut,
    status_code=201,
)
def propose(request: Request, partnership_id: str, fact: models.ClaimIn, account: EditorToken) -> Response:
    citation = Citation(fact.document_id, fact.address, fact.quote)
    with transaction(request.app.state.engine) as db:
        claim_id = propose_partnership_fact(db, partnership_id, fact.property, fact.value, citation, account.name)
    return _claim_out(request, claim_id)


@router.post(
    "/claims/{claim_id}/decision",
    summary="Accept, reject or reopen a claim, with the reason",
    response_model=models.ClaimOut,
    status_code=201,
)
def decide_claim(request: Request, claim_id: str, decision: models.DecisionIn, account: ReviewerToken) -> Response:
    try:
        state = ReviewState(decision.state)
    except ValueError:
        raise TwinlinkError(f"state {decision.state!r}: accepted, rejected or proposed") from None
    with transaction(request.app.state.engine) as db:
        (made,) = decide(db, [claim_id], state, decision.reason, account.name)
    return _claim_out(request, made.claim_id)


def _change_out(change: PartyChange) -> Response:
    body = models.PartyChangeOut(
        id=change.id,
        action=change.action,
        party=change.party_id,
        other=change.other_id,
        reason=change.reason,
        decided_by=change.decided_by,
        decided_at=change.decided_at,
        undone_by=change.undone_by,
        undone_at=change.undone_at,
    )
    return model_response(body, 201)


@router.post(
    "/parties/{party_id:path}/merge",
    summary="Merge a party into another that is the same (a reviewer's decision, which can be undone)",
    response_model=models.PartyChangeOut,
    status_code=201,
)
def merge(party_id: str, merge: models.MergeIn, request: Request, account: ReviewerToken) -> Response:
    with transaction(request.app.state.engine) as db:
        change = merge_parties(db, party_id, party_named(db, merge.into), merge.reason, account.name)
        return _change_out(change)


@router.post(
    "/parties/{party_id:path}/split",
    summary="Give some of a party's partnerships to a new party (when one party is really two)",
    response_model=models.PartyChangeOut,
    status_code=201,
)
def split(party_id: str, split: models.SplitIn, request: Request, account: ReviewerToken) -> Response:
    with transaction(request.app.state.engine) as db:
        change = split_party(db, party_id, split.partnerships, split.name, split.kind, split.reason, account.name)
        return _change_out(change)


@router.post(
    "/party-changes/{change_id}/undo",
    summary="Undo a merge or split: everything it moved goes back",
    response_model=models.PartyChangeOut,
    status_code=201,
)
def undo(change_id: RowId, undo: models.UndoIn, request: Request, account: ReviewerToken) -> Response:
    with transaction(request.app.state.engine) as db:
        return _change_out(undo_change(db, change_id, undo.reason, account.name))


@router.post(
    "/partnerships/{partnership_id}/events",
    summary="Propose an event between a partnership's parties, with its source",
    response_model=models.ClaimOut,
    status_code=201,
)
def propose_partnership_event(
    request: Request, partnership_id: str, event: models.EventIn, account: EditorToken
) -> Response:
    entry = EventEntry(event.year, event.month, event.day, event.kind, event.what, event.planned)
    with transaction(request.app.state.engine) as db:
        claim_id = propose_event(db, partnership_id, entry, _citation_of(event), account.name)
    return _claim_out(request, claim_id)


@router.post(
    "/events/{event_id}/claims",
    summary="Propose another account of a recorded event (its date, kind or what happened)",
    response_model=models.ClaimOut,
    status_code=201,
)
def propose_event_correction(request: Request, event_id: str, event: models.EventIn, account: EditorToken) -> Response:
    entry = EventEntry(event.year, event.month, event.day, event.kind, event.what, event.planned)
    with transaction(request.app.state.engine) as db:
        claim_id = correct_event(db, event_id, entry, _citation_of(event), account.name)
    return _claim_out(request, claim_id)


@router.post(
    "/partnerships/{partnership_id}/funding",
    summary="Propose a funding line of a partnership, with its source",
    response_model=models.ClaimOut,
    status_code=201,
)
def propose_partnership_funding(
    request: Request, partnership_id: str, funding: models.FundingIn, account: EditorToken
) -> Response:
    with transaction(request.app.state.engine) as db:
        claim_id = propose_funding(
            db,
            partnership_id,
            funding.funder,
            funding.recipient,
            funding.what,
            funding.until_year,
            _citation_of(funding),
            account.name,
        )
    return _claim_out(request, claim_id)


@router.post(
    "/parties/{party_id:path}/names",
    summary="Propose a name a party goes by (English, Chinese or pinyin), with its source",
    response_model=models.ClaimOut,
    status_code=201,
)
def propose_name(request: Request, party_id: str, name: models.NameIn, account: EditorToken) -> Response:
    with transaction(request.app.state.engine) as db:
        claim_id = propose_party_name(db, party_id, name.name, name.language, _citation_of(name), account.name)
    return _claim_out(request, claim_id)


def _citation_of(entered: models.EventIn | models.FundingIn | models.NameIn) -> Citation:
    return Citation(entered.document_id, entered.address, entered.quote)
