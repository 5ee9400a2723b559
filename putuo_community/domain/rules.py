"""The rules behind every reminder and result, as data: what each watches, the offset or threshold,
the date it produces, and the documents and articles it comes from.

A rule's documents are those of the policy library (`domain.policies`), cited by 序号; from their
validity dates a rule knows the days it applies, and says so when a document has lapsed instead
of being applied silently. A rule marked `local` is the district's own policy (本地口径): its
thresholds are kept in the archive and changed by an administrator, every change in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from putuo_community.domain.policies import Policy, Validity, policy

LOCAL_SOURCE = "普陀区本地管理口径（非公开发布的规定，阈值可配置）"


@dataclass(frozen=True)
class Citation:
    """A document of the policy library by its 序号, and the article(s) cited, e.g. "第二十八条"."""

    policy: int
    article: str = ""

    @property
    def document(self) -> Policy:
        return policy(self.policy)

    @property
    def text(self) -> str:
        return f"{self.document.citation_name}{self.article}"


def cites(*pairs: tuple[int, str]) -> tuple[Citation, ...]:
    return tuple(Citation(number, article) for number, article in pairs)


@dataclass(frozen=True)
class Rule:
    """One rule: a stable code (stored with reminders), a Chinese title, the rule in one sentence,
    and as data what it watches, its offset or threshold, the date it produces and its citations."""

    code: str
    title: str
    text: str
    citations: tuple[Citation, ...] = ()
    watches: str = ""  # the register field or event the rule looks at
    offset: str = ""  # the offset or threshold, as the document states it
    produces: str = ""  # the due date (or the finding) it produces
    local: bool = False  # the district's own policy, not a published rule
    applies_from: date | None = field(default=None, compare=False)  # when later than its documents' start

    @property
    def source(self) -> str:
        """The citation in one line: 《…》（文号）第…条；《…》…, or the local-policy note."""
        if self.local or not self.citations:
            return LOCAL_SOURCE
        return "；".join(c.text for c in self.citations)

    @property
    def documents(self) -> tuple[Policy, ...]:
        return tuple(dict.fromkeys(c.document for c in self.citations))

    def applies_between(self) -> tuple[date | None, date | None]:
        """The first and last day the rule applies (None: open), from its documents' validity."""
        if self.local or not self.citations:
            return self.applies_from, None
        starts = [d.effective_from for d in self.documents]
        first = min((s for s in starts if s is not None), default=None) if None not in starts else None
        if self.applies_from is not None:
            first = max(first, self.applies_from) if first is not None else self.applies_from
        ends = [d.valid_until for d in self.documents]
        last = None if None in ends else max(e for e in ends if e is not None)
        return first, last

    def validity_on(self, day: date) -> Validity:
        """In force while any cited document is; otherwise not yet, to be checked, or expired."""
        if self.local or not self.citations:
            return Validity.IN_FORCE
        states = [d.validity_on(day) for d in self.documents]
        if Validity.IN_FORCE in states:
            first, _ = self.applies_between()
            return Validity.NOT_YET if first is not None and day < first else Validity.IN_FORCE
        if all(s is Validity.NOT_YET for s in states):
            return Validity.NOT_YET
        return Validity.TO_CHECK if Validity.TO_CHECK in states else Validity.EXPIRED

    def validity_note(self, day: date) -> str:
        """Empty while the rule is in force; otherwise why not, document by document."""
        if self.validity_on(day) is Validity.IN_FORCE:
            return ""
        notes = [d.validity_note(day) for d in self.documents]
        return "；".join(n for n in notes if n) or f"本规则自{self.applies_between()[0]}起适用"


# --- 业主大会 / 业委会 -------------------------------------------------------------
FORMATION_DUE = Rule(
    "FORMATION_DUE",
    "成立业主大会",
    "交付使用的建筑面积达到50%以上，或首套房屋交付使用满2年的，应当成立业主大会。",
    cites((1, "第十三条")),
    watches="小区.首次交付日期、交付过半日期",
    offset="交付面积过半，或首次交付满2年",
    produces="具备成立业主大会条件之日",
)
FORMATION_REPORT = Rule(
    "FORMATION_REPORT",
    "报送成立业主大会资料",
    "具备成立业主大会条件之日起30日内，建设单位应当向街镇书面报告并报送筹备首次业主大会会议所需的资料。",
    cites((1, "")),
    watches="小区.首次交付日期、交付过半日期；小区.成立业主大会报告日期",
    offset="具备条件之日起30日",
    produces="书面报告截止日",
)
PREP_GROUP = Rule(
    "PREP_GROUP",
    "组建筹备组",
    "街镇应当在接到成立业主大会的书面报告或业主书面要求后60日内组建筹备组。",
    cites((1, "第十五条")),
    watches="小区.成立业主大会报告日期（未登记时按具备条件之日+30日）",
    offset="报告后60日",
    produces="组建筹备组截止日",
)
FIRST_ASSEMBLY = Rule(
    "FIRST_ASSEMBLY",
    "召开首次业主大会",
    "筹备组应当自成立之日起90日内组织召开首次业主大会会议。",
    cites((1, "第十六条")),
    watches="小区.筹备组成立日期",
    offset="筹备组成立后90日",
    produces="召开首次业主大会截止日",
)
COMMITTEE_SIZE = Rule(
    "COMMITTEE_SIZE",
    "业委会人数",
    "业委会由5人以上单数组成；建筑面积1万平方米以下的小区可以由3人组成。",
    cites((1, "第二十条")),
    watches="业委会届次.委员人数、业委会成员；小区.建筑面积",
    offset="5人以上单数；1万㎡以下可3人",
    produces="人数不符时提示（自任期开始之日起，持续至纠正）",
)
TERM_LENGTH = Rule(
    "TERM_LENGTH",
    "业委会任期",
    "业委会的任期为3年到5年。",
    cites((1, "第二十条")),
    watches="业委会届次.任期开始、任期届满",
    offset="3至5年",
    produces="任期不符时提示",
)
EARLY_REELECTION = Rule(
    "EARLY_REELECTION",
    "提前换届改选",
    "业委会委员人数不足半数或连续6个月未开展工作的，业主大会应当启动提前换届改选程序。",
    cites((1, "第三十二条")),
    watches="业委会届次.委员人数；业委会成员.离任日期（不含候补委员）；业委会运作记录.日期",
    offset="在任委员不足半数，或连续6个月无运作记录",
    produces="不足半数之日（离任日期）；最近运作记录（或任期开始）后满6个月之日",
)
OPERATION = Rule(
    "OPERATION",
    "业委会规范运作",
    "业委会至少每两个月召开一次会议，业主大会每年至少召开一次，业委会每月至少安排一次接待日。",
    cites((1, "第二十六条"), (8, "")),
    watches="业委会运作记录",
    offset="会议每2个月、业主大会每年、接待日每月",
    produces="规范运作达标与否",
)
RENEWAL_REPORT = Rule(
    "RENEWAL_REPORT",
    "换届书面报告",
    "业委会任期届满的5个月前，应当书面报告街镇。",
    cites((1, "第二十八条")),
    watches="业委会届次.任期届满",
    offset="届满前5个月",
    produces="换届书面报告截止日",
)
RENEWAL_GROUP = Rule(
    "RENEWAL_GROUP",
    "组建换届改选小组",
    "街镇应当在收到换届书面报告之日起60日内组建换届改选小组。",
    cites((1, "第二十八条")),
    watches="业委会届次.换届书面报告日期",
    offset="报告后60日",
    produces="组建换届改选小组截止日",
)
SEALS_HANDOVER = Rule(
    "SEALS_HANDOVER",
    "移交印章和档案",
    "业委会应当自换届改选小组成立之日起10日内，将财务凭证、档案资料、印章等移交房管机构保管。",
    cites((1, "第二十九条")),
    watches="业委会届次.换届改选小组成立日期",
    offset="小组成立后10日",
    produces="移交印章资料截止日",
)
RENEWAL_ELECTION = Rule(
    "RENEWAL_ELECTION",
    "换届选举",
    "换届改选小组应当在业委会任期届满前组织召开业主大会会议，选举产生新一届业委会。",
    cites((1, "第二十八条")),
    watches="业委会届次.任期届满",
    offset="届满前",
    produces="换届选举截止日",
)
RENEWAL_FILING = Rule(
    "RENEWAL_FILING",
    "业委会备案",
    "业委会（首届或换届产生的新一届）应当在选举产生后30日内向街镇办理备案手续，街镇在受理后20日内完成备案。",
    cites((1, "第二十三条、第二十九条、第三十四条")),
    watches="业委会届次.换届选举日期（上一届）、选举日期；备案日期、换届备案日期",
    offset="选举后30日",
    produces="备案截止日",
)
RENEWAL_AUDIT = Rule(
    "RENEWAL_AUDIT",
    "换届审计",
    "业委会换届后1个月内应当完成换届财务审计。",
    cites((2, "")),
    watches="业委会届次.换届选举日期（上一届，未填时按本届选举日期）、换届审计日期",
    offset="选举后1个月",
    produces="换届审计截止日",
)

# --- 表决 -----------------------------------------------------------------------
VOTE_PARTICIPATION = Rule(
    "VOTE_PARTICIPATION",
    "表决参与门槛",
    "业主大会会议应当由专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决。",
    cites((0, "第二百七十八条"), (1, "第十八条")),
    watches="表决.参与面积、参与人数",
    offset="双三分之二",
    produces="表决是否有效",
)
VOTE_GENERAL = Rule(
    "VOTE_GENERAL",
    "一般事项表决",
    "使用维修资金、选举业委会、选聘解聘物业服务企业等一般事项，应当经参与表决专有部分面积过半数"
    "且参与表决人数过半数的业主同意。",
    cites((0, "第二百七十八条"), (1, "第十八条")),
    watches="表决.同意面积、同意人数",
    offset="参与表决的双过半数",
    produces="表决是否通过",
)
VOTE_MAJOR = Rule(
    "VOTE_MAJOR",
    "重大事项表决",
    "筹集维修资金、改建重建建筑物及其附属设施、改变共有部分用途或者利用共有部分从事经营活动的，"
    "应当经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意。",
    cites((0, "第二百七十八条"), (1, "第十八条")),
    watches="表决.同意面积、同意人数",
    offset="参与表决的双四分之三",
    produces="表决是否通过",
)
VOTE_LIFT_ADDITION = Rule(
    "VOTE_LIFT_ADDITION",
    "加装电梯意愿征询",
    "加装电梯由本单元业主表决：面积和人数均三分之二以上参与，参与表决的面积和人数均四分之三以上同意。",
    cites((9, "")),
    watches="加装电梯项目.单元表决",
    offset="单元双三分之二参与、双四分之三同意",
    produces="意愿征询是否通过",
)
FULL_SET_START = Rule(
    "FULL_SET_START",
    "成套改造启动",
    "旧住房成套改造应当经80%以上的居民户同意方可启动。",
    cites((13, "")),
    watches="修缮改造项目.同意户数",
    offset="80%",
    produces="能否启动",
)
FULL_SET_SIGNING = Rule(
    "FULL_SET_SIGNING",
    "成套改造协议生效",
    "成套改造协议签约率达到95%以上的，协议生效。",
    cites((13, "")),
    watches="修缮改造项目.签约户数",
    offset="95%",
    produces="协议是否生效",
)

# --- 信用 -----------------------------------------------------------------------
CREDIT_SCORING = Rule(
    "CREDIT_SCORING",
    "失信行为记分",
    "失信行为按特别严重18分、较严重6分、轻微3分记分；自发生之日起超过1年的不予记分。",
    cites((4, "第三条")),
    watches="信用记分.情形、行为发生日期、发现日期",
    offset="18/6/3分；发生超过1年不予记分",
    produces="分值",
)
CREDIT_ACTIVE = Rule(
    "CREDIT_ACTIVE",
    "失信信息公示期",
    "失信信息的公示期限为1年，自该失信行为记分之日起计算；项目经理的失信记分折算计入所属企业。",
    cites((3, "第七条、第十四条")),
    watches="信用记分.记分日期",
    offset="记分后1年",
    produces="记分期满日",
)
CREDIT_CORRECTION = Rule(
    "CREDIT_CORRECTION",
    "失信行为修正",
    "已整改的轻微失信行为记分满1个月、较严重失信行为记分满3个月后可以申请修正；特别严重失信行为不得修正。",
    cites((3, "第十一条")),
    watches="信用记分.记分日期、情形",
    offset="轻微满1个月、较严重满3个月",
    produces="可申请修正之日",
)
CREDIT_OBJECTION = Rule(
    "CREDIT_OBJECTION",
    "失信信息异议",
    "区房管局应当在受理异议申请之日起15个工作日内完成核查；核查期间不影响该失信信息的效力。",
    cites((3, "第十条")),
    watches="信用记分.异议受理日期",
    offset="受理后15个工作日",
    produces="异议核查截止日",
)
CREDIT_WARNING = Rule(
    "CREDIT_WARNING",
    "信用信息预警",
    "按有效失信记分划分红、橙、黄、绿四级预警，阈值可在设置中调整。",
    local=True,
    watches="信用记分.有效记分",
    offset="红、橙、黄、绿阈值（可配置）",
    produces="企业预警等级",
)

# --- 物业服务 -------------------------------------------------------------------
CONTRACT_NOTICE = Rule(
    "CONTRACT_NOTICE",
    "退出物业服务提前告知",
    "物业服务企业决定合同期满后不再服务的，应当在合同期限届满前90日书面告知业主或业委会（不定期合同提前60日）。",
    cites((1, "第四十六条"), (4, "第四条")),
    watches="物业服务合同.结束日期、不定期、退出告知日期",
    offset="届满前90日；不定期合同提前60日",
    produces="退出告知截止日",
)
CONTRACT_FILING = Rule(
    "CONTRACT_FILING",
    "物业服务合同网签备案",
    "物业服务企业应当自签订物业服务合同之日起30日内网签并报街镇（房管机构）备案。",
    cites((1, "第四十四条"), (4, "第五条")),
    watches="物业服务合同.签订日期",
    offset="签订后30日",
    produces="网签备案截止日",
)
TEMP_SERVICE = Rule(
    "TEMP_SERVICE",
    "临时物业服务期限",
    "临时物业服务期限不超过6个月。",
    cites((1, "第五十二条"), (2, "")),
    watches="物业服务合同.合同类型、开始日期、结束日期",
    offset="不超过6个月",
    produces="临时物业服务到期日；结束日期超过开始日期加6个月的不予保存",
)
MANAGER_ESTATES = Rule(
    "MANAGER_ESTATES",
    "项目经理承接项目数",
    "一名项目经理承接的物业管理区域不超过3个。",
    cites((2, ""), (4, "第六条")),
    watches="小区.项目经理",
    offset="不超过3个",
    produces="超出时提示",
)

# --- 电梯 -----------------------------------------------------------------------
LIFT_ASSESSMENT = Rule(
    "LIFT_ASSESSMENT",
    "老旧电梯安全评估",
    "使用满15年的住宅电梯应当进行安全评估：Ⅰ类风险停用整改，Ⅱ类风险落实防控措施。",
    cites((10, "")),
    watches="电梯.投用日期、安全评估日期",
    offset="满15年；满15年前1年内的评估有效",
    produces="安全评估截止日",
)
LIFT_RISK_PLAN = Rule(
    "LIFT_RISK_PLAN",
    "Ⅱ类风险防控方案",
    "安全评估为Ⅱ类风险的电梯，应当制定并落实风险防控方案；方案期限按本区口径在评估后30日内（可调整）。",
    cites((10, "")),
    watches="电梯.风险类别、安全评估日期、风险防控方案日期",
    offset="评估后30日（本地口径）",
    produces="风险防控方案截止日",
)
LIFT_REMOTE_MONITORING = Rule(
    "LIFT_REMOTE_MONITORING",
    "电梯远程监测",
    "2027年底前住宅电梯全部配备远程监测装置。",
    cites((10, "")),
    watches="电梯.远程监测",
    offset="2027-12-31前",
    produces="远程监测截止日",
)
LIFT_PRICE_AUDIT = Rule(
    "LIFT_PRICE_AUDIT",
    "电梯工程审价",
    "电梯修理、改造、更新工程费用超过5万元的，应当进行审价。",
    cites((10, "")),
    watches="电梯.处置费用、审价日期",
    offset="超过5万元（恰为5万元不须）",
    produces="须审价（无截止日，登记审价日期后消除）",
)
LIFT_ADDITION_SUBSIDY = Rule(
    "LIFT_ADDITION_SUBSIDY",
    "加装电梯补贴",
    "加装电梯按施工金额的40%给予补贴，每台最高28万元。",
    cites((9, "")),
    watches="加装电梯项目.施工费用",
    offset="40%，每台最高28万元",
    produces="补贴金额",
)

# --- 维修资金与审计 -------------------------------------------------------------
FUND_TOPUP = Rule(
    "FUND_TOPUP",
    "维修资金续筹",
    "维修资金余额不足首期筹集金额30%的，业主应当再次筹集；规约未约定且90日内未作决定的，应一次性补至首期金额的50%。",
    cites((1, "第六十五条"), (5, "")),
    watches="维修资金.账面余额、首期归集金额",
    offset="余额低于首期30%；90日内续筹",
    produces="续筹截止日",
)
FUND_PUBLICATION = Rule(
    "FUND_PUBLICATION",
    "维修资金账目公布",
    "每年1月底和7月底前公布住宅专项维修资金收支情况。",
    cites((1, "第六十六条"), (5, "")),
    watches="维修资金.账目公布日期",
    offset="每年1月、7月",
    produces="账目公布截止日（1月31日、7月31日）",
)
ANNUAL_AUDIT = Rule(
    "ANNUAL_AUDIT",
    "年度审计",
    "业主大会账户资金及管理责任年度审计（审计期为上年1月1日至12月31日）应当在6月30日前出具报告。",
    cites((7, "")),
    watches="业委会运作记录（类型“审计”）",
    offset="每年6月30日前",
    produces="年度审计报告截止日",
)

ALL_RULES: tuple[Rule, ...] = (
    FORMATION_DUE,
    FORMATION_REPORT,
    PREP_GROUP,
    FIRST_ASSEMBLY,
    COMMITTEE_SIZE,
    TERM_LENGTH,
    EARLY_REELECTION,
    OPERATION,
    RENEWAL_REPORT,
    RENEWAL_GROUP,
    SEALS_HANDOVER,
    RENEWAL_ELECTION,
    RENEWAL_FILING,
    RENEWAL_AUDIT,
    VOTE_PARTICIPATION,
    VOTE_GENERAL,
    VOTE_MAJOR,
    VOTE_LIFT_ADDITION,
    FULL_SET_START,
    FULL_SET_SIGNING,
    CREDIT_SCORING,
    CREDIT_ACTIVE,
    CREDIT_CORRECTION,
    CREDIT_OBJECTION,
    CREDIT_WARNING,
    CONTRACT_NOTICE,
    CONTRACT_FILING,
    TEMP_SERVICE,
    MANAGER_ESTATES,
    LIFT_ASSESSMENT,
    LIFT_RISK_PLAN,
    LIFT_REMOTE_MONITORING,
    LIFT_PRICE_AUDIT,
    LIFT_ADDITION_SUBSIDY,
    FUND_TOPUP,
    FUND_PUBLICATION,
    ANNUAL_AUDIT,
)

RULES_BY_CODE: Mapping[str, Rule] = MappingProxyType({rule.code: rule for rule in ALL_RULES})


def rule_by_code(code: str) -> Rule:
    """The rule stored under ``code`` (e.g. with a reminder); KeyError names the unknown code."""
    try:
        return RULES_BY_CODE[code]
    except KeyError:
        raise KeyError(f"未知的规则代码：{code}") from None
