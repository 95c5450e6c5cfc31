"""Explanations of a build's answers: why identifiers are one person (`identity`), why a customer
is or is not in a segment (`segment`)."""

from portrait.errors import PortraitError


class ExplainError(PortraitError):
    """The question cannot be answered: an unknown identifier, segment or one_id."""
