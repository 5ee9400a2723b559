"""initial schema: every register

Revision ID: 0001
Revises:
Create Date: 2026-11-23 23:49:57.729338
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "app_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_settings")),
    )
    op.create_table(
        "change_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=400), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_batches")),
    )
    op.create_table(
        "change_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True, comment="批次"),
        sa.Column("changed_at", sa.String(length=32), nullable=False, comment="时间"),
        sa.Column("user", sa.String(length=64), nullable=True, comment="操作人"),
        sa.Column("action", sa.String(length=8), nullable=False, comment="操作"),
        sa.Column("register", sa.String(length=64), nullable=False, comment="台账"),
        sa.Column("record_id", sa.Integer(), nullable=True, comment="记录号"),
        sa.Column("record_title", sa.String(length=200), nullable=True, comment="记录"),
        sa.Column("estate_id", sa.Integer(), nullable=True, comment="小区号"),
        sa.Column("field", sa.String(length=64), nullable=True, comment="字段"),
        sa.Column("old_value", sa.Text(), nullable=True, comment="原值"),
        sa.Column("new_value", sa.Text(), nullable=True, comment="新值"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_history")),
        comment="变更记录",
    )
    with op.batch_alter_table("change_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_history_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_change_history_estate_id"), ["estate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_change_history_register"),
            ["register", "record_id"],
            unique=False,
        )

    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False, comment="企业名称"),
        sa.Column(
            "credit_code",
            sa.String(length=18),
            nullable=True,
            comment="统一社会信用代码",
        ),
        sa.Column("address", sa.String(length=200), nullable=True, comment="注册地址"),
        sa.Column(
            "legal_rep", sa.String(length=200), nullable=True, comment="法定代表人"
        ),
        sa.Column("contact", sa.String(length=200), nullable=True, comment="联系人"),
        sa.Column(
            "contact_phone", sa.String(length=200), nullable=True, comment="联系电话"
        ),
        sa.Column("established_on", sa.Date(), nullable=True, comment="成立日期"),
        sa.Column(
            "registered_capital",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="注册资本",
        ),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_companies_credit_code")),
        sa.UniqueConstraint("name", name=op.f("uq_companies_name")),
        comment="物业服务企业",
    )
    op.create_table(
        "streets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False, comment="街镇名称"),
        sa.Column("short_name", sa.String(length=200), nullable=False, comment="简称"),
        sa.Column("kind", sa.String(length=8), nullable=False, comment="类型"),
        sa.Column("code", sa.String(length=200), nullable=True, comment="区划代码"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streets")),
        sa.UniqueConstraint("name", name=op.f("uq_streets_name")),
        sa.UniqueConstraint("short_name", name=op.f("uq_streets_short_name")),
        comment="街镇",
    )
    op.create_table(
        "managers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False, comment="所属企业"),
        sa.Column("name", sa.String(length=200), nullable=False, comment="姓名"),
        sa.Column(
            "id_number", sa.String(length=200), nullable=True, comment="身份证号"
        ),
        sa.Column("phone", sa.String(length=200), nullable=True, comment="联系电话"),
        sa.Column(
            "certificate_no", sa.String(length=200), nullable=True, comment="证书编号"
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_managers_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_managers")),
        sa.UniqueConstraint(
            "company_id", "name", name=op.f("uq_managers_company_id_name")
        ),
        comment="项目经理",
    )
    with op.batch_alter_table("managers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_managers_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "neighbourhoods",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False, comment="街镇"),
        sa.Column("name", sa.String(length=200), nullable=False, comment="居委会名称"),
        sa.Column("address", sa.String(length=200), nullable=True, comment="办公地址"),
        sa.Column("phone", sa.String(length=200), nullable=True, comment="办公电话"),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_neighbourhoods_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_neighbourhoods")),
        sa.UniqueConstraint(
            "street_id", "name", name=op.f("uq_neighbourhoods_street_id_name")
        ),
        comment="居委会",
    )
    with op.batch_alter_table("neighbourhoods", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_neighbourhoods_street_id"), ["street_id"], unique=False
        )

    op.create_table(
        "estates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=True, comment="小区编码"),
        sa.Column("name", sa.String(length=200), nullable=False, comment="小区名称"),
        sa.Column("street_id", sa.Integer(), nullable=False, comment="街镇"),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=True, comment="居委会"),
        sa.Column("address", sa.String(length=200), nullable=True, comment="地址"),
        sa.Column("boundaries", sa.String(length=200), nullable=True, comment="四至"),
        sa.Column(
            "housing_type", sa.String(length=20), nullable=True, comment="房屋类型"
        ),
        sa.Column("completion_year", sa.Integer(), nullable=True, comment="建成年份"),
        sa.Column("building_count", sa.Integer(), nullable=True, comment="幢数"),
        sa.Column("households", sa.Integer(), nullable=True, comment="户数"),
        sa.Column(
            "floor_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="建筑面积",
        ),
        sa.Column(
            "land_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="占地面积",
        ),
        sa.Column(
            "office_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="物业管理用房面积",
        ),
        sa.Column(
            "management_mode", sa.String(length=16), nullable=True, comment="管理方式"
        ),
        sa.Column("company_id", sa.Integer(), nullable=True, comment="物业服务企业"),
        sa.Column("manager_id", sa.Integer(), nullable=True, comment="项目经理"),
        sa.Column(
            "fee", sa.Numeric(precision=18, scale=2), nullable=True, comment="物业费"
        ),
        sa.Column(
            "has_assembly", sa.Boolean(), nullable=True, comment="已成立业主大会"
        ),
        sa.Column(
            "first_delivery_on", sa.Date(), nullable=True, comment="首次交付日期"
        ),
        sa.Column(
            "half_delivered_on", sa.Date(), nullable=True, comment="交付过半日期"
        ),
        sa.Column("prep_group_on", sa.Date(), nullable=True, comment="筹备组成立日期"),
        sa.Column(
            "first_assembly_on", sa.Date(), nullable=True, comment="首次业主大会日期"
        ),
        sa.Column(
            "agency_bookkeeping", sa.Boolean(), nullable=True, comment="代理记账"
        ),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_estates_company_id_companies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["managers.id"],
            name=op.f("fk_estates_manager_id_managers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_estates_neighbourhood_id_neighbourhoods"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_estates_street_id_streets"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estates")),
        sa.UniqueConstraint("code", name=op.f("uq_estates_code")),
        sa.UniqueConstraint(
            "street_id", "name", name=op.f("uq_estates_street_id_name")
        ),
        comment="小区",
    )
    with op.batch_alter_table("estates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_estates_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_estates_manager_id"), ["manager_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_estates_neighbourhood_id"),
            ["neighbourhood_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_estates_street_id"), ["street_id"], unique=False
        )

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="附件类型"),
        sa.Column("title", sa.String(length=200), nullable=False, comment="名称"),
        sa.Column("file_name", sa.String(length=200), nullable=False, comment="文件名"),
        sa.Column("sha256", sa.String(length=64), nullable=False, comment="SHA-256"),
        sa.Column("size_bytes", sa.Integer(), nullable=True, comment="大小"),
        sa.Column("added_on", sa.Date(), nullable=False, comment="添加日期"),
        sa.Column(
            "related_register", sa.String(length=200), nullable=True, comment="关联台账"
        ),
        sa.Column("related_id", sa.Integer(), nullable=True, comment="关联记录"),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_attachments_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint(
            "estate_id", "sha256", name=op.f("uq_attachments_estate_id_sha256")
        ),
        comment="附件",
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_estate_id"), ["estate_id"], unique=False
        )

    op.create_table(
        "buildings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("number", sa.String(length=200), nullable=False, comment="楼号"),
        sa.Column("address", sa.String(length=200), nullable=True, comment="门牌地址"),
        sa.Column("floors", sa.Integer(), nullable=True, comment="层数"),
        sa.Column("unit_count", sa.Integer(), nullable=True, comment="单元数"),
        sa.Column("households", sa.Integer(), nullable=True, comment="户数"),
        sa.Column(
            "floor_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="建筑面积",
        ),
        sa.Column("completion_year", sa.Integer(), nullable=True, comment="建成年份"),
        sa.Column("structure", sa.String(length=8), nullable=True, comment="结构"),
        sa.Column("has_lift", sa.Boolean(), nullable=True, comment="有电梯"),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_buildings_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
        sa.UniqueConstraint(
            "estate_id", "number", name=op.f("uq_buildings_estate_id_number")
        ),
        comment="楼栋",
    )
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_buildings_estate_id"), ["estate_id"], unique=False
        )

    op.create_table(
        "committee_terms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("term_no", sa.Integer(), nullable=False, comment="届次"),
        sa.Column("kind", sa.String(length=16), nullable=True, comment="产生方式"),
        sa.Column("elected_on", sa.Date(), nullable=True, comment="选举日期"),
        sa.Column("start_on", sa.Date(), nullable=False, comment="任期开始"),
        sa.Column("end_on", sa.Date(), nullable=False, comment="任期届满"),
        sa.Column("seats", sa.Integer(), nullable=True, comment="委员人数"),
        sa.Column("filed_on", sa.Date(), nullable=True, comment="备案日期"),
        sa.Column(
            "filing_no", sa.String(length=200), nullable=True, comment="备案证明编号"
        ),
        sa.Column(
            "renewal_report_on", sa.Date(), nullable=True, comment="换届书面报告日期"
        ),
        sa.Column(
            "renewal_group_on", sa.Date(), nullable=True, comment="换届改选小组成立日期"
        ),
        sa.Column(
            "seals_handover_on", sa.Date(), nullable=True, comment="印章资料移交日期"
        ),
        sa.Column(
            "renewal_election_on", sa.Date(), nullable=True, comment="换届选举日期"
        ),
        sa.Column("renewal_filed_on", sa.Date(), nullable=True, comment="换届备案日期"),
        sa.Column("renewal_audit_on", sa.Date(), nullable=True, comment="换届审计日期"),
        sa.Column("dissolved_on", sa.Date(), nullable=True, comment="提前终止日期"),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_committee_terms_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_terms")),
        sa.UniqueConstraint(
            "estate_id", "term_no", name=op.f("uq_committee_terms_estate_id_term_no")
        ),
        comment="业委会届次",
    )
    with op.batch_alter_table("committee_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_terms_estate_id"), ["estate_id"], unique=False
        )

    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("company_id", sa.Integer(), nullable=False, comment="物业服务企业"),
        sa.Column("kind", sa.String(length=24), nullable=False, comment="合同类型"),
        sa.Column("pricing", sa.String(length=12), nullable=True, comment="计费方式"),
        sa.Column("signed_on", sa.Date(), nullable=True, comment="签订日期"),
        sa.Column("start_on", sa.Date(), nullable=False, comment="开始日期"),
        sa.Column("end_on", sa.Date(), nullable=True, comment="结束日期"),
        sa.Column("open_ended", sa.Boolean(), nullable=True, comment="不定期"),
        sa.Column("filed_on", sa.Date(), nullable=True, comment="网签备案日期"),
        sa.Column(
            "fee", sa.Numeric(precision=18, scale=2), nullable=True, comment="物业费"
        ),
        sa.Column("notice_on", sa.Date(), nullable=True, comment="退出告知日期"),
        sa.Column("terminated_on", sa.Date(), nullable=True, comment="终止日期"),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_contracts_company_id_companies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_contracts_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint(
            "estate_id",
            "company_id",
            "start_on",
            name=op.f("uq_contracts_estate_id_company_id_start_on"),
        ),
        comment="物业服务合同",
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contracts_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contracts_estate_id"), ["estate_id"], unique=False
        )

    op.create_table(
        "credit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False, comment="记分对象"),
        sa.Column("company_id", sa.Integer(), nullable=False, comment="物业服务企业"),
        sa.Column("manager_id", sa.Integer(), nullable=True, comment="项目经理"),
        sa.Column("estate_id", sa.Integer(), nullable=True, comment="小区"),
        sa.Column("band", sa.String(length=16), nullable=False, comment="情形"),
        sa.Column("points", sa.Integer(), nullable=False, comment="分值"),
        sa.Column("act_on", sa.Date(), nullable=False, comment="行为发生日期"),
        sa.Column("discovered_on", sa.Date(), nullable=True, comment="发现日期"),
        sa.Column("scored_on", sa.Date(), nullable=False, comment="记分日期"),
        sa.Column("source", sa.String(length=20), nullable=True, comment="信息来源"),
        sa.Column("description", sa.Text(), nullable=False, comment="行为描述"),
        sa.Column(
            "document_no", sa.String(length=200), nullable=True, comment="文书编号"
        ),
        sa.Column("objection", sa.String(length=20), nullable=True, comment="异议"),
        sa.Column(
            "objection_filed_on", sa.Date(), nullable=True, comment="异议提出日期"
        ),
        sa.Column("corrected_on", sa.Date(), nullable=True, comment="信用修正日期"),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_credit_events_company_id_companies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_credit_events_estate_id_estates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["managers.id"],
            name=op.f("fk_credit_events_manager_id_managers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_events")),
        comment="信用记分",
    )
    with op.batch_alter_table("credit_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credit_events_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_credit_events_estate_id"), ["estate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_credit_events_manager_id"), ["manager_id"], unique=False
        )

    op.create_table(
        "estate_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("alias", sa.String(length=200), nullable=False, comment="别名"),
        sa.Column("source", sa.String(length=16), nullable=True, comment="来源"),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_estate_aliases_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estate_aliases")),
        sa.UniqueConstraint(
            "estate_id", "alias", name=op.f("uq_estate_aliases_estate_id_alias")
        ),
        comment="小区别名",
    )
    with op.batch_alter_table("estate_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_estate_aliases_estate_id"), ["estate_id"], unique=False
        )

    op.create_table(
        "estate_issues",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("kind", sa.String(length=8), nullable=False, comment="类别"),
        sa.Column("reported_on", sa.Date(), nullable=False, comment="登记日期"),
        sa.Column("source", sa.String(length=28), nullable=True, comment="来源"),
        sa.Column("category", sa.String(length=16), nullable=True, comment="问题分类"),
        sa.Column("description", sa.Text(), nullable=False, comment="问题描述"),
        sa.Column("status", sa.String(length=12), nullable=False, comment="办理状态"),
        sa.Column("due_on", sa.Date(), nullable=True, comment="办理时限"),
        sa.Column("closed_on", sa.Date(), nullable=True, comment="办结日期"),
        sa.Column("handler", sa.String(length=200), nullable=True, comment="承办人"),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_estate_issues_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estate_issues")),
        sa.UniqueConstraint(
            "estate_id",
            "kind",
            "reported_on",
            "description",
            name=op.f("uq_estate_issues_estate_id_kind_reported_on_description"),
        ),
        comment="投诉与隐患",
    )
    with op.batch_alter_table("estate_issues", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_estate_issues_estate_id"), ["estate_id"], unique=False
        )

    op.create_table(
        "funds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("as_of", sa.Date(), nullable=False, comment="截至日期"),
        sa.Column(
            "initial_amount",
            sa.Numeric(precision=18, scale=2),
            nullable=False,
            comment="首期归集金额",
        ),
        sa.Column(
            "balance",
            sa.Numeric(precision=18, scale=2),
            nullable=False,
            comment="账面余额",
        ),
        sa.Column(
            "income",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="本期收入",
        ),
        sa.Column(
            "expense",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="本期支出",
        ),
        sa.Column("published_on", sa.Date(), nullable=True, comment="账目公布日期"),
        sa.Column("topup_started_on", sa.Date(), nullable=True, comment="续筹启动日期"),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_funds_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funds")),
        sa.UniqueConstraint(
            "estate_id", "as_of", name=op.f("uq_funds_estate_id_as_of")
        ),
        comment="维修资金",
    )
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_funds_estate_id"), ["estate_id"], unique=False
        )

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("name", sa.String(length=200), nullable=False, comment="项目名称"),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="项目类型"),
        sa.Column("batch_year", sa.Integer(), nullable=True, comment="批次年份"),
        sa.Column(
            "buildings", sa.String(length=200), nullable=True, comment="涉及楼栋"
        ),
        sa.Column(
            "floor_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="建筑面积",
        ),
        sa.Column("households", sa.Integer(), nullable=True, comment="户数"),
        sa.Column(
            "budget", sa.Numeric(precision=18, scale=2), nullable=True, comment="预算"
        ),
        sa.Column(
            "final_cost",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="决算",
        ),
        sa.Column(
            "city_funding",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="市级资金",
        ),
        sa.Column(
            "district_funding",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="区级资金",
        ),
        sa.Column(
            "fund_funding",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="维修资金",
        ),
        sa.Column(
            "owner_funding",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="业主自筹",
        ),
        sa.Column("stage", sa.String(length=28), nullable=False, comment="阶段"),
        sa.Column("stage_on", sa.Date(), nullable=True, comment="进入阶段日期"),
        sa.Column("applied_on", sa.Date(), nullable=True, comment="申报日期"),
        sa.Column("started_on", sa.Date(), nullable=True, comment="开工日期"),
        sa.Column("completed_on", sa.Date(), nullable=True, comment="竣工日期"),
        sa.Column(
            "consent_rate",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="征询同意率",
        ),
        sa.Column(
            "signing_rate",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="签约率",
        ),
        sa.Column(
            "satisfaction_rate",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="满意率",
        ),
        sa.Column(
            "contractor", sa.String(length=200), nullable=True, comment="施工单位"
        ),
        sa.Column(
            "supervisor", sa.String(length=200), nullable=True, comment="监理单位"
        ),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_projects_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint(
            "estate_id", "name", name=op.f("uq_projects_estate_id_name")
        ),
        comment="修缮改造项目",
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projects_estate_id"), ["estate_id"], unique=False
        )

    op.create_table(
        "committee_activities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("term_id", sa.Integer(), nullable=True, comment="届次"),
        sa.Column("kind", sa.String(length=20), nullable=False, comment="类型"),
        sa.Column("held_on", sa.Date(), nullable=False, comment="日期"),
        sa.Column("subject", sa.String(length=200), nullable=False, comment="事项"),
        sa.Column("attendees", sa.Integer(), nullable=True, comment="参加人数"),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_committee_activities_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["committee_terms.id"],
            name=op.f("fk_committee_activities_term_id_committee_terms"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_activities")),
        sa.UniqueConstraint(
            "estate_id",
            "kind",
            "held_on",
            "subject",
            name=op.f("uq_committee_activities_estate_id_kind_held_on_subject"),
        ),
        comment="业委会运作记录",
    )
    with op.batch_alter_table("committee_activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_activities_estate_id"), ["estate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_committee_activities_term_id"), ["term_id"], unique=False
        )

    op.create_table(
        "committee_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False, comment="届次"),
        sa.Column("name", sa.String(length=200), nullable=False, comment="姓名"),
        sa.Column("role", sa.String(length=16), nullable=False, comment="职务"),
        sa.Column("gender", sa.String(length=4), nullable=True, comment="性别"),
        sa.Column("birth_year", sa.Integer(), nullable=True, comment="出生年份"),
        sa.Column(
            "id_number", sa.String(length=200), nullable=True, comment="身份证号"
        ),
        sa.Column("phone", sa.String(length=200), nullable=True, comment="联系电话"),
        sa.Column("room", sa.String(length=200), nullable=True, comment="房号"),
        sa.Column("party_member", sa.Boolean(), nullable=True, comment="中共党员"),
        sa.Column(
            "related_to_company",
            sa.Boolean(),
            nullable=True,
            comment="亲属在本区域物业企业任职",
        ),
        sa.Column("seal", sa.String(length=24), nullable=True, comment="保管印章"),
        sa.Column("joined_on", sa.Date(), nullable=True, comment="任职日期"),
        sa.Column("left_on", sa.Date(), nullable=True, comment="离任日期"),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["committee_terms.id"],
            name=op.f("fk_committee_members_term_id_committee_terms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_members")),
        sa.UniqueConstraint(
            "term_id", "name", name=op.f("uq_committee_members_term_id_name")
        ),
        comment="业委会成员",
    )
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_members_term_id"), ["term_id"], unique=False
        )

    op.create_table(
        "fee_adjustments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False, comment="合同"),
        sa.Column("effective_on", sa.Date(), nullable=False, comment="生效日期"),
        sa.Column(
            "old_fee",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="原标准",
        ),
        sa.Column(
            "new_fee",
            sa.Numeric(precision=18, scale=2),
            nullable=False,
            comment="新标准",
        ),
        sa.Column("method", sa.String(length=28), nullable=True, comment="调整方式"),
        sa.Column("vote_passed", sa.Boolean(), nullable=True, comment="表决通过"),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_fee_adjustments_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_adjustments")),
        sa.UniqueConstraint(
            "contract_id",
            "effective_on",
            name=op.f("uq_fee_adjustments_contract_id_effective_on"),
        ),
        comment="物业费调整",
    )
    with op.batch_alter_table("fee_adjustments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fee_adjustments_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False, comment="楼栋"),
        sa.Column("number", sa.String(length=200), nullable=False, comment="单元号"),
        sa.Column("floors", sa.Integer(), nullable=True, comment="层数"),
        sa.Column("households", sa.Integer(), nullable=True, comment="户数"),
        sa.Column(
            "exclusive_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="专有面积",
        ),
        sa.Column("has_lift", sa.Boolean(), nullable=True, comment="有电梯"),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_units_building_id_buildings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint(
            "building_id", "number", name=op.f("uq_units_building_id_number")
        ),
        comment="单元",
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_units_building_id"), ["building_id"], unique=False
        )

    op.create_table(
        "lift_projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("building_id", sa.Integer(), nullable=False, comment="楼栋"),
        sa.Column("unit_id", sa.Integer(), nullable=True, comment="单元"),
        sa.Column("stage", sa.String(length=24), nullable=False, comment="阶段"),
        sa.Column("stage_on", sa.Date(), nullable=True, comment="进入阶段日期"),
        sa.Column("households", sa.Integer(), nullable=True, comment="单元户数"),
        sa.Column(
            "total_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="单元专有面积",
        ),
        sa.Column("voting_owners", sa.Integer(), nullable=True, comment="参与表决人数"),
        sa.Column(
            "voting_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="参与表决面积",
        ),
        sa.Column("agree_owners", sa.Integer(), nullable=True, comment="同意人数"),
        sa.Column(
            "agree_area",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="同意面积",
        ),
        sa.Column(
            "construction_cost",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="施工费用",
        ),
        sa.Column(
            "subsidy",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="财政补贴",
        ),
        sa.Column(
            "contractor", sa.String(length=200), nullable=True, comment="施工单位"
        ),
        sa.Column("started_on", sa.Date(), nullable=True, comment="开工日期"),
        sa.Column("completed_on", sa.Date(), nullable=True, comment="竣工日期"),
        sa.Column("remote_monitoring", sa.Boolean(), nullable=True, comment="远程监测"),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_lift_projects_building_id_buildings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_lift_projects_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_lift_projects_unit_id_units"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lift_projects")),
        comment="加装电梯项目",
    )
    with op.batch_alter_table("lift_projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lift_projects_building_id"), ["building_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lift_projects_estate_id"), ["estate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lift_projects_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "lifts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("estate_id", sa.Integer(), nullable=False, comment="小区"),
        sa.Column("building_id", sa.Integer(), nullable=True, comment="楼栋"),
        sa.Column("unit_id", sa.Integer(), nullable=True, comment="单元"),
        sa.Column(
            "registration_code",
            sa.String(length=200),
            nullable=False,
            comment="注册代码",
        ),
        sa.Column(
            "use_cert_no",
            sa.String(length=200),
            nullable=True,
            comment="使用登记证编号",
        ),
        sa.Column("make", sa.String(length=200), nullable=True, comment="制造单位"),
        sa.Column("model", sa.String(length=200), nullable=True, comment="型号"),
        sa.Column("stops", sa.Integer(), nullable=True, comment="层站"),
        sa.Column("first_use_on", sa.Date(), nullable=False, comment="投用日期"),
        sa.Column(
            "maintainer", sa.String(length=200), nullable=True, comment="维保单位"
        ),
        sa.Column(
            "last_inspection_on", sa.Date(), nullable=True, comment="最近检验日期"
        ),
        sa.Column("remote_monitoring", sa.Boolean(), nullable=True, comment="远程监测"),
        sa.Column("monitoring_on", sa.Date(), nullable=True, comment="监测安装日期"),
        sa.Column("insured", sa.Boolean(), nullable=True, comment="已投保"),
        sa.Column("assessed_on", sa.Date(), nullable=True, comment="安全评估日期"),
        sa.Column("risk_class", sa.String(length=8), nullable=True, comment="风险类别"),
        sa.Column("action", sa.String(length=16), nullable=True, comment="处置方式"),
        sa.Column(
            "action_cost",
            sa.Numeric(precision=18, scale=2),
            nullable=True,
            comment="处置费用",
        ),
        sa.Column(
            "action_status", sa.String(length=12), nullable=True, comment="处置进度"
        ),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_lifts_building_id_buildings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["estate_id"],
            ["estates.id"],
            name=op.f("fk_lifts_estate_id_estates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_lifts_unit_id_units"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lifts")),
        sa.UniqueConstraint(
            "registration_code", name=op.f("uq_lifts_registration_code")
        ),
        comment="电梯",
    )
    with op.batch_alter_table("lifts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lifts_building_id"), ["building_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lifts_estate_id"), ["estate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lifts_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("lifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lifts_unit_id"))
        batch_op.drop_index(batch_op.f("ix_lifts_estate_id"))
        batch_op.drop_index(batch_op.f("ix_lifts_building_id"))

    op.drop_table("lifts")
    with op.batch_alter_table("lift_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lift_projects_unit_id"))
        batch_op.drop_index(batch_op.f("ix_lift_projects_estate_id"))
        batch_op.drop_index(batch_op.f("ix_lift_projects_building_id"))

    op.drop_table("lift_projects")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_building_id"))

    op.drop_table("units")
    with op.batch_alter_table("fee_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_adjustments_contract_id"))

    op.drop_table("fee_adjustments")
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_members_term_id"))

    op.drop_table("committee_members")
    with op.batch_alter_table("committee_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_activities_term_id"))
        batch_op.drop_index(batch_op.f("ix_committee_activities_estate_id"))

    op.drop_table("committee_activities")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_estate_id"))

    op.drop_table("projects")
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funds_estate_id"))

    op.drop_table("funds")
    with op.batch_alter_table("estate_issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_estate_issues_estate_id"))

    op.drop_table("estate_issues")
    with op.batch_alter_table("estate_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_estate_aliases_estate_id"))

    op.drop_table("estate_aliases")
    with op.batch_alter_table("credit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_events_manager_id"))
        batch_op.drop_index(batch_op.f("ix_credit_events_estate_id"))
        batch_op.drop_index(batch_op.f("ix_credit_events_company_id"))

    op.drop_table("credit_events")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_estate_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_company_id"))

    op.drop_table("contracts")
    with op.batch_alter_table("committee_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_terms_estate_id"))

    op.drop_table("committee_terms")
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buildings_estate_id"))

    op.drop_table("buildings")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_estate_id"))

    op.drop_table("attachments")
    with op.batch_alter_table("estates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_estates_street_id"))
        batch_op.drop_index(batch_op.f("ix_estates_neighbourhood_id"))
        batch_op.drop_index(batch_op.f("ix_estates_manager_id"))
        batch_op.drop_index(batch_op.f("ix_estates_company_id"))

    op.drop_table("estates")
    with op.batch_alter_table("neighbourhoods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_neighbourhoods_street_id"))

    op.drop_table("neighbourhoods")
    with op.batch_alter_table("managers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_managers_company_id"))

    op.drop_table("managers")
    op.drop_table("streets")
    op.drop_table("companies")
    with op.batch_alter_table("change_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_history_register"))
        batch_op.drop_index(batch_op.f("ix_change_history_estate_id"))
        batch_op.drop_index(batch_op.f("ix_change_history_batch_id"))

    op.drop_table("change_history")
    op.drop_table("change_batches")
    op.drop_table("app_settings")
