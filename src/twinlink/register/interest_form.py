"""The registration of interest as a validated form: who registers, their profile, what partner
they want and how ready they are. Every field is checked on the server and every fault is named
by its field, so the form can show each message beside its field; rules across fields (a school
gives its phase and ages; a sister-city link is between local governments) are checked too."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from twinlink.vocab import OrganisationType

EXCHANGE_KINDS = ("culture", "education", "trade", "sport", "health", "youth", "science", "tourism", "environment")
FORMALITIES = ("contact", "friendship", "sister city", "school link", "project")
PHASES = ("primary", "secondary", "all-through", "special", "sixth form", "college")
RESOLUTIONS = ("none", "planned", "passed")
SECTORS = (
    "manufacturing",
    "automotive",
    "aerospace",
    "agriculture",
    "food",
    "energy",
    "finance",
    "digital",
    "life sciences",
    "logistics",
    "creative industries",
    "tourism",
    "education",
    "healthcare",
    "retail",
)
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
PHONE = re.compile(r"^\+?[0-9 ()-]{6,24}$")


def _clean(text: str) -> str:
    return " ".join(text.split())


class InterestForm(BaseModel):
    """What a council, school or other body says when it registers interest in a partnership."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    # who
    organisation_type: OrganisationType
    organisation_name: str = Field(min_length=2, max_length=300)
    place: str = Field("", max_length=200, description="Where it is: its town, city or county.")
    urn: str = Field("", max_length=10, description="A school's DfE unique reference number.")
    ukprn: str = Field("", max_length=10, description="A university's or college's UK provider reference number.")
    contact_name: str = Field(min_length=2, max_length=200)
    contact_role: str = Field("", max_length=200)
    contact_email: str = Field(max_length=320)
    contact_phone: str = Field("", max_length=40)
    contact_languages: str = Field("", max_length=200)
    # profile
    population: int | None = Field(None, ge=0, le=40_000_000)
    sectors: list[str] = Field(default_factory=list, max_length=len(SECTORS))
    assets: str = Field("", max_length=2000, description="Education and culture assets.")
    phase: str = ""
    age_from: int | None = Field(None, ge=2, le=25)
    age_to: int | None = Field(None, ge=2, le=25)
    pupils_involved: int | None = Field(None, ge=1, le=5000)
    languages_taught: str = Field("", max_length=200)
    # intent
    partner_country: str = Field("CN", min_length=2, max_length=2)
    partner_region: str = Field("", max_length=200, description="A province or city, or empty for any.")
    open_to_any: bool = False
    exchange_kinds: list[str] = Field(default_factory=list, max_length=len(EXCHANGE_KINDS))
    themes: str = Field("", max_length=1000)
    formality: str = "contact"
    exclusions: str = Field("", max_length=1000, description="Places it does not want, one a line or by commas.")
    # readiness
    existing_links: str = Field("", max_length=2000)
    support: str = Field("", max_length=2000)
    first_year_plan: str = Field("", max_length=4000)
    budget: int | None = Field(None, ge=0, le=10_000_000)
    resolution: str = "none"
    consent: bool = False

    @field_validator(
        "organisation_name", "place", "contact_name", "contact_role", "contact_languages", "partner_region", "themes"
    )
    @classmethod
    def _one_line(cls, value: str) -> str:
        return _clean(value)

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL.match(value):
            raise ValueError("give an e-mail address such as name@example.org")
        return value.lower()

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if value and not PHONE.match(value):
            raise ValueError("give a telephone number of digits, spaces and an optional +")
        return value

    @field_validator("urn")
    @classmethod
    def _urn(cls, value: str) -> str:
        if value and not re.fullmatch(r"[1-9][0-9]{5}", value):
            raise ValueError("a URN is six digits")
        return value

    @field_validator("ukprn")
    @classmethod
    def _ukprn(cls, value: str) -> str:
        if value and not re.fullmatch(r"1[0-9]{7}", value):
            raise ValueError("a UKPRN is eight digits starting with 1")
        return value

    @field_validator("partner_country")
    @classmethod
    def _country(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError("give a two-letter country code such as CN")
        return value.upper()

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, value: list[str]) -> list[str]:
        return _among(value, SECTORS, "sector")

    @field_validator("exchange_kinds")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        return _among(value, EXCHANGE_KINDS, "kind of exchange")

    @field_validator("phase")
    @classmethod
    def _phase(cls, value: str) -> str:
        return _one_of(value, PHASES, "phase")

    @field_validator("formality")
    @classmethod
    def _formality(cls, value: str) -> str:
        return _one_of(value, FORMALITIES, "formality")

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: str) -> str:
        return _one_of(value, RESOLUTIONS, "resolution")

    @model_validator(mode="after")
    def _across_fields(self) -> Self:
        faults = cross_field_faults(self.model_dump())
        if faults:
            raise _Faults(faults)
        return self

    def exclusion_names(self) -> list[str]:
        return [_clean(n) for n in re.split(r"[,\n;]", self.exclusions) if _clean(n)]


def _flag(value: Any) -> bool:
    return value is True or value in ("on", "true", "1")


def _number(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def cross_field_faults(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The rules across fields, on the form's values as given (so that they are reported with
    the faults of single fields, not after them)."""
    try:
        kind = OrganisationType(str(values.get("organisation_type")))
    except ValueError:
        return []
    faults: list[tuple[str, str]] = []
    if not _flag(values.get("consent")):
        faults.append(("consent", "tick the box to let the partnership organisation contact you"))
    if not str(values.get("partner_region") or "").strip() and not _flag(values.get("open_to_any")):
        faults.append(("partner_region", "name a province or city, or say that any partner will do"))
    if not kind.local_government and not str(values.get("place") or "").strip():
        faults.append(("place", "say where the organisation is (its town, city or county)"))
    age_from, age_to = _number(values.get("age_from")), _number(values.get("age_to"))
    if kind is OrganisationType.SCHOOL:
        if not values.get("phase"):
            faults.append(("phase", "a school gives its phase"))
        if age_from is None or age_to is None:
            faults.append(("age_to", "a school gives the ages of the pupils involved"))
    if age_from is not None and age_to is not None and age_from > age_to:
        faults.append(("age_to", "the oldest age is below the youngest"))
    if values.get("urn") and kind is not OrganisationType.SCHOOL:
        faults.append(("urn", "a URN is for a school"))
    if values.get("ukprn") and kind is not OrganisationType.UNIVERSITY:
        faults.append(("ukprn", "a UKPRN is for a university or college"))
    formality = values.get("formality")
    if formality in ("sister city", "friendship") and not kind.local_government:
        faults.append(("formality", f"a {formality} link is made between local governments; choose another"))
    if formality == "school link" and not kind.schools:
        faults.append(("formality", "a school link is for a school or an academy trust"))
    if values.get("resolution") == "passed" and not kind.local_government:
        faults.append(("resolution", "a council resolution is for a council"))
    return faults


class _Faults(ValueError):
    def __init__(self, faults: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in faults))
        self.faults = faults


def _among(values: list[str], allowed: tuple[str, ...], what: str) -> list[str]:
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise ValueError(f"unknown {what} {wrong[0]!r}: choose from {', '.join(allowed)}")
    return sorted(set(values), key=allowed.index)


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value and value not in allowed:
        raise ValueError(f"unknown {what} {value!r}: choose from {', '.join(allowed)}")
    return value


class FormErrors(Exception):
    """The fields of a form that are wrong, each with its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def read_form(data: dict[str, Any]) -> InterestForm:
    """The form checked, or ``FormErrors`` naming each wrong field."""
    try:
        return InterestForm.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, _Faults):
                for field, message in cause.faults:
                    errors.setdefault(field, message)
                continue
            field = str(error["loc"][0]) if error["loc"] else "form"
            message = str(error["msg"]).removeprefix("Value error, ")
            errors.setdefault(field, _plain(message, error["type"]))
        for field, message in cross_field_faults(data):
            errors.setdefault(field, message)
        raise FormErrors(errors) from None


def _plain(message: str, kind: str) -> str:
    """Pydantic's message in words a person filling a form reads."""
    if kind == "missing":
        return "this is needed"
    if kind == "extra_forbidden":
        return "not a field of this form"
    if kind.startswith("int_"):
        return "give a whole number"
    return message[0].lower() + message[1:] if message else message
