"""The one exception tree of armstrace.

Every error a user can cause derives from ArmstraceError and says what was wrong and what to do;
the CLI maps it to a non-zero exit code and the API to a 4xx with the same message.
"""

from __future__ import annotations


class ArmstraceError(Exception):
    """Base of every error armstrace raises on purpose."""

    exit_code = 1


class InputError(ArmstraceError):
    """A document or file could not be read or is not usable text (empty, binary, too big...)."""

    exit_code = 2


class DataFileError(ArmstraceError):
    """A shipped or user-supplied knowledge file (YAML/CSV/JSONL) is malformed."""

    exit_code = 3


class StoreError(ArmstraceError):
    """The database could not be opened, migrated or written."""

    exit_code = 4


class NotFoundError(ArmstraceError):
    """A requested record (claim, document, actor) does not exist."""

    exit_code = 5


class ModelError(ArmstraceError):
    """The pinned spaCy model is missing or could not be loaded."""

    exit_code = 6
