"""The public registration of interest: a form anyone may fill in (in English, with the Chinese
beside each label for a Chinese organisation), checked on the server with each message beside
its field, a hidden field that only robots fill, a limit per address, and a confirmation page
with the reference to quote. The organisation's links already in the register can be looked up
from the form and edited before sending."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from twinlink.register.interest import AlreadyRegistered, submit_registration
from twinlink.register.interest_form import (
    EXCHANGE_KINDS,
    FORMALITIES,
    PHASES,
    RESOLUTIONS,
    SECTORS,
    FormErrors,
    InterestForm,
    read_form,
)
from twinlink.store.engine import reading, transaction
from twinlink.vocab import OrganisationType
from twinlink.web.auth import SignInLimiter, check_csrf
from twinlink.web.deps import templates, today, window
from twinlink.web.interest_labels import LABELS, choice, label
from twinlink.web.process_data import gazetteer, known_links
from twinlink.web.site import site_settings

router = APIRouter(include_in_schema=False)
HONEYPOT = "website"  # hidden from people; a robot filling every field fills it
LISTS = ("sectors", "exchange_kinds")
FLAGS = ("open_to_any", "consent")
NUMBERS = ("population", "age_from", "age_to", "pupils_involved", "budget")


def form_values(form: FormData) -> dict[str, Any]:
    """What the form sent, as the registration model reads it: lists, ticks and numbers."""
    values: dict[str, Any] = {}
    for name in InterestForm.model_fields:
        if name in LISTS:
            values[name] = [str(v) for v in form.getlist(name)]
        elif name in FLAGS:
            values[name] = form.get(name) == "on"
        elif name in NUMBERS:
            text = str(form.get(name) or "").strip()
            values[name] = text or None
        elif form.get(name) is not None:
            values[name] = str(form.get(name))
    return values


def _limiter(request: Request) -> SignInLimiter:
    limiter: SignInLimiter = request.app.state.interest_limiter
    return limiter


def _page(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
    message: str | None = None,
) -> HTMLResponse:
    chinese = request.query_params.get("lang") == "zh" or values.get("language") == "zh"
    values = {"partner_country": "CN", "formality": "contact", "resolution": "none", **values}
    context = {
        "v": values,
        "errors": errors or {},
        "message": message,
        "chinese": chinese,
        "label": lambda field: label(field, chinese),
        "choice": lambda value: choice(value, chinese),
        "types": [t.value for t in OrganisationType],
        "sectors": SECTORS,
        "kinds": EXCHANGE_KINDS,
        "formalities": FORMALITIES,
        "phases": PHASES,
        "resolutions": RESOLUTIONS,
        "honeypot": HONEYPOT,
        "labelled": LABELS,
    }
    return templates().TemplateResponse(request, "register_interest.html", context, status_code=status)


@router.get("/register-interest", response_class=HTMLResponse)
def register_interest_page(request: Request) -> HTMLResponse:
    """The form; with an organisation's name (the look-up button), its links in the register filled in."""
    values: dict[str, Any] = {k: v for k, v in request.query_params.items() if k in InterestForm.model_fields}
    values["language"] = request.query_params.get("lang", "en")
    name = values.get("organisation_name", "").strip()
    if name and not values.get("existing_links") and not site_settings(request).private:
        with reading(request.app.state.engine) as db:
            links = known_links(db, gazetteer(), name, values.get("place", ""), today(), window(request))
        values["existing_links"] = "\n".join(links)
        message = (
            f"{len(links)} links of {name} are in the register: check them below."
            if links
            else f"The register holds no links of {name}."
        )
        return _page(request, values, message=message)
    return _page(request, values)


@router.post("/register-interest")
async def register_interest(request: Request) -> Response:
    """Check and record a registration; the confirmation page gives its reference."""
    await check_csrf(request)
    form = await request.form()
    address = request.client.host if request.client else "unknown"
    values = form_values(form)
    values_shown = {**values, "language": str(form.get("language") or "en")}
    if _limiter(request).blocked(address, address):
        message = "Too many registrations from this address: please try again in an hour."
        return _page(request, values_shown, status=429, message=message)
    _limiter(request).failed(address, address)  # every attempt counts against the limit
    if str(form.get(HONEYPOT) or ""):
        return RedirectResponse("/register-interest/thanks", status_code=303)
    try:
        checked = read_form(values)
        with transaction(request.app.state.engine) as db:
            registration = submit_registration(db, gazetteer(), checked, values_shown["language"])
            reference = registration.reference
    except FormErrors as exc:
        return _page(request, values_shown, exc.errors, status=400, message="Some answers need another look.")
    except AlreadyRegistered as exc:
        text = str(exc)
        return _page(request, values_shown, status=409, message=text[:1].upper() + text[1:] + ".")
    return RedirectResponse(f"/register-interest/thanks?reference={quote(reference)}", status_code=303)


@router.get("/register-interest/thanks", response_class=HTMLResponse)
async def thanks(request: Request, reference: str = "") -> HTMLResponse:
    shown = reference if reference.startswith("TL-") and len(reference) <= 20 else ""
    return templates().TemplateResponse(request, "interest_thanks.html", {"reference": shown})
