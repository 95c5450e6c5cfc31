"""What a role may not see: `sensitive` tags (tag_catalog.sensitivity) and, with them, every
segment whose rule reads one (its reads_tags, or its compiled condition, which holds the SQL of
the segments it names), and every lineage entry naming either."""

from __future__ import annotations

from dataclasses import dataclass

from portrait.web.auth import User


@dataclass(frozen=True)
class Hidden:
    """The tag and segment codes hidden from one role (both empty for roles that see everything)."""

    tags: frozenset[str]
    segments: frozenset[str]

    def allows_lineage(self, entry: str) -> bool:
        """False for a lineage entry (`tag:<code>`, `segment:<code>`, ...) naming something hidden."""
        kind, _, code = entry.partition(":")
        return not ((kind == "tag" and code in self.tags) or (kind == "segment" and code in self.segments))


def hidden(reader, user: User) -> Hidden:
    """The codes `user` may not see on the current snapshot."""
    if user.role.sensitive_tags:
        return Hidden(frozenset(), frozenset())
    tags = {
        row["tag_code"] for row in reader.rows("select tag_code from tags.tag_catalog where sensitivity = 'sensitive'")
    }
    # the compiled condition holds nested segments' SQL too: a segment naming a hidden one is hidden
    segments = {row["segment_code"] for row in reader.rows(
        "select segment_code from segments.segment_definitions where len(list_intersect(reads_tags, ?)) > 0"
        " or regexp_matches(coalesce(compiled_condition, ''), ?)",
        [sorted(tags), r"\bprofile\.(" + "|".join(sorted(tags)) + r")\b"],
    )} if tags else set()  # fmt: skip
    return Hidden(frozenset(tags), frozenset(segments))
