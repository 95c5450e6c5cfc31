"""Audience exports: destination specs, atomic file writing, full and incremental exports."""
