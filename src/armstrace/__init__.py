"""armstrace: sourced, queryable records of international arms-transfer claims.

The library is the product; the CLI (`armstrace.cli`) and the HTTP API are thin layers over it.
Importing this package is cheap: the spaCy model and the database open only when first used.
"""

from __future__ import annotations

from armstrace.errors import (
    ArmstraceError,
    DataFileError,
    InputError,
    ModelError,
    NotFoundError,
    StoreError,
)
from armstrace.records import Claim, Document, Extraction, Quote, Speaker

__version__ = "0.1.0"

__all__ = [
    "ArmstraceError",
    "Claim",
    "DataFileError",
    "Document",
    "Extraction",
    "InputError",
    "ModelError",
    "NotFoundError",
    "Quote",
    "Speaker",
    "StoreError",
    "__version__",
]
