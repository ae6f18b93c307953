"""Delegations: members, itinerary, travel legs, entry rules, approvals, risk items, costs and gifts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 17:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("travelling_from", sa.String(2), nullable=False),
        sa.Column("travelling_to", sa.String(2), nullable=False),
        sa.Column("visiting_party_id", sa.String(64), sa.ForeignKey("parties.id"), nullable=True),
        sa.Column("host_party_id", sa.String(64), sa.ForeignKey("parties.id"), nullable=True),
        sa.Column("partnership_id", sa.String(64), sa.ForeignKey("partnerships.id"), nullable=True),
        sa.Column("registration_id", sa.Integer(), sa.ForeignKey("registrations.id"), nullable=True),
        sa.Column("lead", sa.String(100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("approval_chain", sa.Text(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("report_document_id", sa.String(64), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    op.create_index("ix_delegations_partnership_id", "delegations", ["partnership_id"])
    op.create_index("ix_delegations_state", "delegations", ["state"])
    op.create_table(
        "delegation_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegation_id", sa.Integer(), sa.ForeignKey("delegations.id"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("passport_name", sa.String(200), nullable=False),
        sa.Column("name_zh", sa.String(100), nullable=False),
        sa.Column("pinyin", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("passport_number", sa.String(30), nullable=False),
        sa.Column("passport_expiry", sa.Date(), nullable=True),
        sa.Column("organisation", sa.String(300), nullable=False),
        sa.Column("post", sa.String(200), nullable=False),
        sa.Column("dietary", sa.String(300), nullable=False),
        sa.Column("access_needs", sa.String(300), nullable=False),
        sa.Column("emergency_contact", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delegation_members_delegation_id", "delegation_members", ["delegation_id"])
    op.create_table(
        "itinerary_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegation_id", sa.Integer(), sa.ForeignKey("delegations.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("block", sa.String(10), nullable=False),
        sa.Column("starts", sa.String(5), nullable=False),
        sa.Column("ends", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(60), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("venue", sa.String(300), nullable=False),
        sa.Column("venue_place_id", sa.String(64), nullable=True),
        sa.Column("host", sa.String(300), nullable=False),
        sa.Column("people_met", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("interpreter", sa.String(200), nullable=False),
        sa.Column("transport", sa.String(300), nullable=False),
        sa.Column("took_place", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_itinerary_items_delegation_id", "itinerary_items", ["delegation_id"])
    op.create_table(
        "travel_legs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegation_id", sa.Integer(), sa.ForeignKey("delegations.id"), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("carrier", sa.String(100), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("from_place", sa.String(200), nullable=False),
        sa.Column("to_place", sa.String(200), nullable=False),
        sa.Column("departs", sa.DateTime(), nullable=False),
        sa.Column("departs_tz", sa.String(60), nullable=False),
        sa.Column("arrives", sa.DateTime(), nullable=False),
        sa.Column("arrives_tz", sa.String(60), nullable=False),
        sa.Column("members", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_travel_legs_delegation_id", "travel_legs", ["delegation_id"])
    op.create_table(
        "entry_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("route", sa.String(200), nullable=False),
        sa.Column("needs_visa", sa.Boolean(), nullable=False),
        sa.Column("max_days", sa.Integer(), nullable=True),
        sa.Column("passport_months", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_entry_rules_nationality", "entry_rules", ["nationality"])
    op.create_index("ix_entry_rules_destination", "entry_rules", ["destination"])
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegation_id", sa.Integer(), sa.ForeignKey("delegations.id"), nullable=False),
        sa.Column("step", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_approvals_delegation_id", "approvals", ["delegation_id"])
    op.create_table(
        "risk_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegation_id", sa.Integer(), sa.ForeignKey("delegations.id"), nullable=False),
        sa.Column("itinerary_item_id", sa.Integer(), sa.ForeignKey("itinerary_items.id"), nullable=True),
        sa.Column("hazard", sa.String(300), nullable=False),
        sa.Column("who", sa.String(300), nullable=False),
        sa.Column("controls", sa.Text(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("further_controls", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("residual_likelihood", sa.Integer(), nullable=False),
        sa.Column("residual_severity", sa.Integer(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_risk_items_delegation_id", "risk_items", ["delegation_id"])
    op.create_table(
        "cost_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegation_id", sa.Integer(), sa.ForeignKey("delegations.id"), nullable=False),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("funder", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cost_lines_delegation_id", "cost_lines", ["delegation_id"])
    op.create_table(
        "gifts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegation_id", sa.Integer(), sa.ForeignKey("delegations.id"), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("value_pence", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("counterpart", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_gifts_delegation_id", "gifts", ["delegation_id"])

    _seed_entry_rules()


def _seed_entry_rules() -> None:
    """The starter rules of entry, with their sources (an admin edits them afterwards)."""
    import json
    from datetime import date
    from importlib import resources

    rules = json.loads(resources.files("twinlink.starter").joinpath("entry_rules.json").read_text(encoding="utf-8"))
    table = sa.table(
        "entry_rules",
        *(
            sa.column(name)
            for name in (
                "nationality",
                "destination",
                "route",
                "needs_visa",
                "max_days",
                "passport_months",
                "valid_from",
                "valid_to",
                "source",
                "notes",
            )
        ),
    )
    for rule in rules:
        for key in ("valid_from", "valid_to"):
            rule[key] = date.fromisoformat(rule[key]) if rule[key] else None
    op.bulk_insert(table, rules)


def downgrade() -> None:
    for table in (
        "gifts",
        "cost_lines",
        "risk_items",
        "approvals",
        "entry_rules",
        "travel_legs",
        "itinerary_items",
        "delegation_members",
        "delegations",
    ):
        op.drop_table(table)
