"""Helpers for the io tests: where the stored register files are, and a way to build workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from io_builders import STORED


@pytest.fixture
def stored() -> Path:
    """The register files kept in tests/data/registers (those a test cannot build)."""
    return STORED
