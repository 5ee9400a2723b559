"""The roles of domain/accounts.py enforced where the services write or reveal a record.

Every write asks a `Permissions` first. An administrator (and everyone while accounts are off)
passes without a query; so does any role for an action it may take everywhere. A 街镇经办人 is
checked against the 街镇 of what is written: one query per record (two when a record moves to
another 街镇 or estate), and for an import or an undo one query per chunk of distinct estates,
streets or companies, never one per row.

Whose a record is:
- an estate's, and a 居委会's: its 街镇 (both the 街镇 it has and the one it is moved to);
- a record under an estate (楼栋, 单元, 届次, 成员, 合同, 电梯, 项目, 维修资金, 附件 …): the 街镇 of
  its estate, found through its parent field (a unit through its building, a member through its term);
- a company: the 街镇 of every estate it serves, as the estate's company or by a contract. A clerk
  may change a company serving an estate of their 街镇, or one serving no estate at all: a company is
  registered before the estate it will serve, so a clerk may create one, and then edit it until an
  estate of another 街镇 takes it on;
- a project manager: as their company, and the 街镇 of every estate they manage;
- the 街镇 list: reference data kept by the district; no clerk changes it;
- a credit event (信用记分): not a 街镇's record; only who may RECORD_CREDIT (区级监管, 管理员) writes it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, or_, select, union, union_all

from putuo_community.domain.accounts import STREET_SCOPED, Action, Actor, Role
from putuo_community.domain.errors import PermissionDenied
from putuo_community.domain.fields import Register
from putuo_community.domain.formatting import mask_personal
from putuo_community.domain.registers import REGISTERS
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

if TYPE_CHECKING:
    from putuo_community.services.records import Record

CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit
CREDIT_REGISTER = "credit_events"

Street = tuple[int, str]  # a 街镇's id and name


def action_for(register: Register) -> Action:
    """What writing a record of `register` asks: credit events are the district's, the rest are records."""
    return Action.RECORD_CREDIT if register.key == CREDIT_REGISTER else Action.EDIT_RECORDS


def masked(record: Record) -> Record:
    """The record with its 身份证号 and 手机号 masked (as a printed dossier shows them)."""
    register = REGISTERS[record.register]
    personal = [f.key for f in register.personal_fields if isinstance(record.values.get(f.key), str)]
    if not any(record.values[key] for key in personal):
        return record
    values = dict(record.values)
    for key in personal:
        if values[key]:
            values[key] = mask_personal(values[key])
    return dataclasses.replace(record, values=values)


class Permissions:
    """What the session's actor may do, checked against the archive where the 街镇 matters."""

    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    # -- actions -----------------------------------------------------------------------------

    def may(self, action: Action) -> bool:
        return self.actor.may(action)

    def require(self, action: Action) -> None:
        refused = self.actor.why_not(action)
        if refused is not None:
            raise PermissionDenied(refused)

    @property
    def street_bound(self) -> bool:
        """The actor may write only the records of their own 街镇 (a 街镇经办人)."""
        return self.actor.role is Role.STREET_CLERK

    @property
    def sees_personal(self) -> bool:
        return self.actor.may(Action.SEE_PERSONAL)

    def visible_ids(self, conn: Connection, register_key: str) -> frozenset[int] | None:
        """The companies (or project managers) a 街镇经办人's lists hold: those serving their 街镇, and those
        serving no estate yet (one they have just entered, say). None: no narrowing (anyone else, or a
        register that is not a company's)."""
        if not self.street_bound or register_key not in ("companies", "managers"):
            return None
        estates, contracts = TABLES["estates"], TABLES["contracts"]
        own = self.actor.street_id
        serving = {
            i
            for (i,) in conn.execute(
                union(
                    select(estates.c.company_id).where(estates.c.street_id == own, estates.c.company_id.is_not(None)),
                    select(contracts.c.company_id)
                    .join(estates, estates.c.id == contracts.c.estate_id)
                    .where(estates.c.street_id == own),
                )
            )
        }
        attached = {
            i
            for (i,) in conn.execute(
                union(
                    select(estates.c.company_id).where(estates.c.company_id.is_not(None)),
                    select(contracts.c.company_id),
                )
            )
        }
        companies = serving | ({i for (i,) in conn.execute(select(TABLES["companies"].c.id))} - attached)
        if register_key == "companies":
            return frozenset(companies)
        managers = TABLES["managers"]
        on_own = select(estates.c.manager_id).where(estates.c.street_id == own, estates.c.manager_id.is_not(None))
        return frozenset(
            i
            for (i,) in conn.execute(
                select(managers.c.id).where(or_(managers.c.company_id.in_(companies), managers.c.id.in_(on_own)))
            )
        )

    def street_in_view(self, street_id: int | None) -> int | None:
        """The 街镇 a list, ledger or reminder view is narrowed to: a 街镇经办人 sees only their own,
        whatever is asked; anyone else sees what is asked (None: the whole district)."""
        return self.actor.street_id if self.street_bound else street_id

    def shown(self, record: Record) -> Record:
        """The record as this actor may read it: personal numbers masked for whoever may not see them."""
        return record if self.sees_personal else masked(record)

    def shown_all(self, records: Iterable[Record]) -> list[Record]:
        return list(records) if self.sees_personal else [masked(r) for r in records]

    # -- one record ----------------------------------------------------------------------------

    def check_create(self, conn: Connection, register: Register, values: Mapping[str, Any]) -> None:
        """Refuse creating a record with `values` unless the actor may (in its 街镇)."""
        action = action_for(register)
        self.require(action)
        if not self._scoped(action):
            return
        self._refuse_streets_list(register, action)
        scope = _scope_field(register)
        if scope is None:  # a new company serves no estate yet
            return
        key, target = scope
        value = values.get(key)
        if isinstance(value, int):
            self._refuse(action, _streets_of(conn, target, [value]).get(value, []))

    def check_change(
        self, conn: Connection, register: Register, record_id: int, changes: Mapping[str, Any] | None = None
    ) -> None:
        """Refuse changing (`changes`) or deleting (None) a record unless the actor may, where it is and where
        the change moves it."""
        action = action_for(register)
        self.require(action)
        if not self._scoped(action):
            return
        self._refuse_streets_list(register, action)
        self._refuse(action, _streets_of(conn, register, [record_id]).get(record_id, []))
        scope = _scope_field(register)
        if scope is not None and changes is not None:
            key, target = scope
            value = changes.get(key)
            if isinstance(value, int):
                self._refuse(action, _streets_of(conn, target, [value]).get(value, []))

    # -- many records --------------------------------------------------------------------------

    def refusals(
        self,
        conn: Connection,
        register: Register,
        rows: Sequence[tuple[Mapping[str, Any], int | None]],
        *,
        action: Action | None = None,
    ) -> list[str | None]:
        """For each (values, id of the record it changes or None for a new one): why the actor may not write
        it, or None. The 街镇 are looked up per chunk of distinct estates/records, not per row."""
        action = action or action_for(register)
        self.require(action)
        if not self._scoped(action):
            return [None] * len(rows)
        if register.key == "streets":
            return [self._streets_list_refusal(action)] * len(rows)
        scope = _scope_field(register)
        targets: dict[int, list[Street]] = {}
        if scope is not None:
            key, target = scope
            wanted = {v for values, _ in rows if isinstance(v := values.get(key), int)}
            targets = _streets_of(conn, target, wanted)
        existing = _streets_of(conn, register, {i for _, i in rows if i is not None})
        found: list[str | None] = []
        for values, record_id in rows:
            refused = self._why(action, existing.get(record_id, [])) if record_id is not None else None
            if refused is None and scope is not None and isinstance(value := values.get(scope[0]), int):
                refused = self._why(action, targets.get(value, []))
            found.append(refused)
        return found

    def check_records(self, conn: Connection, action: Action, register: Register, ids: Iterable[int]) -> None:
        """Refuse `action` on these existing records (an undo) unless each is the actor's to write."""
        if register.key == CREDIT_REGISTER:
            self.require(Action.RECORD_CREDIT)
        self.require(action)
        if not self._scoped(action):
            return
        self._refuse_streets_list(register, action)
        for streets in _streets_of(conn, register, set(ids)).values():
            self._refuse(action, streets)

    def check_targets(self, conn: Connection, action: Action, register: Register, ids: Iterable[int]) -> None:
        """Refuse `action` unless the records of `register` with these ids (estates, streets …) are the actor's."""
        self.require(action)
        if not self._scoped(action):
            return
        for streets in _streets_of(conn, register, set(ids)).values():
            self._refuse(action, streets)

    def may_street(self, action: Action, street_id: int | None) -> bool:
        """Whether the actor may take `action` on the records of this 街镇 (no query)."""
        return self.actor.why_not_in_street(action, street_id, "") is None

    # -- helpers -------------------------------------------------------------------------------

    def _scoped(self, action: Action) -> bool:
        """Whether `action` (already allowed) is checked against the 街镇 for this actor."""
        return self.street_bound and action in STREET_SCOPED

    def _why(self, action: Action, streets: Sequence[Street]) -> str | None:
        """None if the record serves no 街镇 (or is gone: the write itself says so) or one is the actor's."""
        if not streets or any(street_id == self.actor.street_id for street_id, _ in streets):
            return None
        street_id, name = streets[0]
        return self.actor.why_not_in_street(action, street_id, name)

    def _refuse(self, action: Action, streets: Sequence[Street]) -> None:
        refused = self._why(action, streets)
        if refused is not None:
            raise PermissionDenied(refused)

    def _streets_list_refusal(self, action: Action) -> str:
        return f"当前账户“{self.actor.name}”（{self.actor.role.label}）无权{action.label}：街镇名录由区里维护"

    def _refuse_streets_list(self, register: Register, action: Action) -> None:
        if register.key == "streets":
            raise PermissionDenied(self._streets_list_refusal(action))


def _scope_field(register: Register) -> tuple[str, Register] | None:
    """The field whose record decides whose this one is, and that field's register (None: a company, or a
    register that belongs to no 街镇)."""
    if register.key in ("streets", "companies", CREDIT_REGISTER):
        return None
    key = "street_id" if register.has_field("street_id") else register.parent_field
    if not key:
        return None
    return key, REGISTERS[register.field(key).ref]


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _street_names(conn: Connection, ids: set[int]) -> dict[int, str]:
    streets = TABLES["streets"]
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        for street_id, name in conn.execute(select(streets.c.id, streets.c.name).where(streets.c.id.in_(chunk))):
            found[street_id] = name
    return found


def _streets_of(conn: Connection, register: Register, ids: Iterable[int]) -> dict[int, list[Street]]:
    """The 街镇 each record of `register` belongs to (none: gone, or a company serving no estate)."""
    found: dict[int, list[Street]] = defaultdict(list)
    if register.key == "streets":
        for street_id, name in _street_names(conn, set(ids)).items():
            found[street_id].append((street_id, name))
        return found
    streets = TABLES["streets"]
    for chunk in _chunks(ids):
        owners = _owner_streets(register, chunk)
        if owners is None:
            return found
        query = select(owners.c.owner, streets.c.id, streets.c.name).join(streets, streets.c.id == owners.c.street_id)
        for owner, street_id, name in conn.execute(query.distinct().order_by(owners.c.owner, streets.c.id)):
            found[owner].append((street_id, name))
    return found


def _owner_streets(register: Register, ids: list[int]) -> Any:
    """A subquery (owner, street_id): each record of `ids` with the 街镇 it belongs to."""
    estates, contracts = TABLES["estates"], TABLES["contracts"]
    if register.key == "companies":
        return union_all(
            select(estates.c.company_id.label("owner"), estates.c.street_id).where(estates.c.company_id.in_(ids)),
            select(contracts.c.company_id.label("owner"), estates.c.street_id)
            .join(estates, estates.c.id == contracts.c.estate_id)
            .where(contracts.c.company_id.in_(ids)),
        ).subquery()
    if register.key == "managers":
        managers = TABLES["managers"]
        return union_all(
            select(estates.c.manager_id.label("owner"), estates.c.street_id).where(estates.c.manager_id.in_(ids)),
            select(managers.c.id.label("owner"), estates.c.street_id)
            .join(estates, estates.c.company_id == managers.c.company_id)
            .where(managers.c.id.in_(ids)),
            select(managers.c.id.label("owner"), estates.c.street_id)
            .join(contracts, contracts.c.company_id == managers.c.company_id)
            .join(estates, estates.c.id == contracts.c.estate_id)
            .where(managers.c.id.in_(ids)),
        ).subquery()
    chain = _chain_query(register, ids)
    return chain.subquery() if chain is not None else None


def _chain_query(register: Register, ids: list[int]) -> Select[Any] | None:
    """(owner, street_id) following the parent fields up to the record that names a 街镇 (an estate)."""
    table = TABLES[register.key]
    current, current_table = register, table
    joined: Any = table
    while not current.has_field("street_id"):
        key = current.parent_field
        if not key:
            return None  # a credit event, the change history: no 街镇
        parent = REGISTERS[current.field(key).ref]
        parent_table = TABLES[parent.key]
        joined = joined.join(parent_table, parent_table.c.id == current_table.c[key])
        current, current_table = parent, parent_table
    return (
        select(table.c.id.label("owner"), current_table.c.street_id.label("street_id"))
        .select_from(joined)
        .where(table.c.id.in_(ids))
    )


__all__ = ["Permissions", "action_for", "masked"]
