"""Names for the demo data: 普陀's streets, roads and places, people, companies and the words of notes.

Everything is built from fragments with a seeded `random.Random`; no list of real estates is shipped.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from operator import mul

from putuo_community.services.demo.model import DemoRandom

ORDINALS = "一二三四五六七八九十"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _shares(text: str) -> tuple[tuple[str, int], ...]:
    """(word, weight) pairs from 'word:weight word:weight ...'."""
    return tuple((word, int(weight)) for word, weight in (item.rsplit(":", 1) for item in text.split()))


@dataclass(frozen=True)
class StreetProfile:
    """What a 街镇 looks like: its roads and place names and the housing it holds."""

    code: str  # the letters in estate codes, PT-CY-0001
    weight: int  # share of the district's estates
    roads: tuple[str, ...]
    places: tuple[str, ...]
    villages: tuple[str, ...]  # places with numbered 新村: 曹杨一村, 宜川三村
    housing_mix: tuple[tuple[str, int], ...]


def _street(code: str, weight: int, roads: str, places: str, villages: str, mix: str) -> StreetProfile:
    """A profile from space-separated words; the mix reads 售后公房:55 商品房:15 ..."""
    return StreetProfile(code, weight, _words(roads), _words(places), _words(villages), _shares(mix))


# Roads and places are real 普陀 names, grouped by the 街镇 they run through (roughly: long roads cross several).
STREET_PROFILES: dict[str, StreetProfile] = {
    "曹杨": _street(
        "CY", 90,
        "曹杨路 兰溪路 枫桥路 梅岭北路 梅岭南路 杏山路 花溪路 棠浦路 桂巷路 枣阳路 杨柳青路 武宁路 金沙江路 "
        "南石路 北石路 沙溪路",
        "兰溪 枫桥 梅岭 杏山 花溪 棠浦 桂巷 枣阳 杨柳青 南梅 北石 沙溪 杏梅 桐柏 金梅 武宁",
        "曹杨",
        "售后公房:55 直管公房:10 系统公房:8 商品房:15 混合:10 动迁安置房:2",
    ),
    "长风": _street(
        "CF", 105,
        "金沙江路 大渡河路 云岭东路 白玉路 中山北路 泸定路 光复西路 丹巴路 枣阳路 华阴路 白兰路 铜川路 宁夏路",
        "金沙江 大渡河 云岭 白玉 泸定 光复西 丹巴 华阴 白兰 长风 天山 宁夏 中山北",
        "长风",
        "商品房:45 售后公房:30 混合:10 系统公房:5 动迁安置房:5 保障性住房:5",
    ),
    "长寿": _street(
        "CS", 115,
        "长寿路 常德路 西康路 武宁南路 胶州路 昌化路 澳门路 宜昌路 莫干山路 安远路 叶家宅路 光复路 余姚路 "
        "普雄路 江宁路",
        "长寿 常德 西康 胶州 昌化 澳门 宜昌 莫干山 安远 叶家宅 普雄 余姚 小沙渡 苏州河 梦清",
        "长寿",
        "商品房:40 售后公房:25 直管公房:15 混合:12 系统公房:8",
    ),
    "甘泉": _street(
        "GQ", 95,
        "甘泉路 志丹路 子长路 黄陵路 延长西路 南泉路 西乡路 新沪路 灵石路 洛川东路 沪太路 管弄路",
        "甘泉 志丹 子长 黄陵 延长 南泉 西乡 新沪 灵石 洛川 管弄 双山",
        "甘泉 子长",
        "售后公房:55 直管公房:8 系统公房:10 商品房:17 混合:10",
    ),
    "石泉": _street(
        "SQ", 90,
        "石泉路 中潭路 岚皋路 柳园路 光新路 兰凤路 中宁路 宁强路 铜川路 中山北路 延长西路 交通路",
        "石泉 中潭 岚皋 柳园 光新 兰凤 中宁 宁强 铜川 交通 普陀",
        "石泉 光新",
        "售后公房:45 商品房:25 系统公房:10 直管公房:8 混合:12",
    ),
    "宜川": _street(
        "YC", 100,
        "宜川路 中山北路 陕西北路 延长西路 交通路 沪太路 宝昌路 普善路 岚皋路 中江路",
        "宜川 中山北 陕西 延长 交通 沪太 宝昌 普善 岚皋 中江 西宫",
        "宜川 中山北",
        "售后公房:55 商品房:20 直管公房:8 系统公房:7 混合:10",
    ),
    "真如": _street(
        "ZR", 120,
        "真北路 铜川路 梅川路 杏山路 真光路 清涧路 金鼎路 绥德路 兰溪路 曹杨路 大渡河路 真如路 甘泉路",
        "真如 真北 铜川 梅川 杏山 真光 清涧 金鼎 绥德 真西 西宫",
        "真光 清涧",
        "商品房:35 售后公房:30 动迁安置房:15 系统公房:8 混合:12",
    ),
    "万里": _street(
        "WL", 65,
        "真华路 万镇路 新村路 真北路 富平路 交通路 新会路 中环路",
        "万里 真华 新村 万镇 富平 大华 新会 万里城",
        "大华",
        "商品房:50 动迁安置房:20 保障性住房:15 售后公房:10 混合:5",
    ),
    "长征": _street(
        "CZ", 130,
        "梅川路 棕榈路 祁连山南路 同普路 丰宁路 真北路 金沙江路 怒江北路 云岭西路 金通路 大渡河路 清峪路 新曹杨路",
        "长征 梅川 棕榈 祁连山 同普 丰宁 真北 怒江 云岭 金通 清峪 新曹杨 梅岭 金沙江",
        "梅川",
        "商品房:50 动迁安置房:25 保障性住房:8 售后公房:10 混合:7",
    ),
    "桃浦": _street(
        "TP", 90,
        "武威路 古浪路 白丽路 金昌路 桃浦路 桃浦西路 真南路 敦煌路 祁连山路 景泰路 曹安公路 李子园路 绥德路",
        "桃浦 李子园 武威 白丽 金昌 古浪 真南 祁连山 敦煌 新杨 槎浦 杨桥 景泰 绥德",
        "桃浦",
        "动迁安置房:30 商品房:35 售后公房:20 保障性住房:10 混合:5",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class HousingProfile:
    """How estates of one housing type are built, priced and named."""

    years: tuple[int, int, int]  # earliest, latest, most common completion year
    area_per_household: tuple[int, int]  # ㎡
    fee: tuple[int, int]  # 分/㎡·月
    floors: tuple[tuple[int, int], ...]  # (floors, weight)
    buildings: tuple[int, int, int]  # fewest, most, most common
    fund_rate: tuple[int, int]  # 首期维修资金, 元/㎡

    @cached_property
    def floor_choices(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return tuple(f for f, _ in self.floors), tuple(w for _, w in self.floors)


OLD_TYPES = frozenset({"售后公房", "直管公房", "系统公房"})

HOUSING_PROFILES: dict[str, HousingProfile] = {
    "售后公房": HousingProfile(
        (1952, 2000, 1985),
        (45, 72),
        (30, 90),
        ((5, 40), (6, 45), (4, 5), (7, 3), (12, 4), (14, 3)),
        (2, 24, 6),
        (20, 60),
    ),
    "直管公房": HousingProfile(
        (1952, 1990, 1965), (45, 65), (30, 60), ((2, 10), (3, 25), (4, 25), (5, 30), (6, 10)), (2, 16, 4), (15, 40)
    ),
    "系统公房": HousingProfile(
        (1965, 1998, 1988), (48, 75), (35, 80), ((5, 35), (6, 50), (7, 5), (12, 10)), (2, 12, 4), (20, 60)
    ),
    "商品房": HousingProfile(
        (1992, 2024, 2006),
        (80, 138),
        (120, 450),
        ((6, 20), (11, 15), (14, 10), (18, 20), (24, 15), (30, 12), (33, 8)),
        (2, 18, 6),
        (60, 150),
    ),
    "保障性住房": HousingProfile(
        (2008, 2022, 2014), (50, 80), (60, 150), ((11, 20), (14, 25), (18, 30), (25, 25)), (3, 16, 7), (40, 90)
    ),
    "动迁安置房": HousingProfile(
        (1995, 2022, 2008), (60, 95), (50, 160), ((6, 35), (11, 20), (14, 20), (18, 25)), (4, 22, 9), (40, 90)
    ),
    "混合": HousingProfile(
        (1985, 2010, 1998), (55, 110), (60, 220), ((6, 50), (7, 10), (12, 20), (18, 20)), (3, 16, 6), (30, 100)
    ),
}

ELEGANT_WORDS = _words(
    "锦绣 春华 怡景 丽都 名都 阳光 绿洲 明珠 金色 水岸 星宇 香樟 紫荆 海棠 樱花 兰亭 御景 嘉和 瑞丰 和乐 康乐 "
    "春江 月华 长乐 世纪 天地 汇丽 凯旋 祥和 中环 西部 都市 绿地 河滨 滨河 清水湾 时代 泰和 馨雅 华府 春晓 逸景"
)
COMMODITY_SUFFIXES = _shares(
    "苑:18 花园:16 公寓:8 名邸:5 家园:10 城:5 华庭:6 雅苑:6 公馆:4 花苑:8 新苑:6 大厦:3 佳苑:5"
)
RESETTLEMENT_SUFFIXES = _shares("新苑:20 家园:20 新家园:8 佳苑:10 新村:10 雅苑:8 馨苑:10 和苑:6 苑:8")
OLD_SUFFIXES = _shares("新村:30 小区:25 坊:8 街坊:6 第一小区:4 新苑:5 里:3")
FLOWERS = _words("瑞香 海棠 合欢 石榴 红棉 白丽 樱花 杜鹃 迎春 山茶 绿春 雪松 紫荆 和乐 永汇 易居")
PERIODS = ("（一期）", "（二期）", "（三期）", "一期", "二期", "(一期)", "(二期)", "（四期）")
BRACKETS = ("（公寓）", "（别墅）", "（普陀）", "(公寓)", "（东区）", "（西区）", "（南块）", "（北块）")


_WEIGHTED: dict[tuple[tuple[str, int], ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}


def weighted(rng: DemoRandom, options: tuple[tuple[str, int], ...]) -> str:
    """One value of (value, weight) pairs."""
    table = _WEIGHTED.get(options)
    if table is None:
        table = _WEIGHTED[options] = (tuple(v for v, _ in options), tuple(accumulate(w for _, w in options)))
    values, cumulative = table
    return values[bisect_right(cumulative, rng.random() * cumulative[-1])]


def lane_number(rng: DemoRandom) -> int:
    return rng.choice((rng.randint(1, 300), rng.randint(1, 1200), rng.randint(100, 2200)))


@dataclass(frozen=True)
class EstateName:
    name: str
    address: str
    aliases: tuple[str, ...]


def estate_name(
    rng: DemoRandom, profile: StreetProfile, housing_type: str, single: bool, taken: set[str]
) -> EstateName:
    """A name unique in the street, with an address and the other spellings clerks use."""
    for _ in range(12):
        candidate = _estate_name_once(rng, profile, housing_type, single)
        if candidate.name not in taken:
            taken.add(candidate.name)
            return candidate
    road = rng.choice(profile.roads)
    number = lane_number(rng)
    while f"{road}{number}弄" in taken:
        number += 1
    name = f"{road}{number}弄"
    taken.add(name)
    return EstateName(name, name, (name + "小区",))


def _estate_name_once(rng: DemoRandom, profile: StreetProfile, housing_type: str, single: bool) -> EstateName:
    road = rng.choice(profile.roads)
    lane = f"{road}{lane_number(rng)}弄"
    place = rng.choice(profile.places)
    roll = rng.random()
    if single:
        word = rng.choice(("大楼", "公寓", "大厦") if housing_type in OLD_TYPES else ("大厦", "公寓", "名邸"))
        number = f"{road}{rng.randint(1, 1800)}号"
        return EstateName(f"{place}{word}", number, (number,) if roll < 0.6 else ())
    if housing_type in OLD_TYPES or (housing_type == "混合" and roll < 0.5):
        if roll < 0.32 and profile.villages:
            village = rng.choice(profile.villages)
            name = f"{village}{ORDINALS[rng.randint(0, 8)]}村"
            if village == "桃浦" and rng.random() < 0.5:
                return EstateName(f"{name}{rng.choice(FLOWERS)}苑", lane, (name, lane))
            return EstateName(name, lane, (lane,) if rng.random() < 0.5 else ())
        if roll < 0.55:
            return EstateName(lane, lane, (lane + "小区",) if rng.random() < 0.4 else ())
        suffix = weighted(rng, OLD_SUFFIXES)
        if suffix == "街坊":
            suffix = f"{ORDINALS[rng.randint(0, 9)]}街坊"
        elif suffix == "新村" and rng.random() < 0.25:
            suffix = f"新村第{ORDINALS[rng.randint(0, 5)]}小区"
        name = f"{place}{suffix}"
        old_aliases = [lane] if rng.random() < 0.5 else []
        if suffix == "小区" and rng.random() < 0.5:
            old_aliases.append(place + "新村")
        return EstateName(name, lane, tuple(old_aliases))
    if housing_type == "动迁安置房" and roll < 0.75:
        base = f"安居{place}" if rng.random() < 0.2 else place
        name = f"{base}{weighted(rng, RESETTLEMENT_SUFFIXES)}"
        if rng.random() < 0.25:
            name += f"{ORDINALS[rng.randint(0, 3)]}期"
        return EstateName(name, lane, (lane,) if rng.random() < 0.4 else ())
    if housing_type == "保障性住房" and roll < 0.7:
        name = f"{place}{rng.choice(('馨苑', '家园', '和苑', '公寓', '欣苑', '乐苑'))}"
        return EstateName(name, lane, ())
    word = rng.choice(ELEGANT_WORDS)
    suffix = weighted(rng, COMMODITY_SUFFIXES)
    form = rng.random()
    base = f"{place}{word}{suffix}" if form < 0.45 else f"{word}{suffix}" if form < 0.75 else f"{word}{place}{suffix}"
    aliases: list[str] = []
    decoration = rng.random()
    if decoration < 0.14:
        period = rng.choice(PERIODS)
        name = base + period
        aliases.append(base)
        aliases.append(base + period.replace("（", "(").replace("）", ")").strip("()"))
    elif decoration < 0.22:
        bracket = rng.choice(BRACKETS)
        name = base + bracket
        aliases.append(base + bracket.replace("（", "(").replace("）", ")"))
    else:
        name = base
    if rng.random() < 0.3:
        aliases.append(lane)
    return EstateName(name, lane, tuple(a for a in dict.fromkeys(aliases) if a != name))


def neighbourhood_names(rng: DemoRandom, profile: StreetProfile, count: int) -> list[str]:
    """居委会 names of one street: 曹杨一村居委会, 兰溪居委会, 梅岭北居委会 ..."""
    places = list(dict.fromkeys(profile.places))
    first = [f"{v}{ORDINALS[i]}村" for v in profile.villages for i in range(6)] + places
    rng.shuffle(first)
    # Directional names (梅岭北, 梅岭南) only once the plain ones run out, as in a big street.
    spare = [f"{p}{d}" for p in places for d in ("北", "南", "东", "西")]
    rng.shuffle(spare)
    return [f"{name}居委会" for name in (first + spare)[:count]]


# --- people ----------------------------------------------------------------------

SURNAMES = (
    "张王李赵陈刘杨黄周吴徐孙朱马胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# The commonest surnames come first; their weights fall off along the string.
SURNAME_WEIGHTS = tuple(round(1000 / (i + 8)) for i in range(len(SURNAMES)))
_SURNAME_LIST = tuple(SURNAMES)
MALE_GIVEN = _words(
    "建国 国华 伟民 志明 国强 建华 文斌 德明 永康 海明 金龙 根宝 荣生 伟 强 军 斌 杰 磊 勇 俊 伟东 晓东 卫国 "
    "建平 福根 小弟 浩 振华 明 国平 家栋 立新 红兵 宏伟 平 敏 鸣 毅 卫东 林 雪峰 嘉伟 天佑 子豪"
)
FEMALE_GIVEN = _words(
    "秀英 桂英 玉珍 美华 丽华 凤英 素珍 雅琴 慧敏 静 丽 敏 芳 燕 红 萍 霞 雯 琳 佩华 月娥 金凤 彩娣 妹妹 丽萍 "
    "雪芳 晓燕 婷 佳怡 莉 海燕 文娟 美玲 玉兰 建英 小红 蓓蕾 瑛 颖 慧"
)


def person_name(rng: DemoRandom, male: bool) -> str:
    surname = rng.pick(_SURNAME_LIST, SURNAME_WEIGHTS)
    if rng.random() < 0.015:  # a double surname now and then
        surname = rng.choice(("欧阳", "司马", "诸葛", "上官"))
    return surname + rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
SHANGHAI_DIVISIONS = _shares("310107:70 310106:6 310105:5 310108:6 310110:4 310113:5 310104:4")


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of an 18-digit 居民身份证号码."""
    return _ID_CHECK[sum(map(mul, map(int, first17), _ID_WEIGHTS)) % 11]


def id_number(rng: DemoRandom, birth_year: int, male: bool) -> str:
    division = weighted(rng, SHANGHAI_DIVISIONS)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    sequence = rng.randint(0, 49) * 10 + rng.randint(0, 4) * 2 + (1 if male else 0)
    first17 = f"{division}{birth_year:04d}{month:02d}{day:02d}{sequence:03d}"
    return first17 + id_check_char(first17)


MOBILE_PREFIXES = _words(
    "130 131 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 177 180 181 183 185 186 187 188 189 "
    "199 198 173"
)


def mobile(rng: DemoRandom) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"


def landline(rng: DemoRandom) -> str:
    number = f"{rng.choice(('5', '6', '3'))}{rng.randint(0, 9_999_999):07d}"
    return number if rng.random() < 0.4 else f"021-{number}"


# --- companies ---------------------------------------------------------------------

_CORE_FIRST = "华新安佳恒永盛鑫嘉泰德瑞锦宏康丰祥和信荣卓博明中金益正润达欣汇东申普浦长天宝源福隆景"
_CORE_SECOND = "宇城苑丰达诚信泰安茂源盛和邦联融通程宁晟阳辉晖业嘉顺丰润康海川林捷腾"
COMPANY_SUFFIXES = _shares(
    "物业管理有限公司:45 物业服务有限公司:30 物业有限公司:6 物业管理服务有限公司:5 物业服务集团有限公司:5 "
    "置业物业管理有限公司:4 物业服务（上海）有限公司:5"
)


def company_core(rng: DemoRandom) -> str:
    return rng.choice(_CORE_FIRST) + rng.choice(_CORE_SECOND)


def company_name(rng: DemoRandom, taken: set[str]) -> str:
    for attempt in range(40):
        core = company_core(rng)
        if attempt > 20:
            core = rng.choice(("普陀", "沪西", "苏河", "真如", "长风")) + core
        suffix = weighted(rng, COMPANY_SUFFIXES)
        name = f"{core}{suffix}" if suffix.endswith("（上海）有限公司") else f"上海{core}{suffix}"
        if name not in taken:
            taken.add(name)
            return name
    serial = len(taken) + 1
    name = f"上海{company_core(rng)}第{serial}物业管理有限公司"
    taken.add(name)
    return name


def works_company(rng: DemoRandom, kind: str) -> str:
    """A contractor, supervisor or lift maintainer name."""
    endings = {
        "contractor": ("建设工程有限公司", "建筑装饰工程有限公司", "建设（集团）有限公司", "房屋修缮工程有限公司"),
        "supervisor": ("工程监理有限公司", "建设咨询有限公司", "工程管理咨询有限公司"),
        "lift": ("电梯工程有限公司", "电梯安装维修有限公司", "机电设备工程有限公司"),
    }[kind]
    return f"上海{company_core(rng)}{rng.choice(endings)}"


LIFT_MAKES = (
    ("上海三菱电梯有限公司", ("LEHY-III", "LEHY-H", "ELENESSA", "HOPE-II")),
    ("日立电梯（中国）有限公司", ("HGP", "MCA", "UAX")),
    ("奥的斯机电电梯有限公司", ("GeN2", "OH5000", "SkyWay")),
    ("通力电梯有限公司", ("MonoSpace", "MiniSpace", "KONE 3000")),
    ("迅达（中国）电梯有限公司", ("3300", "5500", "7000")),
    ("东芝电梯（中国）有限公司", ("SPACEL", "CV180")),
    ("康力电梯股份有限公司", ("KLK1", "KLK2")),
    ("西子奥的斯电梯有限公司", ("GeN2-MRL", "XO-STAR")),
)

# --- words for notes, events and subjects ---------------------------------------------

CREDIT_DESCRIPTIONS = {
    "特别严重": (
        "擅自撤离物业管理区域、停止物业服务",
        "未经业主大会同意挪用公共收益",
        "消防设施长期失效导致火灾事故扩大",
        "拒不移交物业管理用房和档案资料",
        "发生电梯困人重大安全事故，维保管理严重失职",
    ),
    "较严重": (
        "未按规定移交物业管理资料",
        "消防通道长期堵塞，经责令整改逾期未改正",
        "未按规定公布公共收益收支情况",
        "超出合同约定标准收取物业服务费",
        "二次供水水箱未按规定清洗消毒",
        "退出物业管理区域未提前告知",
    ),
    "轻微": (
        "小区公共区域保洁不到位",
        "未在显著位置公示项目经理信息",
        "投诉处理不及时，超过时限未答复",
        "绿化养护不到位，枯死苗木未补种",
        "电梯维保记录填写不完整",
        "化粪池清掏不及时",
        "未按规定建立和保存物业服务档案",
        "项目经理未按规定在岗",
    ),
    "业绩": (
        "获评区物业服务质量优秀项目",
        "防汛防台工作表现突出，获街镇通报表扬",
        "积极参与美丽家园建设，业主满意度高",
        "疫情防控期间表现突出",
    ),
}
ISSUE_TEXTS = {
    "物业服务": ("保安夜间不在岗", "物业服务态度差，报修无人处理", "物业费收支未公开", "小区门禁长期损坏无人维修"),
    "设施设备": ("楼道灯损坏", "单元门禁故障", "二次供水水压不足", "雨水管破裂渗漏", "监控探头损坏"),
    "消防安全": ("楼道堆物影响疏散", "消防栓无水", "电瓶车楼道内充电", "消防通道被车辆占用", "灭火器过期"),
    "房屋安全": ("外墙面砖脱落", "屋面渗漏", "阳台底板露筋", "楼梯扶手松动", "空调外机支架锈蚀"),
    "电梯": ("电梯经常停运", "电梯困人", "电梯异响", "电梯轿厢照明损坏"),
    "环境卫生": ("垃圾厢房清运不及时", "绿化带有蚊虫滋生", "小区内违规饲养家禽", "楼道小广告乱贴"),
    "停车": ("非机动车乱停放", "外来车辆占用车位", "地面停车收费标准不公开", "充电桩不足"),
    "其他": ("邻里噪声纠纷", "违法搭建", "群租", "装修垃圾乱堆"),
}
ESTATE_NOTES = (
    "部分楼栋为直管公房",
    "原名{place}新村",
    "2019年完成美丽家园建设",
    "与相邻小区共用出入口",
    "有地下车库",
    "沿街商铺另行管理",
    "含部分系统公房",
    "业委会经费由街镇代理记账",
    "历史遗留产证未办结",
    "有老年活动室",
)
