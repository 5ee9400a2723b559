"""Registers of places: 街镇, 居委会, 小区 and their aliases, 楼栋, 单元."""

from __future__ import annotations

from decimal import Decimal

from putuo_community.domain.fields import (
    Register,
    boolean,
    choice,
    date_field,
    decimal,
    integer,
    long_text,
    ref,
    text,
)

HOUSING_TYPES = ("商品房", "售后公房", "直管公房", "系统公房", "保障性住房", "动迁安置房", "混合")
MANAGEMENT_MODES = ("物业企业", "自管", "居委兜底")
STRUCTURES = ("砖混", "钢混", "框架", "砖木", "其他")

STREETS = Register(
    key="streets",
    label="街镇",
    title_field="name",
    natural_key=("name",),
    reference=True,
    fields=(
        text("name", "街镇名称", required=True, unique=True, synonyms=("街镇", "街道", "街道（镇）", "所属街镇")),
        text("short_name", "简称", required=True, unique=True, width=8),
        choice("kind", "类型", ("街道", "镇"), required=True, width=6),
        text("code", "区划代码", width=12),
    ),
)

NEIGHBOURHOODS = Register(
    key="neighbourhoods",
    label="居委会",
    title_field="name",
    parent_field="street_id",
    natural_key=("street_id", "name"),
    fields=(
        ref("street_id", "街镇", "streets", required=True, synonyms=("所属街镇", "街道", "街道（镇）")),
        text("name", "居委会名称", required=True, synonyms=("居委会", "居委", "所属居委", "居民委员会")),
        text("address", "办公地址", width=24),
        text("phone", "办公电话", width=14),
    ),
)

ESTATES = Register(
    summary_fields=(
        "code",
        "address",
        "housing_type",
        "completion_year",
        "building_count",
        "households",
        "floor_area",
        "management_mode",
        "company_id",
        "manager_id",
        "fee",
        "has_assembly",
    ),
    list_fields=(
        "code",
        "name",
        "street_id",
        "neighbourhood_id",
        "housing_type",
        "completion_year",
        "building_count",
        "households",
        "floor_area",
        "management_mode",
        "company_id",
        "fee",
        "has_assembly",
    ),
    key="estates",
    is_estate=True,
    label="小区",
    title_field="name",
    natural_key=("street_id", "name"),
    estate_field="",
    description="小区（物业管理区域）基本信息",
    fields=(
        text("code", "小区编码", unique=True, width=12, synonyms=("编码", "小区代码", "小区编号")),
        text(
            "name",
            "小区名称",
            required=True,
            width=22,
            synonyms=("小区", "小区名", "物业管理区域", "物业管理区域名称", "项目名称", "住宅小区名称"),
        ),
        ref(
            "street_id",
            "街镇",
            "streets",
            required=True,
            width=10,
            synonyms=("所属街镇", "街道", "街道（镇）", "街道/镇"),
        ),
        ref("neighbourhood_id", "居委会", "neighbourhoods", width=12, synonyms=("所属居委", "居委", "所属居委会")),
        text("address", "地址", width=28, synonyms=("小区地址", "坐落", "坐落地址", "门牌地址")),
        text("boundaries", "四至", width=24, synonyms=("四至范围",)),
        choice(
            "housing_type",
            "房屋类型",
            HOUSING_TYPES,
            width=10,
            choice_synonyms=(
                ("售后房", "售后公房"),
                ("商品住宅", "商品房"),
                ("动迁房", "动迁安置房"),
                ("保障房", "保障性住房"),
                ("混合型", "混合"),
                ("直管公房（不成套）", "直管公房"),
            ),
            synonyms=("房屋性质", "住宅类型", "小区类型"),
        ),
        integer(
            "completion_year",
            "建成年份",
            minimum=Decimal(1900),
            maximum=Decimal(2100),
            synonyms=("建成年代", "竣工年份", "建造年代", "竣工时间"),
        ),
        integer("building_count", "幢数", unit="幢", synonyms=("楼栋数", "总幢数", "建筑总栋数")),
        integer("households", "户数", unit="户", synonyms=("总户数", "住户数", "房屋数量")),
        decimal("floor_area", "建筑面积", unit="㎡", width=14, synonyms=("总建筑面积", "住宅建筑面积")),
        decimal("land_area", "占地面积", unit="㎡", width=14),
        decimal("office_area", "物业管理用房面积", unit="㎡", synonyms=("物业用房", "物业管理用房")),
        choice(
            "management_mode",
            "管理方式",
            MANAGEMENT_MODES,
            width=10,
            choice_synonyms=(
                ("物业公司", "物业企业"),
                ("专业物业", "物业企业"),
                ("业主自管", "自管"),
                ("临时物业", "居委兜底"),
                ("居委托管", "居委兜底"),
            ),
        ),
        ref(
            "company_id",
            "物业服务企业",
            "companies",
            width=24,
            synonyms=("物业公司", "物业企业", "物业服务企业名称", "物管公司"),
        ),
        ref("manager_id", "项目经理", "managers", width=10),
        decimal(
            "fee",
            "物业费",
            unit="元/㎡·月",
            width=10,
            decimals=2,
            maximum=Decimal(100),
            synonyms=("物业服务费", "收费标准", "物业费标准", "物管费"),
        ),
        boolean("has_assembly", "已成立业主大会", synonyms=("业主大会", "是否成立业主大会", "业主大会成立情况")),
        date_field("first_delivery_on", "首次交付日期"),
        date_field("half_delivered_on", "交付过半日期", note="交付面积达到建筑面积50%的日期"),
        date_field(
            "formation_report_on",
            "成立业主大会报告日期",
            note="建设单位向街镇书面报告并报送筹备资料的日期（筹备组在其后60日内组建）",
            synonyms=("筹备资料报送日期", "书面报告日期"),
        ),
        date_field("prep_group_on", "筹备组成立日期"),
        date_field("first_assembly_on", "首次业主大会日期"),
        boolean("agency_bookkeeping", "代理记账", synonyms=("是否代理记账",)),
        long_text("note", "备注"),
    ),
)

ESTATE_ALIASES = Register(
    key="estate_aliases",
    label="小区别名",
    title_field="alias",
    parent_field="estate_id",
    natural_key=("estate_id", "alias"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True),
        text("alias", "别名", required=True, width=22, note="弄号、分期、曾用名等其他写法"),
        choice("source", "来源", ("手工", "导入确认", "曾用名"), width=8),
    ),
)

BUILDINGS = Register(
    key="buildings",
    label="楼栋",
    title_field="number",
    parent_field="estate_id",
    natural_key=("estate_id", "number"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True, synonyms=("小区名称", "所属小区")),
        text("number", "楼号", required=True, width=10, synonyms=("幢号", "楼栋号", "门牌号", "楼幢")),
        text("address", "门牌地址", width=24),
        integer("floors", "层数", unit="层", synonyms=("地上层数", "总层数")),
        integer("unit_count", "单元数", unit="个"),
        integer("households", "户数", unit="户"),
        decimal("floor_area", "建筑面积", unit="㎡"),
        integer("completion_year", "建成年份", minimum=Decimal(1900), maximum=Decimal(2100)),
        choice("structure", "结构", STRUCTURES, width=8, choice_synonyms=(("混合", "砖混"), ("钢筋混凝土", "钢混"))),
        boolean("has_lift", "有电梯", synonyms=("是否有电梯", "电梯")),
    ),
)

UNITS = Register(
    key="units",
    label="单元",
    title_field="number",
    parent_field="building_id",
    natural_key=("building_id", "number"),
    fields=(
        ref("building_id", "楼栋", "buildings", required=True),
        text("number", "单元号", required=True, width=8, synonyms=("单元",)),
        integer("floors", "层数", unit="层"),
        integer("households", "户数", unit="户"),
        decimal("exclusive_area", "专有面积", unit="㎡", note="表决按专有面积计"),
        boolean("has_lift", "有电梯"),
    ),
)
