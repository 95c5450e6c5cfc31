"""Benchmarks: the full build at a scale (`full`), the tag build (`tags`), the connected_components
macro (`components`), audience exports (`export`), and OneID against the demo data's ground truth
(`identity_quality`)."""

from portrait.errors import PortraitError


class BenchError(PortraitError):
    """A benchmark step failed or its inputs are missing."""
