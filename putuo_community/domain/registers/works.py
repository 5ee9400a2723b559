"""Registers of works: renovation projects, lifts and 加装电梯 projects."""

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

PROJECT_KINDS = ("综合修缮", "成套改造", "美丽家园", "专项提升")
PROJECT_STAGES = (
    "申报", "确定实施单位", "科目确认", "公示与业主表决", "实施方案", "招标",
    "开工审核", "施工", "竣工验收", "审价审计", "满意度回访",
)
RISK_CLASSES = ("无", "Ⅱ类", "Ⅰ类")
LIFT_ACTIONS = ("无", "一般修理", "重大修理", "改造", "更新")
ACTION_STATES = ("未启动", "实施中", "已完成")
LIFT_PROJECT_STAGES = (
    "方案", "意愿征询", "费用分摊协议", "设计", "公示", "审批", "施工", "验收", "使用登记",
)

PROJECTS = Register(
    list_fields=("estate_id", "name", "kind", "batch_year", "floor_area", "households", "budget", "stage", "stage_on"),
    key="projects",
    label="修缮改造项目",
    title_field="name",
    parent_field="estate_id",
    natural_key=("estate_id", "name"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True, synonyms=("小区名称", "实施小区")),
        text("name", "项目名称", required=True, width=28, synonyms=("项目",)),
        choice("kind", "项目类型", PROJECT_KINDS, required=True, width=10,
               choice_synonyms=(("旧住房综合修缮", "综合修缮"), ("成套改造", "成套改造"),
                                ("不成套改造", "成套改造"), ("美丽家园建设", "美丽家园"), ("专项", "专项提升"))),
        integer("batch_year", "批次年份", minimum=Decimal(2000), maximum=Decimal(2100), synonyms=("年度", "批次")),
        text("buildings", "涉及楼栋", width=20, synonyms=("实施范围", "楼号")),
        decimal("floor_area", "建筑面积", unit="㎡", synonyms=("修缮面积", "改造面积", "实施面积")),
        integer("households", "户数", unit="户", synonyms=("受益户数",)),
        decimal("budget", "预算", unit="万元", synonyms=("概算", "投资估算", "预算金额")),
        decimal("final_cost", "决算", unit="万元", synonyms=("审定金额", "结算金额")),
        decimal("city_funding", "市级资金", unit="万元"),
        decimal("district_funding", "区级资金", unit="万元"),
        decimal("fund_funding", "维修资金", unit="万元"),
        decimal("owner_funding", "业主自筹", unit="万元"),
        choice("stage", "阶段", PROJECT_STAGES, required=True, width=12,
               choice_synonyms=(("实施单位", "确定实施单位"), ("公示", "公示与业主表决"), ("业主表决", "公示与业主表决"),
                                ("开工", "施工"), ("在建", "施工"), ("竣工", "竣工验收"), ("移交", "竣工验收"),
                                ("审价", "审价审计"), ("审计", "审价审计"), ("回访", "满意度回访"))),
        date_field("stage_on", "进入阶段日期"),
        date_field("applied_on", "申报日期"),
        date_field("started_on", "开工日期"),
        date_field("completed_on", "竣工日期"),
        decimal("consent_rate", "征询同意率", unit="%", maximum=Decimal(100)),
        decimal("signing_rate", "签约率", unit="%", maximum=Decimal(100)),
        decimal("satisfaction_rate", "满意率", unit="%", maximum=Decimal(100)),
        text("contractor", "施工单位", width=24),
        text("supervisor", "监理单位", width=24),
        long_text("note", "备注"),
    ),
)

LIFTS = Register(
    list_fields=("estate_id", "building_id", "registration_code", "make", "first_use_on", "maintainer", "remote_monitoring", "assessed_on", "risk_class", "action"),
    key="lifts",
    label="电梯",
    title_field="registration_code",
    parent_field="estate_id",
    natural_key=("registration_code",),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True, synonyms=("小区名称", "使用地点")),
        ref("building_id", "楼栋", "buildings", width=10),
        ref("unit_id", "单元", "units", width=8),
        text("registration_code", "注册代码", required=True, unique=True, width=22,
             synonyms=("设备注册代码", "电梯注册代码", "注册编码")),
        text("use_cert_no", "使用登记证编号", width=18, synonyms=("使用登记证", "登记证编号")),
        text("make", "制造单位", width=18, synonyms=("品牌", "厂家", "生产厂家")),
        text("model", "型号", width=12),
        integer("stops", "层站", unit="站"),
        date_field("first_use_on", "投用日期", required=True, synonyms=("投入使用日期", "启用日期", "首次使用日期")),
        text("maintainer", "维保单位", width=22, synonyms=("维护保养单位",)),
        date_field("last_inspection_on", "最近检验日期", synonyms=("检验日期", "年检日期")),
        boolean("remote_monitoring", "远程监测", synonyms=("是否安装远程监测", "远程监测装置")),
        date_field("monitoring_on", "监测安装日期"),
        boolean("insured", "已投保", synonyms=("保险", "是否投保")),
        date_field("assessed_on", "安全评估日期", synonyms=("评估日期",)),
        choice("risk_class", "风险类别", RISK_CLASSES, width=8,
               choice_synonyms=(("I类", "Ⅰ类"), ("1类", "Ⅰ类"), ("一类", "Ⅰ类"), ("II类", "Ⅱ类"), ("2类", "Ⅱ类"),
                                ("二类", "Ⅱ类"))),
        choice("action", "处置方式", LIFT_ACTIONS, width=10,
               choice_synonyms=(("大修", "重大修理"), ("修理", "一般修理"), ("整梯更新", "更新"))),
        decimal("action_cost", "处置费用", unit="元"),
        choice("action_status", "处置进度", ACTION_STATES, width=8),
        long_text("note", "备注"),
    ),
)

LIFT_PROJECTS = Register(
    list_fields=("estate_id", "building_id", "unit_id", "stage", "stage_on", "households", "construction_cost", "subsidy"),
    key="lift_projects",
    label="加装电梯项目",
    title_field="stage",
    parent_field="estate_id",
    natural_key=("estate_id", "building_id", "unit_id"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True, synonyms=("小区名称",)),
        ref("building_id", "楼栋", "buildings", required=True, width=10, synonyms=("楼号", "幢号")),
        ref("unit_id", "单元", "units", width=8, synonyms=("单元号",)),
        choice("stage", "阶段", LIFT_PROJECT_STAGES, required=True, width=12,
               choice_synonyms=(("意见征询", "意愿征询"), ("征询", "意愿征询"), ("协议", "费用分摊协议"),
                                ("规划公示", "公示"), ("施工许可", "审批"), ("竣工验收", "验收"),
                                ("已投用", "使用登记"), ("完工", "使用登记"))),
        date_field("stage_on", "进入阶段日期"),
        integer("households", "单元户数", unit="户"),
        decimal("total_area", "单元专有面积", unit="㎡"),
        integer("voting_owners", "参与表决人数", unit="人"),
        decimal("voting_area", "参与表决面积", unit="㎡"),
        integer("agree_owners", "同意人数", unit="人"),
        decimal("agree_area", "同意面积", unit="㎡"),
        decimal("construction_cost", "施工费用", unit="元", synonyms=("工程造价", "施工金额")),
        decimal("subsidy", "财政补贴", unit="元"),
        text("contractor", "施工单位", width=22),
        date_field("started_on", "开工日期"),
        date_field("completed_on", "竣工日期"),
        boolean("remote_monitoring", "远程监测"),
        long_text("note", "备注"),
    ),
)
