"""Estate names as registers spell them: an exact-match key, and looser keys for near matches.

A near match (弄号, 期, brackets, 一/1) is only ever a suggestion for a person to confirm, never merged silently.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from putuo_community.domain.parsing import FULL_WIDTH_TO_ASCII, chinese_numerals_to_digits, clean_text, street_from_text

_UNIFY = str.maketrans(
    {
        **dict.fromkeys(map(ord, "[【〔{〖"), "("),
        **dict.fromkeys(map(ord, "]】〕}〗"), ")"),
        **dict.fromkeys(map(ord, "—–―~"), "-"),
        **dict.fromkeys(map(ord, ",，"), "、"),
        **dict.fromkeys(map(ord, "\"'“”‘’「」"), None),
        **{c: c - 32 for c in range(ord("a"), ord("z") + 1)},
    }
)


def normalise_estate_name(name: str) -> str:
    """The exact-match key of an estate name: half-width letters and digits, "()" brackets, no spaces.

    "曹杨一村 " = "曹杨一村"; "中远两湾城（一期）" = "中远两湾城(一期)"; 小区 stays (曹杨新村 ≠ 曹杨).
    """
    value = clean_text(name).translate(FULL_WIDTH_TO_ASCII).translate(_UNIFY)
    return "".join(value.split())


class _Step(enum.IntEnum):
    """The loosenings behind near keys; of two equally short ways the one that loses less wins."""

    NUMERALS = 0  # 曹杨一村 ~ 曹杨1村, 真光新村第二小区 ~ 真光新村2小区
    SUFFIX = 1  # 紫腾苑小区
    ADDRESS = 2  # 中山北路2000弄中远两湾城, 桃浦一村(武威路1051弄)
    PHASE = 3  # 阳光威尼斯(一期), 万里一期
    BRACKETS = 4  # 祥和星宇花园(公寓); the last bracket first: 阳光威尼斯(四期)(公寓) → 阳光威尼斯(四期)
    INNER = 5  # 曹杨五村(梅花园) ~ 梅花园


_ROAD = r"[\u4e00-\u9fff]{1,8}?(?:路|街|巷|大道|浜)\d+(?:-\d+)?(?:弄|号)(?:\d+(?:-\d+)?(?:支弄|号))*"
_LEADING_ADDRESS = re.compile(_ROAD + r"(?=[\u4e00-\u9fffA-Z].)")
_TRAILING_ADDRESS = re.compile(r"\(" + _ROAD + r"[^()]*\)$")
_BRACKETED = re.compile(r"\([^()]*\)")
_PHASE = re.compile(r"第?[0-9一二三四五六七八九十]+期(?:[A-Z甲乙丙丁]|[东西南北]区)?")
_LAST_BRACKET = re.compile(r"(.+?)\(([^()]+)\)")
_NUMERAL_AHEAD = "(?=[0-9〇零一二三四五六七八九十])"
# What a bracket says about a part of an estate, not another name for it.
_QUALIFIERS = frozenset(
    {"公寓", "别墅", "住宅", "商铺", "写字楼", "办公", "办公楼", "商业", "酒店式公寓", "高层", "多层", "小高层", "洋房"}
)


def _strip_address(name: str) -> str:
    name = _TRAILING_ADDRESS.sub("", name)
    match = _LEADING_ADDRESS.match(name)
    return name[match.end() :] if match else name


def _strip_brackets(name: str) -> str:
    groups = list(_BRACKETED.finditer(name))
    if not groups:
        return name.split("(")[0].replace(")", "")  # an unclosed bracket at the end
    last = groups[-1]
    return name[: last.start()] + name[last.end() :]


def _strip_phase(name: str) -> str:
    return _PHASE.sub("", name).replace("()", "")


def _strip_suffix(name: str) -> str:
    return name.removesuffix("小区") if len(name) > 3 else name


def _inner_name(name: str) -> str:
    match = _LAST_BRACKET.fullmatch(name)
    if match is None:
        return name
    inner = match.group(2)
    if len(inner) < 3 or inner in _QUALIFIERS or _PHASE.fullmatch(inner):
        return name
    return inner


_CN_NUMERALS = frozenset("〇零一二三四五六七八九十")


def _numerals(name: str) -> str:
    if "第" not in name and _CN_NUMERALS.isdisjoint(name):
        return name  # most names: skip the regular expressions
    return chinese_numerals_to_digits(re.sub("第" + _NUMERAL_AHEAD, "", name))


_STEPS = (
    (_Step.ADDRESS, _strip_address),
    (_Step.PHASE, _strip_phase),
    (_Step.BRACKETS, _strip_brackets),
    (_Step.SUFFIX, _strip_suffix),
    (_Step.INNER, _inner_name),
    (_Step.NUMERALS, _numerals),
)
_MAX_DEPTH = len(_STEPS) + 2

_Steps = frozenset[_Step]


def _rank(steps: _Steps) -> tuple[int, tuple[int, ...]]:
    return len(steps), tuple(sorted(steps))


@functools.lru_cache(maxsize=65536)
def _variants(key: str) -> Mapping[str, _Steps]:
    """Every looser form of a normalised name, with the fewest (then least lossy) loosenings that reach it."""
    found: dict[str, _Steps] = {key: frozenset()}
    if not key:
        return found
    frontier = dict(found)
    for _ in range(_MAX_DEPTH):  # breadth first: the first way found is a shortest one
        reached: dict[str, _Steps] = {}
        for text, steps in frontier.items():
            for step, loosen in _STEPS:
                looser = loosen(text)
                if not looser or looser == text or looser in found:
                    continue
                way = steps | {step}
                if looser not in reached or _rank(way) < _rank(reached[looser]):
                    reached[looser] = way
        if not reached:
            break
        found |= reached
        frontier = reached
    return found


def near_match_keys(name: str) -> frozenset[str]:
    """The keys two spellings of one estate may share: the exact key and each loosened form of it."""
    return frozenset(_variants(normalise_estate_name(name)))


_STRIPPED_WORDS = {_Step.BRACKETS: "括号", _Step.PHASE: "期数", _Step.ADDRESS: "弄号", _Step.SUFFIX: "“小区”"}


def _describe(steps: _Steps) -> str:
    parts = []
    removed = [word for step, word in _STRIPPED_WORDS.items() if step in steps]
    if removed:
        parts.append("去掉" + "、".join(removed) + "后相同")
    if _Step.INNER in steps:
        parts.append("括号内的名称相同")
    if _Step.NUMERALS in steps:
        parts.append("数字写法不同")
    return "名称相近：" + "；".join(parts)


def _best_steps(a: Mapping[str, _Steps], b: Mapping[str, _Steps]) -> _Steps | None:
    best: _Steps | None = None
    for key in a.keys() & b.keys():
        steps = a[key] | b[key]
        if best is None or _rank(steps) < _rank(best):
            best = steps
    return best


def near_match_reason(a: str, b: str) -> str | None:
    """Why two names may be the same estate ("名称相近：去掉括号后相同"); None when exact or not near."""
    key_a, key_b = normalise_estate_name(a), normalise_estate_name(b)
    if not key_a or not key_b or key_a == key_b:
        return None
    steps = _best_steps(_variants(key_a), _variants(key_b))
    return _describe(steps) if steps else None


@functools.lru_cache(maxsize=1024)
def _street_key(street_name: str | None) -> str | None:
    if street_name is None or not street_name.strip():
        return None
    street = street_from_text(street_name)
    return street.name if street else normalise_estate_name(street_name)


EstateRow = tuple[int, str | None, str, Sequence[str]]


@dataclass(frozen=True)
class EstateNameIndex:
    """Every estate's name and aliases, looked up by exact key or near key (dict lookups, no pairwise scan)."""

    # exact key → (estate id, street)
    _exact: Mapping[str, tuple[tuple[int, str | None], ...]] = field(default_factory=dict, repr=False)
    # near key → (estate id, street, the loosenings that turned that estate's name into the key)
    _near: Mapping[str, tuple[tuple[int, str | None, _Steps], ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, estates: Iterable[EstateRow]) -> EstateNameIndex:
        """From (estate_id, street_name, name, aliases) rows; street names in any common spelling."""
        exact: dict[str, list[tuple[int, str | None]]] = {}
        near: dict[str, list[tuple[int, str | None, _Steps]]] = {}
        for estate_id, street_name, name, aliases in estates:
            street = _street_key(street_name)
            for key in {normalise_estate_name(n) for n in (name, *aliases)} - {""}:
                exact.setdefault(key, []).append((estate_id, street))
                for looser, steps in _variants(key).items():
                    near.setdefault(looser, []).append((estate_id, street, steps))
        return cls(
            {k: tuple(v) for k, v in exact.items()},
            {k: tuple(v) for k, v in near.items()},
        )

    def exact(self, street_name: str | None, name: str) -> tuple[int, ...]:
        """Estates whose name or an alias is ``name`` once normalised; street None searches every street."""
        if not self._exact:  # nothing registered yet (a first import): nothing to normalise for
            return ()
        street = _street_key(street_name)
        hits = self._exact.get(normalise_estate_name(name), ())
        return tuple(sorted({i for i, s in hits if street is None or s == street}))

    def near(self, street_name: str | None, name: str) -> tuple[tuple[int, str], ...]:
        """(estate id, reason) for near matches a person should confirm, closest first; exact hits left out."""
        if not self._near:
            return ()
        key = normalise_estate_name(name)
        if not key:
            return ()
        street = _street_key(street_name)
        exact = set(self.exact(street_name, name))
        best: dict[int, _Steps] = {}
        for looser, query_steps in _variants(key).items():
            for estate_id, estate_street, steps in self._near.get(looser, ()):
                if estate_id in exact or (street is not None and estate_street != street):
                    continue
                both = query_steps | steps
                if both and (estate_id not in best or _rank(both) < _rank(best[estate_id])):
                    best[estate_id] = both
        ranked = sorted(best.items(), key=lambda item: (_rank(item[1]), item[0]))
        return tuple((estate_id, _describe(steps)) for estate_id, steps in ranked)


__all__ = [
    "EstateNameIndex",
    "EstateRow",
    "near_match_keys",
    "near_match_reason",
    "normalise_estate_name",
]
