"""The schema revision the program checks at start-up without Alembic is the one Alembic finds."""

from __future__ import annotations

from putuo_community.storage.database import HEAD_REVISION, head_revision


def test_the_head_revision_constant_follows_the_migration_scripts() -> None:
    assert head_revision() == HEAD_REVISION, "a migration was added: set HEAD_REVISION to its revision"
