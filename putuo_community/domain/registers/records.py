"""Registers kept beside an estate's dossier: repair fund, complaints, attachments, history."""

from __future__ import annotations

from putuo_community.domain.fields import (
    Field,
    FieldType,
    Register,
    choice,
    date_field,
    decimal,
    integer,
    long_text,
    ref,
    text,
)

ISSUE_KINDS = ("投诉", "隐患")
ISSUE_SOURCES = ("12345热线", "来访", "巡查", "物业上报", "居委上报", "其他")
ISSUE_CATEGORIES = ("物业服务", "设施设备", "消防安全", "房屋安全", "电梯", "环境卫生", "停车", "其他")
ISSUE_STATES = ("待处理", "处理中", "已办结")
# The kinds of scan a dossier keeps. 会议纪要 and 审计报告 (the 换届审计) stay beside the issue's list.
ATTACHMENT_KINDS = ("备案证明", "合同", "表决结果", "评估报告", "验收报告", "会议纪要", "审计报告", "照片", "其他")
CHANGE_ACTIONS = ("新增", "修改", "删除", "撤销")

FUNDS = Register(
    key="funds",
    label="维修资金",
    title_field="as_of",
    parent_field="estate_id",
    natural_key=("estate_id", "as_of"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True, synonyms=("小区名称",)),
        date_field("as_of", "截至日期", required=True, synonyms=("统计日期", "截止日期", "日期")),
        decimal(
            "initial_amount",
            "首期归集金额",
            unit="元",
            required=True,
            width=16,
            synonyms=("首期金额", "首期归集", "初始金额", "首期维修资金"),
        ),
        decimal("balance", "账面余额", unit="元", required=True, width=16, synonyms=("余额", "当前余额", "结余")),
        decimal("income", "本期收入", unit="元", width=14),
        decimal("expense", "本期支出", unit="元", width=14),
        date_field("published_on", "账目公布日期"),
        date_field("topup_started_on", "续筹启动日期"),
        long_text("note", "备注"),
    ),
)

ESTATE_ISSUES = Register(
    key="estate_issues",
    label="投诉与隐患",
    title_field="description",
    parent_field="estate_id",
    natural_key=("estate_id", "kind", "reported_on", "description"),
    estate_field="estate_id",
    fields=(
        ref("estate_id", "小区", "estates", required=True, synonyms=("小区名称",)),
        choice("kind", "类别", ISSUE_KINDS, required=True, width=6),
        date_field("reported_on", "登记日期", required=True, synonyms=("受理日期", "发现日期")),
        choice(
            "source", "来源", ISSUE_SOURCES, width=10, choice_synonyms=(("热线", "12345热线"), ("12345", "12345热线"))
        ),
        choice("category", "问题分类", ISSUE_CATEGORIES, width=10),
        long_text("description", "问题描述", required=True, max_length=1000, synonyms=("内容", "诉求内容")),
        choice(
            "status",
            "办理状态",
            ISSUE_STATES,
            required=True,
            width=8,
            choice_synonyms=(("已完成", "已办结"), ("办结", "已办结"), ("未处理", "待处理")),
        ),
        date_field("due_on", "办理时限"),
        date_field("closed_on", "办结日期"),
        text("handler", "承办人", width=8),
    ),
)

ATTACHMENTS = Register(
    key="attachments",
    label="附件",
    title_field="title",
    parent_field="estate_id",
    # The same scan twice in one dossier is one attachment; in two dossiers, two (stored once).
    natural_key=("estate_id", "sha256"),
    estate_field="estate_id",
    list_fields=("kind", "title", "dated_on", "file_name", "size_bytes", "added_on"),
    description=(
        "扫描件按内容（SHA-256）存放在数据文件夹的 attachments 中，同一文件只存一份；移除的附件进入回收站，可恢复。"
    ),
    fields=(
        ref("estate_id", "小区", "estates", required=True),
        choice("kind", "附件类型", ATTACHMENT_KINDS, required=True, width=10),
        text("title", "名称", required=True, width=26),
        date_field("dated_on", "文件日期", note="文件上的日期：备案、签订、表决、评估或验收的日期"),
        # The one record of the estate a scan belongs to (at most one of these is filled).
        ref("term_id", "业委会届次", "committee_terms", width=10),
        ref("contract_id", "物业服务合同", "contracts", width=14),
        ref("lift_id", "电梯", "lifts", width=20),
        ref("project_id", "修缮改造项目", "projects", width=20),
        ref("lift_project_id", "加装电梯项目", "lift_projects", width=12),
        long_text("note", "备注"),
        # The file itself, as the program stored it: never typed by a clerk.
        text("file_name", "原文件名", required=True, width=24, max_length=255),
        text("sha256", "SHA-256", required=True, width=16, max_length=64),
        integer("size_bytes", "大小", unit="字节", width=12),
        date_field("added_on", "添加日期", required=True),
        date_field("removed_on", "移入回收站日期", note="有日期的附件在回收站中，不计入档案，可恢复"),
    ),
)

CHANGE_HISTORY = Register(
    key="change_history",
    label="变更记录",
    title_field="record_title",
    estate_field="estate_id",
    reference=True,  # written by the services layer only, never edited
    fields=(
        integer("batch_id", "批次"),
        Field("changed_at", "时间", FieldType.TEXT, required=True, width=20, max_length=32, note="ISO 8601 时间戳"),
        text("user", "操作人", width=10, max_length=64),
        choice("action", "操作", CHANGE_ACTIONS, required=True, width=6),
        text("register", "台账", required=True, width=12, max_length=64),
        integer("record_id", "记录号"),
        text("record_title", "记录", width=20),
        integer("estate_id", "小区号"),
        text("field", "字段", width=14, max_length=64),
        long_text("old_value", "原值", max_length=4000),
        long_text("new_value", "新值", max_length=4000),
    ),
)
