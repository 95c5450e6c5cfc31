"""Who held an identifier when, for tests that attribute rows carrying only an identifier and a
time (consent changes, campaign events): the owner periods of identifiers that changed hands
(identity_identifier_owners, tested against a Python reference of the rule in
test_recycled_identifiers.py), and otherwise the one person holding it (identifier_people)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime


class Owners:
    def __init__(self, build, cutoff: datetime):
        self.current = {
            (kind, value): one_id
            for kind, value, one_id in build.query(
                "select identifier_type, identifier, one_id from customers.identifier_people"
            )
        }
        self.periods = defaultdict(list)
        for kind, value, one_id, start, end in build.query(
            "select identifier_type, identifier_value, one_id, valid_from, valid_to"
            " from identity.identity_identifier_owners where valid_from is not null or valid_to is not null"
        ):
            if start is None or start < cutoff:  # a period starting after the cut-off is not known yet
                self.periods[(kind, value)].append((start, end, one_id))

    def at(self, kind: str, value: str, moment: datetime | None) -> str | None:
        """The one_id holding (kind, value) at `moment` (UTC), or None."""
        periods = self.periods.get((kind, value))
        if not periods:
            return self.current.get((kind, value))
        for start, end, one_id in sorted(periods, key=lambda period: period[0] or datetime.min):
            if moment is None:
                return one_id
            if (start is None or moment >= start) and (end is None or moment < end):
                return one_id
        return None
