"""Record factories and waits shared by the GUI tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from putuo_community.gui.pages.base import Page
from putuo_community.services import Record, Services


def streets(services: Services) -> list[Record]:
    return services.records.list("streets", order_by=("id",))


def street_id(services: Services, short_name: str) -> int:
    return next(s.id for s in streets(services) if s.values["short_name"] == short_name)


def make_estate(services: Services, name: str, street: str = "曹杨", **values: Any) -> int:
    defaults: dict[str, Any] = {
        "name": name,
        "street_id": street_id(services, street),
        "housing_type": "售后公房",
        "completion_year": 1985,
        "building_count": 12,
        "households": 640,
        "floor_area": Decimal("41250.50"),
        "management_mode": "物业企业",
        "has_assembly": True,
    }
    return services.records.create("estates", {**defaults, **values})


def make_company(services: Services, name: str = "上海曹杨物业管理有限公司", **values: Any) -> int:
    return services.records.create("companies", {"name": name, "legal_rep": "王建国", **values})


def make_lift(services: Services, estate_id: int, code: str, **values: Any) -> int:
    defaults = {"estate_id": estate_id, "registration_code": code, "make": "三菱电机", "first_use_on": date(2005, 6, 1)}
    return services.records.create("lifts", {**defaults, **values})


def wait_loaded(qtbot: Any, page: Page, timeout: int = 5000) -> None:
    """Wait until the page has loaded and no load is running."""
    qtbot.waitUntil(lambda: page.has_loaded and not page.loading, timeout=timeout)
