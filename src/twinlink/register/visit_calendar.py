"""A delegation's itinerary as iCalendar (RFC 5545, through the icalendar library): one event a
block, in the venue's time zone with its VTIMEZONE, a UID that stays the same across exports, and
a link back to the delegation. One feed for the delegation and one per member."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from twinlink.store.tables import Delegation, ItineraryItem


def itinerary_calendar(
    delegation: Delegation, items: Sequence[ItineraryItem], base_url: str, member_id: int | None = None
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Twinlink//delegations//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{delegation.reference} {delegation.title}")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in items:
        attendees = json.loads(item.attendees)
        if member_id is not None and attendees and member_id not in attendees:
            continue
        zone = ZoneInfo(item.timezone)
        event = Event()
        event.add("uid", f"{delegation.reference}-{item.id}@twinlink")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(item.day, time.fromisoformat(item.starts), tzinfo=zone))
        event.add("dtend", datetime.combine(item.day, time.fromisoformat(item.ends), tzinfo=zone))
        event.add("summary", item.title)
        if item.venue:
            event.add("location", item.venue)
        lines = [
            text
            for text in (
                item.purpose,
                item.host and f"Host: {item.host}",
                item.people_met and f"Meeting: {item.people_met}",
                item.interpreter and f"Interpreter: {item.interpreter}",
                item.transport and f"Transport: {item.transport}",
            )
            if text
        ]
        if lines:
            event.add("description", "\n".join(lines))
        event.add("url", f"{base_url}/delegations/{delegation.reference}")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
