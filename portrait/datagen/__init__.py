"""Portrait demo-data generator: a realistic Chinese omnichannel beauty brand,
with ground truth for identity resolution and customer models.

Public entry point: :func:`generate`.
"""

from .pipeline import FORMATS, generate

__all__ = ["generate", "FORMATS"]
