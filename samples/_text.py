"""Report text model for the sample generator.

Reports are built from section templates whose ``{slots}`` are filled from one
per-report facts dict. A sentence whose slots are missing (or None) is dropped,
so the same templates serve every unit and period, and a unit's numbers stay
consistent across its reports because they all come from one facts table.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Union

CN_DIGITS = "零一二三四五六七八九"


def cn_int(n: int) -> str:
    """Chinese numeral for 0..99 (二十五), as county offices write small counts."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_DIGITS[tens] + "十"
    return head + (CN_DIGITS[ones] if ones else "")


def cn_count(n: int) -> str:
    """Counting form used before a measure word: 2 is 两 (两家), not 二."""
    return "两" if n == 2 else cn_int(n)


def cn_year(year: int) -> str:
    """二〇二五: the year spelled digit by digit, used in plan headings."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(year))


def wan(n: float) -> str:
    """1.2万 style for large amounts; drops a trailing .0."""
    s = f"{n / 10000:.1f}".rstrip("0").rstrip(".")
    return s + "万"


def pct(done: float, plan: float) -> str:
    """Completion rate as printed in progress tables (83.3%)."""
    return f"{100 * done / plan:.1f}%" if plan else "—"


@dataclass
class TableSpec:
    """A ruled table; ``merge_col0`` merges equal, consecutive labels of column 0 (docx only)."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    merge_col0: bool = False


@dataclass
class Sub:
    """A subsection: optional （一） heading, paragraphs (each a list of sentence templates), a table."""

    title: str | None
    paras: list[list[Tpl]]
    inline: bool = False  # heading printed at the start of the first paragraph, as many offices do
    table: str | None = None  # facts key holding a TableSpec


@dataclass
class Sec:
    """A top-level section (一、...)."""

    title: str
    subs: list[Sub]


Block = tuple[str, Union[str, TableSpec]]  # ("h1"|"h2"|"p"|"table", payload)
Tpl = Union[str, tuple[str, ...]]  # a tuple holds alternative wordings; facts["v"] picks one per unit


@dataclass
class Report:
    """Everything a writer needs; format-neutral so docx and PDF carry the same text."""

    unit: str
    fmt: str  # "docx" | "pdf"
    filename: str
    redhead: str
    docno: str
    title: str
    addressee: str
    blocks: list[Block]
    sign_org: str
    sign_date: str
    author: str
    date: tuple[int, int, int]
    meta: dict[str, Any] = field(default_factory=dict)


_FMT = string.Formatter()


def fill(tpl: Tpl, facts: dict[str, Any]) -> str:
    """Fill one sentence template; empty string when any slot is unknown.

    Alternatives (a tuple) keep different offices from sharing identical boilerplate.
    """
    if isinstance(tpl, tuple):
        tpl = tpl[facts.get("v", 0) % len(tpl)]
    keys = [name for _, name, _, _ in _FMT.parse(tpl) if name]
    if any(facts.get(k) in (None, "") for k in keys):
        return ""
    return tpl.format(**facts)


def render(secs: list[Sec], facts: dict[str, Any], opening: list[Tpl]) -> list[Block]:
    """Turn section templates into numbered blocks, dropping empty parts so numbering stays gapless."""
    blocks: list[Block] = []
    text = "".join(fill(t, facts) for t in opening)
    if text:
        blocks.append(("p", text))
    n1 = 0
    for sec in secs:
        body: list[Block] = []
        n2 = 0
        for sub in sec.subs:
            paras = ["".join(fill(t, facts) for t in p) for p in sub.paras]
            paras = [p for p in paras if p]
            table = facts.get(sub.table) if sub.table else None
            if not paras and table is None:
                continue
            if sub.title:
                n2 += 1
                head = f"（{cn_int(n2)}）{fill(sub.title, facts)}"
                if sub.inline and paras:
                    paras[0] = head + "。" + paras[0]
                else:
                    body.append(("h2", head))
            body.extend(("p", p) for p in paras)
            if table is not None:
                body.append(("table", table))
        if body:
            n1 += 1
            blocks.append(("h1", f"{cn_int(n1)}、{fill(sec.title, facts)}"))
            blocks.extend(body)
    return blocks


# ---------------------------------------------------------------- templates
OPENING_PROGRESS: list[Tpl] = [(
    "{period_full}，{we}按照市城管局、市总工会关于开展2024年南通市“干净城市建设”劳动竞赛的通知"
    "（通城管发〔2024〕18号）要求，把劳动竞赛与环境清洁行动、精细化管理考核统筹推进，"
    "竞赛各项工作总体进展顺利。现将{period_short}进展情况报告如下：",
    "根据市城管局、市总工会《关于开展2024年南通市“干净城市建设”劳动竞赛的通知》（通城管发〔2024〕18号）"
    "精神，{we}把竞赛要求落到设施建设、作业保洁和队伍管理的日常工作中，各项任务稳步推进。"
    "现将{period_full}竞赛开展情况汇报如下：",
    "{period_full}，{we}对照全市“干净城市建设”劳动竞赛要求（通城管发〔2024〕18号），坚持比拼促落实，"
    "竞赛活动与日常环卫管理同步推进、同步考核。现将有关情况报告如下：",
)]

OPENING_ANNUAL = [
    "2024年，{we}认真落实市城管局、市总工会关于“干净城市建设”劳动竞赛的部署要求，以项目建设为抓手、"
    "以环境清洁行动为载体，推动城乡环境卫生面貌持续改善，竞赛任务总体完成。现将全年工作总结如下：",
]

ORGANISE = Sec("压实工作责任，竞赛组织有力有序", [
    Sub(None, [
        ["{mob_date}，{we}召开劳动竞赛动员部署会，印发{plan_doc}，成立由局主要负责同志任组长的竞赛"
         "领导小组，明确竞赛内容、时间节点和评比办法。",
         "{period_short}期间，{we}召开竞赛推进会{meetings}次，组织各作业单位互查互评{cross_checks}次，"
         "对进度滞后的点位逐一挂牌督办。"],
        [("在推进方式上，一是实行清单管理，把年度建设任务分解到具体点位和责任人；二是实行周报制度，"
          "每周五汇总各单位完成情况；三是开展“晒比拼”活动，在工作群中定期通报各作业片区排名。",
          "工作中重点抓好以下机制：一是任务清单机制，年度建设任务逐项明确完成时限；二是调度通报机制，"
          "每周汇总进度、每月通报排名；三是督查问效机制，对滞后事项实行挂牌督办、限期销号。")],
    ]),
])

BUILD_SUBS = [
    Sub("加快中转站提标改造", [[
        ("{we}对照规范运行要求，对城区老旧垃圾中转站实施提标改造，同步更换压缩设备，完善除臭喷淋和渗滤液收集系统。",
         "{we}按照“设备更新、功能完善、环境美化”的思路推进中转站改造，重点解决设备老化、臭气外溢和污水滴漏等问题。"),
        "{ts_text}", "{ts_note}"]], inline=True),
    Sub("推进公厕建设改造", [[
        "{toilet_text}", "{toilet_note}",
        "同步推动沿街机关企事业单位内部厕所对外开放，新增开放单位{open_toilets}家，并在地图软件上标注位置。"]],
        inline=True),
    Sub("整治垃圾桶清运点", [[
        ("针对清运点周边脏乱、桶体满溢、异味扰民等问题，{we}开展清运点专项整治，{bin_text}，"
         "更换破损垃圾桶{bins_replaced}只，清运点周边环境明显改观。",
         "{we}对垃圾桶清运点逐一建档、定期清洗消杀，{bin_text}，更换破损垃圾桶{bins_replaced}只。"),
        "{bin_note}"]], inline=True),
    Sub("完善垃圾分类投放收运设施", [["{sorting_text}", "{sorting_note}"]], inline=True),
    Sub(None, [["{table_intro}"]], table="build_table"),
]

CLEAN_SUBS = [
    Sub(None, [
        [("{clean_span}，{we}以背街小巷、城郊结合部、老旧小区和农贸市场周边为重点，共清理卫生死角{corners}处，"
          "清运垃圾杂物{garbage}吨，出动作业人员{staff}人次、机械车辆{machines}台次。",
          "{clean_span}，{we}深入推进环境清洁行动，聚焦城市“边角地”和群众反映集中的问题点位，累计清理卫生死角"
          "{corners}处，清运各类垃圾杂物{garbage}吨，出动人员{staff}人次、车辆{machines}台次。"), "{campaign_text}"],
        [("城区主次干道实行错时作业，每日凌晨5:00前完成首轮机扫，早高峰前完成重点路段冲洗。",
          "调整道路作业时间，每日凌晨5:00开始机械化清扫，7:30前完成主干道冲洗保洁。"), "{mech_text}"],
        ["{hotline_text}", "{three_pack_text}", "{talks_text}", "{enforce_text}"],
        ["{env_day_text}", "{money_text}"],
    ]),
]

INNOVATE_SUBS = [Sub(None, [["{case_text}"], ["{equip_text}"], ["{reform_text}"], ["{info_text}"]])]

SAFETY_SUBS = [Sub(None, [["{safety_text}", "{accident_text}"], ["{training_text}", "{care_text}", "{festival_text}"]])]

PROGRESS_SECS = [
    ORGANISE,
    Sec("聚焦项目建设，环卫设施加快完善", BUILD_SUBS),
    Sec("深化环境清洁行动，服务质效稳步提升", CLEAN_SUBS),
    Sec("推进创新创优，工作亮点持续涌现", INNOVATE_SUBS),
    Sec("守牢安全底线，关心关爱环卫职工", SAFETY_SUBS),
    Sec("{next_title}", [Sub(None, [["{plan_text}"]])]),
]

ANNUAL_SECS = [
    Sec("主要工作及成效", [
        Sub("项目建设任务全面推进", [s.paras[0] for s in BUILD_SUBS], table="build_table"),
        Sub("环境清洁行动纵深开展", CLEAN_SUBS[0].paras[:1] + CLEAN_SUBS[0].paras[3:]),
        Sub("服务质效持续提升", CLEAN_SUBS[0].paras[1:3]),
        Sub("精细化管理水平持续提高", [["{practice_text}"], ["{practice_text2}"]]),
    ]),
    Sec("创新创优亮点", INNOVATE_SUBS),
    Sec("安全环保和队伍建设", SAFETY_SUBS),
    Sec("存在的不足", [Sub(None, [[
        "一是部分老旧小区分类厢房选址难度较大，个别点位推进偏慢；二是少数作业单位机械化作业水平不高，"
        "精细化保洁与群众期待仍有差距；三是环卫职工老龄化问题较为突出，队伍结构有待优化。"]])]),
    Sec("{next_title}", [Sub(None, [["{plan_text}"]])]),
]

# Extra paragraphs for the benchmark corpus: per street/town, numbers drawn at random.
STREET_TEMPLATES = [
    "{street}对辖区{n_lanes}条背街小巷开展“深度保洁”，清理卫生死角{n_corners}处，清运建筑垃圾和生活杂物{n_tons}吨。",
    "{street}结合老旧小区改造同步推进分类设施建设，新建分类厢房{n_rooms}座，撤并露天垃圾桶点位{n_points}处。",
    "{street}组织物业、社区和作业单位开展联合巡查{n_times}次，发现并整改垃圾满溢、桶体破损等问题{n_issues}处。",
    "{street}对{n_markets}个农贸市场及周边实行“定人、定岗、定责”保洁，日均清运垃圾约{n_daily}吨。",
    "{street}开展河道沿岸和绿化带垃圾清理，出动人员{n_staff}人次，清理漂浮物和白色垃圾{n_tons2}吨。",
    "{street}完成{n_toilets}座公厕的设施维修和适老化改造，更换蹲便器、洗手台等部件{n_parts}件。",
    "{street}督促沿街商户落实“门前三包”责任，上门宣传{n_shops}户，纠正乱堆乱放{n_fixes}处。",
    "{street}在{n_sites}个小区推行定时定点投放，安排督导员{n_guides}名，居民分类准确率提升到{n_rate}%。",
    "{street}对辖区内{n_bins}处垃圾桶清运点进行清洗消杀，整改地面破损、油污渗漏等问题{n_issues2}处。",
    "{street}利用周末组织志愿者开展“洁净家园”行动{n_events}场，参与群众{n_people}余人次。",
    "{street}投入资金{n_money}万元，更新小型电动保洁车{n_carts}辆，背街小巷实现机械化作业。",
    "{street}受理环卫类投诉{n_complaints}件，全部在规定时限内办结，回访满意率{n_sat}%。",
]
