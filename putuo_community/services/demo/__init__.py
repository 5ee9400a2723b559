"""A realistic, deterministic demo district for training, screenshots and load tests.

`generator` fills the database; `model`, `names`, `property`, `committees` and `works`
make up the estates, their people and companies, their 业委会 and their works.
"""

from __future__ import annotations

from putuo_community.services.demo.generator import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]
