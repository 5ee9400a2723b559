"""The published rules behind every reminder and result, so the UI can say which rule produced it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Rule:
    """One rule: a stable code (stored with reminders), a Chinese title, the rule in one sentence, its source."""

    code: str
    title: str
    text: str
    source: str


# Document names and 文号 as in reference/policies.csv; the 规定 is a 地方性法规 and has no 文号.
_REG = "《上海市住宅物业管理规定》（地方性法规，2023年修正）"
_CIVIL_CODE = "《中华人民共和国民法典》第二百七十八条"
_OPINIONS_2021 = "《关于进一步贯彻实施〈上海市住宅物业管理规定〉的若干意见》（沪房规范〔2021〕6号）"
_CREDIT_MEASURES = "《上海市物业服务企业和项目经理信用信息管理办法》（沪房规范〔2023〕2号）"
_CREDIT_SCORING = "《上海市物业服务企业和项目经理失信行为记分规则》（沪房规范〔2023〕3号）"
_FUND_2024 = "《关于规范本市住宅维修资金管理的若干规定》（沪房规范〔2024〕7号）"
_AUDIT_2025 = "《关于住宅小区业主大会账户资金及管理责任年度审计工作的实施意见》（沪房规范〔2025〕9号）"
_COMMITTEE_2026 = "《关于完善本市住宅小区业主大会、业主委员会规范化建设的实施意见》（沪房物业〔2026〕36号）"
_LIFT_ADDITION = "《关于进一步加强本市既有多层住宅加装电梯全过程管理的若干意见》（沪房更新〔2024〕126号）"
_LIFT_SAFETY = "《关于进一步加强既有住宅电梯使用安全管理工作的实施方案》（沪房物业〔2025〕47号）"
_FULL_SET = "《上海市旧住房成套改造和拆除重建实施管理办法（试行）》（沪房规范〔2023〕1号）"

# --- 业主大会 / 业委会 -------------------------------------------------------------
FORMATION_DUE = Rule(
    "FORMATION_DUE",
    "成立业主大会",
    "交付使用的建筑面积达到50%以上，或首套房屋交付使用满2年的，应当成立业主大会。",
    f"{_REG}第十三条",
)
PREP_GROUP = Rule(
    "PREP_GROUP",
    "组建筹备组",
    "街镇应当在接到成立业主大会的书面报告或业主书面要求后60日内组建筹备组。",
    f"{_REG}第十五条",
)
FIRST_ASSEMBLY = Rule(
    "FIRST_ASSEMBLY",
    "召开首次业主大会",
    "筹备组应当自成立之日起90日内组织召开首次业主大会会议。",
    f"{_REG}第十六条",
)
COMMITTEE_SIZE = Rule(
    "COMMITTEE_SIZE",
    "业委会人数",
    "业委会由5人以上单数组成；建筑面积1万平方米以下的小区可以由3人组成。",
    f"{_REG}第二十条",
)
TERM_LENGTH = Rule(
    "TERM_LENGTH",
    "业委会任期",
    "业委会的任期为3年到5年。",
    f"{_REG}第二十条",
)
EARLY_REELECTION = Rule(
    "EARLY_REELECTION",
    "提前换届改选",
    "业委会委员人数不足半数或连续6个月未开展工作的，业主大会应当启动提前换届改选程序。",
    f"{_REG}第三十二条",
)
OPERATION = Rule(
    "OPERATION",
    "业委会规范运作",
    "业委会至少每两个月召开一次会议，业主大会每年至少召开一次，业委会每月至少安排一次接待日。",
    f"{_REG}第二十六条；{_COMMITTEE_2026}",
)
RENEWAL_REPORT = Rule(
    "RENEWAL_REPORT",
    "换届书面报告",
    "业委会任期届满的5个月前，应当书面报告街镇。",
    f"{_REG}第二十八条",
)
RENEWAL_GROUP = Rule(
    "RENEWAL_GROUP",
    "组建换届改选小组",
    "街镇应当在收到换届书面报告之日起60日内组建换届改选小组。",
    f"{_REG}第二十八条",
)
SEALS_HANDOVER = Rule(
    "SEALS_HANDOVER",
    "移交印章和档案",
    "业委会应当自换届改选小组成立之日起10日内，将财务凭证、档案资料、印章等移交房管机构保管。",
    f"{_REG}第二十九条",
)
RENEWAL_ELECTION = Rule(
    "RENEWAL_ELECTION",
    "换届选举",
    "换届改选小组应当在业委会任期届满前组织召开业主大会会议，选举产生新一届业委会。",
    f"{_REG}第二十八条",
)
RENEWAL_FILING = Rule(
    "RENEWAL_FILING",
    "换届备案",
    "新一届业委会应当在选举产生后30日内向街镇办理备案手续，街镇在受理后20日内完成备案。",
    f"{_REG}第二十三条、第二十九条、第三十四条",
)
RENEWAL_AUDIT = Rule(
    "RENEWAL_AUDIT",
    "换届审计",
    "业委会换届后1个月内应当完成换届财务审计。",
    _OPINIONS_2021,
)

# --- 表决 -----------------------------------------------------------------------
VOTE_PARTICIPATION = Rule(
    "VOTE_PARTICIPATION",
    "表决参与门槛",
    "业主大会会议应当由专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决。",
    f"{_CIVIL_CODE}；{_REG}第十八条",
)
VOTE_GENERAL = Rule(
    "VOTE_GENERAL",
    "一般事项表决",
    "使用维修资金、选举业委会、选聘解聘物业服务企业等一般事项，应当经参与表决专有部分面积过半数"
    "且参与表决人数过半数的业主同意。",
    f"{_CIVIL_CODE}；{_REG}第十八条",
)
VOTE_MAJOR = Rule(
    "VOTE_MAJOR",
    "重大事项表决",
    "筹集维修资金、改建重建建筑物及其附属设施、改变共有部分用途或者利用共有部分从事经营活动的，"
    "应当经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意。",
    f"{_CIVIL_CODE}；{_REG}第十八条",
)
VOTE_LIFT_ADDITION = Rule(
    "VOTE_LIFT_ADDITION",
    "加装电梯意愿征询",
    "加装电梯由本单元业主表决：面积和人数均三分之二以上参与，参与表决的面积和人数均四分之三以上同意。",
    _LIFT_ADDITION,
)
FULL_SET_START = Rule(
    "FULL_SET_START",
    "成套改造启动",
    "旧住房成套改造应当经80%以上的居民户同意方可启动。",
    _FULL_SET,
)
FULL_SET_SIGNING = Rule(
    "FULL_SET_SIGNING",
    "成套改造协议生效",
    "成套改造协议签约率达到95%以上的，协议生效。",
    _FULL_SET,
)

# --- 信用 -----------------------------------------------------------------------
CREDIT_SCORING = Rule(
    "CREDIT_SCORING",
    "失信行为记分",
    "失信行为按特别严重18分、较严重6分、轻微3分记分；自发生之日起超过1年的不予记分。",
    f"{_CREDIT_SCORING}第三条",
)
CREDIT_ACTIVE = Rule(
    "CREDIT_ACTIVE",
    "失信信息公示期",
    "失信信息的公示期限为1年，自该失信行为记分之日起计算；项目经理的失信记分折算计入所属企业。",
    f"{_CREDIT_MEASURES}第七条、第十四条",
)
CREDIT_CORRECTION = Rule(
    "CREDIT_CORRECTION",
    "失信行为修正",
    "已整改的轻微失信行为记分满1个月、较严重失信行为记分满3个月后可以申请修正；特别严重失信行为不得修正。",
    f"{_CREDIT_MEASURES}第十一条",
)
CREDIT_OBJECTION = Rule(
    "CREDIT_OBJECTION",
    "失信信息异议",
    "区房管局应当在受理异议申请之日起15个工作日内完成核查；核查期间不影响该失信信息的效力。",
    f"{_CREDIT_MEASURES}第十条",
)
CREDIT_WARNING = Rule(
    "CREDIT_WARNING",
    "信用信息预警",
    "按有效失信记分划分红、橙、黄、绿四级预警，阈值可在设置中调整。",
    "普陀区本地管理口径（非公开发布的规定，阈值可配置）",
)

# --- 物业服务 -------------------------------------------------------------------
CONTRACT_NOTICE = Rule(
    "CONTRACT_NOTICE",
    "退出物业服务提前告知",
    "物业服务企业决定合同期满后不再服务的，应当在合同期限届满前90日书面告知业主或业委会（不定期合同提前60日）。",
    f"{_REG}第四十六条；{_CREDIT_SCORING}第四条",
)
CONTRACT_FILING = Rule(
    "CONTRACT_FILING",
    "物业服务合同网签备案",
    "物业服务企业应当自签订物业服务合同之日起30日内网签并报街镇（房管机构）备案。",
    f"{_REG}第四十四条；{_CREDIT_SCORING}第五条",
)
TEMP_SERVICE = Rule(
    "TEMP_SERVICE",
    "临时物业服务期限",
    "临时物业服务期限不超过6个月。",
    f"{_REG}第五十二条；{_OPINIONS_2021}",
)
MANAGER_ESTATES = Rule(
    "MANAGER_ESTATES",
    "项目经理承接项目数",
    "一名项目经理承接的物业管理区域不超过3个。",
    f"{_OPINIONS_2021}；{_CREDIT_SCORING}第六条",
)

# --- 电梯 -----------------------------------------------------------------------
LIFT_ASSESSMENT = Rule(
    "LIFT_ASSESSMENT",
    "老旧电梯安全评估",
    "使用满15年的住宅电梯应当进行安全评估：Ⅰ类风险停用整改，Ⅱ类风险落实防控措施。",
    _LIFT_SAFETY,
)
LIFT_REMOTE_MONITORING = Rule(
    "LIFT_REMOTE_MONITORING",
    "电梯远程监测",
    "2027年底前住宅电梯全部配备远程监测装置。",
    _LIFT_SAFETY,
)
LIFT_PRICE_AUDIT = Rule(
    "LIFT_PRICE_AUDIT",
    "电梯工程审价",
    "电梯修理、改造、更新工程费用超过5万元的，应当进行审价。",
    _LIFT_SAFETY,
)
LIFT_ADDITION_SUBSIDY = Rule(
    "LIFT_ADDITION_SUBSIDY",
    "加装电梯补贴",
    "加装电梯按施工金额的40%给予补贴，每台最高28万元。",
    _LIFT_ADDITION,
)

# --- 维修资金与审计 -------------------------------------------------------------
FUND_TOPUP = Rule(
    "FUND_TOPUP",
    "维修资金续筹",
    "维修资金余额不足首期筹集金额30%的，业主应当再次筹集；规约未约定且90日内未作决定的，应一次性补至首期金额的50%。",
    f"{_REG}第六十五条；{_FUND_2024}",
)
FUND_PUBLICATION = Rule(
    "FUND_PUBLICATION",
    "维修资金账目公布",
    "每年1月底和7月底前公布住宅专项维修资金收支情况。",
    f"{_REG}第六十六条；{_FUND_2024}",
)
ANNUAL_AUDIT = Rule(
    "ANNUAL_AUDIT",
    "年度审计",
    "业主大会账户资金及管理责任年度审计（审计期为上年1月1日至12月31日）应当在6月30日前出具报告。",
    _AUDIT_2025,
)

ALL_RULES: tuple[Rule, ...] = (
    FORMATION_DUE,
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
