"""Real 普陀 estate names as people spell them, for tests of name matching and of the demo generator.

The full list (962 names from a 2018 listing site) lives in the shared folder beside the
project, which a bare clone does not have and which may not be shipped with the product;
without it the tests run on this smaller sample, written here by hand in the same
spellings (弄号, 期, brackets, 新村 and 街坊), so they always run.
"""

from __future__ import annotations

import csv
from pathlib import Path

SHARED_LIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "putuo-estate-names-2018.csv"
SHARED_LIST_ROWS = 962

SAMPLE = (
    "曹杨一村",
    "曹杨五村(一期)",
    "曹杨五村(二期)",
    "曹杨新村七村",
    "梅川一村",
    "梅川路1100弄",
    "梅岭北路1105弄",
    "中远两湾城一期",
    "中远两湾城三期",
    "中远两湾城(四期)",
    "金沙雅苑",
    "金沙江路1759弄",
    "阳光威尼斯(一期)",
    "阳光威尼斯(三期)",
    "祥和星宇花园",
    "祥和星宇花园(二期)",
    "真光新村四街坊",
    "真光新村八街坊",
    "万里城一街坊",
    "万里城三街坊",
    "武宁小区",
    "武宁路551弄",
    "兰溪路135弄",
    "铜川路1718弄",
    "宜川一村",
    "宜川三村",
    "甘泉新村",
    "长寿新村",
    "中山北路2000弄",
    "桃浦新村",
    "真北路1919弄",
    "清涧一街坊",
    "光新路88弄",
    "管弄新村",
    "长风一村",
    "长风四村",
    "绿洲中环中心",
    "大华清水湾(二期)",
    "大华愉景华庭",
    "兰凤新村",
    "武宁路19号",
    "中山北路1958号",
    "长寿路652号",
    "兰溪大厦",
    "中环大厦",
    "曹杨公寓",
    "宜川公寓",
    "长风大楼",
    "中远两湾城",
    "大华名邸",
    "苏州河湾",
    "梦湖别墅",
    "华东国际",
    "金沙广场",
    "清水湾新都",
    "锦绣华庭",
)


def real_estate_names() -> tuple[list[str], bool]:
    """(names, whether they are the full shared list)."""
    if not SHARED_LIST.exists():
        return list(SAMPLE), False
    with SHARED_LIST.open(encoding="utf-8", newline="") as handle:
        return [row["xiaoqu"] for row in csv.DictReader(handle)], True
