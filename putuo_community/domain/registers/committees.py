"""Registers of the owners' self-government: 业委会 terms, members and activities."""

from __future__ import annotations

from decimal import Decimal

from putuo_community.domain.fields import (
    Register,
    boolean,
    choice,
    date_field,
    integer,
    long_text,
    ref,
    text,
)
from putuo_community.domain.registers.votes import estate_scope_fields, matter_field, vote_count_fields

TERM_KINDS = ("首届", "换届", "提前换届")
MEMBER_ROLES = ("主任", "副主任", "委员", "候补委员", "秘书")
SEALS = ("无", "业主大会印章", "业委会印章", "财务专用章")
ACTIVITY_KINDS = ("业委会会议", "业主大会", "接待日", "备案", "印章移交", "审计", "其他")

COMMITTEE_TERMS = Register(
    list_fields=(
        "estate_id",
        "term_no",
        "kind",
        "start_on",
        "end_on",
        "seats",
        "filed_on",
        "renewal_report_on",
        "renewal_election_on",
    ),
    key="committee_terms",
    label="业委会届次",
    title_field="term_no",
    parent_field="estate_id",
    natural_key=("estate_id", "term_no"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True, synonyms=("小区名称", "物业管理区域")),
        integer("term_no", "届次", required=True, minimum=Decimal(1), width=6, synonyms=("第几届", "本届届次")),
        choice("kind", "产生方式", TERM_KINDS, width=8, choice_synonyms=(("成立", "首届"), ("换届改选", "换届"))),
        date_field("elected_on", "选举日期", synonyms=("选举产生日期", "业主大会日期")),
        date_field("start_on", "任期开始", required=True, synonyms=("任期起", "任期开始日期", "本届起")),
        date_field("end_on", "任期届满", required=True, synonyms=("任期止", "任期结束", "届满日期", "本届止")),
        integer("seats", "委员人数", unit="人", synonyms=("委员数", "业委会人数")),
        date_field("filed_on", "备案日期", synonyms=("备案时间",)),
        text("filing_no", "备案证明编号", width=16),
        date_field("renewal_report_on", "换届书面报告日期", note="届满前5个月内向街镇书面报告"),
        date_field("renewal_group_on", "换届改选小组成立日期"),
        date_field("seals_handover_on", "印章资料移交日期"),
        date_field("renewal_election_on", "换届选举日期"),
        date_field("renewal_filed_on", "换届备案日期"),
        date_field("renewal_audit_on", "换届审计日期"),
        date_field("dissolved_on", "提前终止日期"),
        # The election's counts (第278条 第三项, 过半数); the verdict is worked out from them.
        *estate_scope_fields(),
        *vote_count_fields(),
        long_text("note", "备注"),
    ),
)

COMMITTEE_MEMBERS = Register(
    key="committee_members",
    label="业委会成员",
    title_field="name",
    parent_field="term_id",
    natural_key=("term_id", "name"),
    fields=(
        ref("term_id", "届次", "committee_terms", required=True),
        text("name", "姓名", required=True, width=8, synonyms=("成员姓名", "委员姓名")),
        choice(
            "role",
            "职务",
            MEMBER_ROLES,
            required=True,
            width=8,
            choice_synonyms=(("业委会主任", "主任"), ("副主任委员", "副主任"), ("成员", "委员"), ("候补", "候补委员")),
        ),
        choice("gender", "性别", ("男", "女"), width=4),
        integer("birth_year", "出生年份", minimum=Decimal(1900), maximum=Decimal(2100)),
        text("id_number", "身份证号", personal=True, width=20, synonyms=("身份证", "身份证号码", "证件号码")),
        text("phone", "联系电话", personal=True, width=14, synonyms=("手机", "手机号", "电话")),
        text("room", "房号", width=14, synonyms=("住址", "房屋坐落", "楼号室号")),
        boolean("party_member", "中共党员", synonyms=("党员", "政治面貌")),
        boolean("related_to_company", "亲属在本区域物业企业任职", note="此类人员不得担任委员"),
        choice("seal", "保管印章", SEALS, width=12),
        date_field("joined_on", "任职日期"),
        date_field("left_on", "离任日期", synonyms=("终止日期",)),
    ),
)

COMMITTEE_ACTIVITIES = Register(
    key="committee_activities",
    label="业委会运作记录",
    title_field="subject",
    parent_field="estate_id",
    natural_key=("estate_id", "kind", "held_on", "subject"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True),
        ref("term_id", "届次", "committee_terms"),
        choice(
            "kind",
            "类型",
            ACTIVITY_KINDS,
            required=True,
            width=10,
            choice_synonyms=(("会议", "业委会会议"), ("例会", "业委会会议"), ("接待", "接待日")),
        ),
        date_field("held_on", "日期", required=True, synonyms=("召开日期", "时间")),
        text("subject", "事项", required=True, width=28, synonyms=("议题", "内容", "主题")),
        integer("attendees", "参加人数", unit="人"),
        # An 业主大会 decision: its matter chooses the rule, its counts give the verdict.
        matter_field(),
        *estate_scope_fields(),
        *vote_count_fields(),
        long_text("note", "备注"),
    ),
)
