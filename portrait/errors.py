"""The one exception type the command line reports as a one-line error (exit code 1)."""


class PortraitError(Exception):
    """A user mistake or a condition a user can fix (missing database, unknown segment, bad
    identifier, a benchmark step that failed); its message is one line saying what to do."""
