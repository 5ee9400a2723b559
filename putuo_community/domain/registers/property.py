"""Registers of property management: companies, project managers, contracts, credit."""

from __future__ import annotations

from decimal import Decimal

from putuo_community.domain.credit import OBJECTION_STATES
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

CONTRACT_KINDS = ("前期物业服务", "物业服务", "临时物业服务")
PRICING = ("包干制", "酬金制")
FEE_METHODS = ("协商调价", "业主大会表决", "政府指导价调整")
CREDIT_SUBJECTS = ("企业", "项目经理")
CREDIT_BANDS = ("特别严重", "较严重", "轻微", "业绩")
CREDIT_SOURCES = ("巡查", "投诉", "处罚决定书", "街镇建议", "媒体曝光", "其他")

COMPANIES = Register(
    list_fields=("name", "credit_code", "legal_rep", "contact", "contact_phone", "established_on"),
    key="companies",
    label="物业服务企业",
    title_field="name",
    natural_key=("name",),
    fields=(
        text(
            "name",
            "企业名称",
            required=True,
            unique=True,
            width=28,
            synonyms=("物业公司", "物业服务企业", "企业", "公司名称", "物业企业名称"),
        ),
        text(
            "credit_code",
            "统一社会信用代码",
            unique=True,
            width=20,
            max_length=18,
            synonyms=("信用代码", "社会信用代码", "统一代码"),
        ),
        text("address", "注册地址", width=30, synonyms=("地址", "企业地址")),
        text("legal_rep", "法定代表人", width=8, synonyms=("法人", "法人代表")),
        text("contact", "联系人", width=8),
        text("contact_phone", "联系电话", personal=True, width=14, synonyms=("电话", "手机")),
        date_field("established_on", "成立日期"),
        decimal("registered_capital", "注册资本", unit="万元"),
        long_text("note", "备注"),
    ),
)

MANAGERS = Register(
    key="managers",
    label="项目经理",
    title_field="name",
    parent_field="company_id",
    natural_key=("company_id", "name"),
    fields=(
        ref("company_id", "所属企业", "companies", required=True, synonyms=("物业公司", "企业名称")),
        text("name", "姓名", required=True, width=8, synonyms=("项目经理", "项目经理姓名")),
        text("id_number", "身份证号", personal=True, width=20, synonyms=("身份证号码",)),
        text("phone", "联系电话", personal=True, width=14, synonyms=("手机", "手机号")),
        text("certificate_no", "证书编号", width=16),
    ),
)

CONTRACTS = Register(
    list_fields=("estate_id", "company_id", "kind", "pricing", "start_on", "end_on", "filed_on", "fee"),
    key="contracts",
    label="物业服务合同",
    title_field="kind",
    parent_field="estate_id",
    natural_key=("estate_id", "company_id", "start_on"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True, synonyms=("小区名称",)),
        ref("company_id", "物业服务企业", "companies", required=True, width=24, synonyms=("物业公司", "企业名称")),
        choice(
            "kind",
            "合同类型",
            CONTRACT_KINDS,
            required=True,
            width=12,
            choice_synonyms=(
                ("前期", "前期物业服务"),
                ("前期物业", "前期物业服务"),
                ("临时", "临时物业服务"),
                ("物业服务合同", "物业服务"),
            ),
        ),
        choice("pricing", "计费方式", PRICING, width=8, choice_synonyms=(("包干", "包干制"), ("酬金", "酬金制"))),
        date_field("signed_on", "签订日期"),
        date_field("start_on", "开始日期", required=True, synonyms=("合同起", "起始日期", "服务期起")),
        date_field("end_on", "结束日期", synonyms=("合同止", "到期日期", "服务期止")),
        boolean("open_ended", "不定期", note="合同期满未续签、继续提供服务"),
        date_field("filed_on", "网签备案日期", synonyms=("备案日期",)),
        decimal("fee", "物业费", unit="元/㎡·月", width=10, maximum=Decimal(100), synonyms=("收费标准",)),
        date_field("notice_on", "退出告知日期"),
        date_field("terminated_on", "终止日期"),
        long_text("note", "备注"),
    ),
)

FEE_ADJUSTMENTS = Register(
    key="fee_adjustments",
    label="物业费调整",
    title_field="method",
    parent_field="contract_id",
    natural_key=("contract_id", "effective_on"),
    fields=(
        ref("contract_id", "合同", "contracts", required=True),
        date_field("effective_on", "生效日期", required=True),
        decimal("old_fee", "原标准", unit="元/㎡·月", maximum=Decimal(100)),
        decimal("new_fee", "新标准", unit="元/㎡·月", required=True, maximum=Decimal(100)),
        choice("method", "调整方式", FEE_METHODS, width=12),
        boolean("vote_passed", "表决通过"),
        long_text("note", "备注"),
    ),
)

CREDIT_EVENTS = Register(
    list_fields=(
        "company_id",
        "subject",
        "manager_id",
        "estate_id",
        "band",
        "points",
        "act_on",
        "scored_on",
        "source",
        "objection",
        "corrected_on",
    ),
    key="credit_events",
    label="信用记分",
    title_field="description",
    natural_key=("company_id", "manager_id", "act_on", "band", "description"),
    estate_field="estate_id",
    fields=(
        choice(
            "subject",
            "记分对象",
            CREDIT_SUBJECTS,
            required=True,
            width=8,
            choice_synonyms=(("公司", "企业"), ("物业企业", "企业"), ("经理", "项目经理")),
        ),
        ref("company_id", "物业服务企业", "companies", required=True, width=24),
        ref("manager_id", "项目经理", "managers", width=8),
        ref("estate_id", "小区", "estates"),
        choice(
            "band",
            "情形",
            CREDIT_BANDS,
            required=True,
            width=8,
            choice_synonyms=(
                ("特别严重失信", "特别严重"),
                ("较严重失信", "较严重"),
                ("轻微失信", "轻微"),
                ("良好", "业绩"),
                ("表彰", "业绩"),
            ),
        ),
        integer("points", "分值", required=True, unit="分", minimum=Decimal(0), maximum=Decimal(100)),
        date_field("act_on", "行为发生日期", required=True, synonyms=("发生日期",)),
        date_field("discovered_on", "发现日期"),
        date_field("scored_on", "记分日期", required=True, synonyms=("认定日期",)),
        choice("source", "信息来源", CREDIT_SOURCES, width=10),
        long_text("description", "行为描述", required=True, max_length=1000, synonyms=("失信行为", "事由", "内容")),
        text("document_no", "文书编号", width=18, synonyms=("处罚决定书编号", "文号")),
        choice(
            "objection",
            "异议",
            OBJECTION_STATES,
            width=8,
            # Earlier versions' words, and how clerks write the outcome.
            choice_synonyms=(
                ("提出", "已提出"),
                ("受理", "已受理"),
                ("审核中", "已受理"),
                ("核查中", "已受理"),
                ("异议不成立", "维持"),
                ("维持记分", "维持"),
                ("异议成立", "撤销"),
                ("撤销记分", "撤销"),
            ),
            note="提出 → 受理 → 维持（记分不变）或撤销（记分不再计入）；受理后15个工作日内作出决定",
        ),
        date_field("objection_filed_on", "异议提出日期"),
        date_field("objection_accepted_on", "异议受理日期", note="15个工作日的核查期限自受理之日起算"),
        date_field("objection_decided_on", "异议决定日期"),
        date_field(
            "corrected_on",
            "信用修正日期",
            synonyms=("修正日期",),
            note="轻微失信记分满1个月、较严重满3个月后方可修正；特别严重失信行为不得修正",
        ),
    ),
)
