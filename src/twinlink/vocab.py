"""Enumerations every layer shares."""

from __future__ import annotations

from enum import StrEnum


class PartyKind(StrEnum):
    COUNTRY = "country"
    NATION = "nation"
    PROVINCE = "province"
    MUNICIPALITY = "municipality"
    AUTONOMOUS_REGION = "autonomous region"
    SPECIAL_ADMINISTRATIVE_REGION = "special administrative region"
    PREFECTURE_CITY = "prefecture-level city"
    PREFECTURE = "prefecture"
    COUNTY_CITY = "county-level city"
    REGION = "region"
    CITY = "city"
    COUNTY = "county"
    UNITARY_AUTHORITY = "unitary authority"
    METROPOLITAN_DISTRICT = "metropolitan district"
    LONDON_BOROUGH = "london borough"
    COUNCIL_AREA = "council area"
    DISTRICT = "district"
    SCHOOL = "school"
    UNIVERSITY = "university"
    ORGANISATION = "organisation"


BODY_KINDS = frozenset({PartyKind.SCHOOL, PartyKind.UNIVERSITY, PartyKind.ORGANISATION})
PLACE_KINDS = frozenset(k for k in PartyKind if k not in BODY_KINDS)
# the kinds a word in a name points to ("Hainan Province", "Ningbo City", "Kent County")
PROVINCE_KINDS = frozenset(
    {PartyKind.PROVINCE, PartyKind.AUTONOMOUS_REGION, PartyKind.REGION, PartyKind.SPECIAL_ADMINISTRATIVE_REGION}
)
CITY_KINDS = frozenset(
    {
        PartyKind.CITY,
        PartyKind.UNITARY_AUTHORITY,
        PartyKind.METROPOLITAN_DISTRICT,
        PartyKind.PREFECTURE_CITY,
        PartyKind.COUNTY_CITY,
        PartyKind.MUNICIPALITY,
        PartyKind.COUNCIL_AREA,
        PartyKind.DISTRICT,
        PartyKind.LONDON_BOROUGH,
    }
)
COUNTY_KINDS = frozenset({PartyKind.COUNTY, PartyKind.UNITARY_AUTHORITY, PartyKind.COUNCIL_AREA})
DISTRICT_KINDS = frozenset({PartyKind.DISTRICT, PartyKind.LONDON_BOROUGH, PartyKind.METROPOLITAN_DISTRICT})


class PartnershipKind(StrEnum):
    PLACE = "place"
    SCHOOL = "school"
    INSTITUTION = "institution"


class EventKind(StrEnum):
    VISIT = "visit"
    AGREEMENT = "agreement"
    FOUNDING = "founding"
    EXCHANGE = "exchange"
    TRADE = "trade"
    AWARD = "award"
    GIFT = "gift"
    ANNIVERSARY = "anniversary"
    MEETING = "meeting"
    OTHER = "other"


class ReviewState(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DocumentKind(StrEnum):
    WEB_PAGE = "web page"
    FOI_RESPONSE = "foi response"
    AGREEMENT = "agreement"
    MOU = "mou"
    NEWS = "news"
    TEXT = "text"
    REPORT = "report"


class Role(StrEnum):
    """What a signed-in user may do; each role may do what the ones before it may."""

    VIEWER = "viewer"  # read the register (the public pages need no account)
    EDITOR = "editor"  # add documents, propose facts and corrections
    COORDINATOR = "coordinator"  # work registrations of interest, matching, contacts and the contact log
    REVIEWER = "reviewer"  # accept and reject claims, merge parties
    ADMIN = "admin"  # users and settings

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


class ReportFormat(StrEnum):
    """The formats an FOI answer is written in."""

    MD = "md"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"


class Stage(StrEnum):
    """Where a registration of interest stands in the partnership process."""

    NEW = "new"
    CONTACTED = "contacted"
    SEARCHING = "searching"
    MATCHED = "matched"
    FIRST_CONTACT = "first contact"
    DELEGATION_PLANNED = "delegation planned"
    AGREEMENT = "agreement"
    ESTABLISHED = "established"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def closed(self) -> bool:
        return self in (Stage.ESTABLISHED, Stage.DECLINED, Stage.WITHDRAWN)


class OrganisationType(StrEnum):
    """Who registers interest: a local authority of some level, or a body."""

    COUNCIL = "council"
    COUNTY = "county council"
    COMBINED_AUTHORITY = "combined authority"
    SCHOOL = "school"
    TRUST = "academy trust"
    UNIVERSITY = "university or college"
    BUSINESS = "business body"
    OTHER = "other organisation"

    @property
    def local_government(self) -> bool:
        return self in (OrganisationType.COUNCIL, OrganisationType.COUNTY, OrganisationType.COMBINED_AUTHORITY)

    @property
    def schools(self) -> bool:
        return self in (OrganisationType.SCHOOL, OrganisationType.TRUST)


class LinkStage(StrEnum):
    """How formal a link is, weakest first (derived from what its instruments say)."""

    CONTACT = "contact"
    LETTER_OF_INTENT = "letter of intent / MoU"
    FRIENDSHIP = "friendship"
    SISTER = "sister or twin"


class DelegationState(StrEnum):
    """Where a delegation visit stands."""

    DRAFT = "draft"
    PLANNED = "planned"
    APPROVED = "approved"
    TRAVELLING = "travelling"
    COMPLETED = "completed"
    REPORTED = "reported"
    CANCELLED = "cancelled"
