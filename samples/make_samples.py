"""Generate realistic, deterministic county progress reports for reportscore.

Default mode writes the committed sample set (12 reports of 4 Nantong units, the
participants list and the scoring inputs) into samples/. ``--corpus N`` writes N
randomised, longer reports for benchmarks (not committed).

    .venv/bin/python samples/make_samples.py                   # committed samples
    .venv/bin/python samples/make_samples.py --corpus 200 --out /tmp/corpus --seed 7

Everything is pinned (seeded RNG, reportlab invariant, fixed docx/xlsx dates and
zip stamps) because reports are keyed by sha256: rerunning must not change bytes.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _facts import SAMPLES, UNITS, derive  # noqa: E402
from _text import (ANNUAL_SECS, OPENING_ANNUAL, OPENING_PROGRESS, PROGRESS_SECS, STREET_TEMPLATES,  # noqa: E402
                   Report, Sec, Sub, TableSpec, cn_count, render, wan)
from _writers import normalize_zip, write_report  # noqa: E402


# ---------------------------------------------------------------- assembling a report
def title_for(org: str, period: str, variant: int = 0) -> str:
    """Report titles vary a little between offices, as they do in practice."""
    if period == "annual":
        return [f"{org}2024年度“干净城市建设”劳动竞赛工作总结", f"{org}2024年度环卫工作总结",
                f"{org}关于2024年度环卫工作的总结报告"][variant % 3]
    return [f"{org}关于2024年{period}月“干净城市建设”劳动竞赛进展情况的报告",
            f"{org}关于{period}月份“干净城市建设”劳动竞赛活动开展情况的汇报"][variant % 2]


def assemble(unit: str, rep: dict[str, Any], facts: dict[str, Any], extra: list[Sec] | None = None,
             variant: int = 0) -> Report:
    """Combine the templates, the facts and the letterhead into one format-neutral Report."""
    annual = rep["period"] == "annual"
    secs = list(ANNUAL_SECS if annual else PROGRESS_SECS)
    if extra:
        secs[-1:-1] = extra  # detail sections go before the plan section, which always ends the report
    blocks = render(secs, facts, OPENING_ANNUAL if annual else OPENING_PROGRESS)
    info = UNITS[unit]
    y, m, d = rep["date"]
    return Report(unit=unit, fmt=rep["fmt"], filename=rep["file"],
                  redhead=info["org"] if rep.get("redhead", True) else "", docno=rep.get("docno", ""),
                  title=rep.get("title") or title_for(info["org"], rep["period"], variant),
                  addressee=rep["addressee"], blocks=blocks, sign_org=info["sign"], sign_date=f"{y}年{m}月{d}日",
                  author=f"{info['sign']}办公室", date=rep["date"], meta={"subject": "干净城市建设劳动竞赛"})


def sample_reports() -> list[Report]:
    """The 12 committed reports; all numbers come from the unit timelines in _facts.SAMPLES."""
    out = []
    for unit, prof in SAMPLES.items():
        for i, rep in enumerate(prof["reports"]):
            out.append(assemble(unit, rep, derive(unit, prof, i), variant=rep.get("title_variant", 0)))
    return out


# ---------------------------------------------------------------- scoring inputs (match the planted facts)
PARTICIPANTS = list(UNITS)

PLAN_TASKS = [  # unit, item, task, target, measure, due
    ("崇川区", "construction.transfer_station", "改造提升垃圾中转站", 6, "座", "2024-10-31"),
    ("崇川区", "construction.toilet", "新建及改造公厕", 20, "座", "2024Q3"),
    ("崇川区", "construction.bin_point", "整治垃圾桶清运点", 60, "处", "2024-09-30"),
    ("崇川区", "construction.sorting", "建设垃圾分类厢房", 30, "座", "2024-10-31"),
    ("海安市", "construction.transfer_station", "改造垃圾中转站", 2, "座", "2024-10-31"),
    ("海安市", "construction.toilet", "改造公厕", 12, "座", "2024-10-31"),
    ("海安市", "construction.bin_point", "整治垃圾桶清运点", 40, "处", "2024Q3"),
    ("海安市", "construction.sorting", "新增垃圾分类投放点", 50, "个", "2024-10-31"),
    ("海安市", "construction.sorting", "购置分类收运车辆", 6, "辆", "2024Q3"),
    ("如东县", "construction.transfer_station", "改造垃圾中转站", 3, "座", "2024Q3"),
    ("如东县", "construction.toilet", "新建公厕", 4, "座", "2024-10-31"),
    ("如东县", "construction.bin_point", "整治垃圾桶清运点", 80, "处", "2024-10-31"),
    ("如东县", "construction.sorting", "建设垃圾分类厢房", 45, "座", "2024-10-31"),
    ("通州区", "construction.transfer_station", "改造垃圾中转站", 4, "座", "2024Q3"),
    ("通州区", "construction.toilet", "改造公厕", 15, "座", "2024-10-31"),
    ("通州区", "construction.sorting", "购置分类收运车辆", 10, "辆", "2024Q3"),
    ("通州区", "construction.bin_point", "整治垃圾桶清运点", 30, "处", "2024-10-31"),
]

CLEAN_INDEX = {  # unit -> index for 2024-05/06, 2024-07/08, 2024-09/10
    "崇川区": (92.4, 93.1, 94.0), "通州区": (90.2, 89.6, 91.3), "海门区": (91.0, 91.8, 92.2),
    "海安市": (93.5, 94.2, 94.8), "如皋市": (89.7, 90.5, 91.1), "如东县": (88.9, 90.1, 90.6),
    "启东市": (90.8, 91.2, 92.5), "南通经济技术开发区": (94.1, 94.6, 95.0),
    "苏锡通科技产业园区": (87.5, 88.9, 89.4), "通州湾示范区": (86.2, 87.7, 88.3),
}

FINDINGS = [  # unit, item, date, description, points
    ("崇川区", "construction.rules", "2024-09-12", "随机抽查学田中转站，渗滤液收集池盖板破损未及时修复", -0.5),
    ("海安市", "construction.rules", "2024-08-21", "随机抽查城东片区垃圾桶清运点，地面油污未清理、桶体外溢", -1),
    ("如东县", "safety.informatization", "2024-10-15", "3辆分类收运车辆定位终端离线，未接入市级监管平台", -2),
    ("通州区", "team", "2024-10-28", "抽查金沙街道作业班组，高温时段错峰作业安排未落实", -2),
    ("通州区", "construction.rules", "2024-09-19", "随机抽查先锋中转站，除臭设备未正常运行", -1.5),
]


def write_inputs(out: Path) -> None:
    """participants.csv and the three scoring inputs, as CSV and as one Excel workbook."""
    import pandas as pd

    with open(out / "participants.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "aliases"])
        for unit in PARTICIPANTS:
            w.writerow([unit, "|".join(UNITS[unit]["aliases"])])
    inp = out / "inputs"
    inp.mkdir(parents=True, exist_ok=True)
    periods = ("2024-05/06", "2024-07/08", "2024-09/10")
    frames = {
        "plan_tasks": pd.DataFrame(PLAN_TASKS, columns=["unit", "item", "task", "target", "measure", "due"]),
        "clean_index": pd.DataFrame([(u, p, v) for u, vals in CLEAN_INDEX.items() for p, v in zip(periods, vals)],
                                    columns=["unit", "period", "index"]),
        "findings": pd.DataFrame(FINDINGS, columns=["unit", "item", "date", "description", "points"]),
    }
    for name, df in frames.items():
        df.to_csv(inp / f"{name}.csv", index=False, lineterminator="\n")
    xlsx = inp / "inputs.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xw:
        for name, df in frames.items():
            df.to_excel(xw, sheet_name=name, index=False)
    normalize_zip(xlsx, datetime(2024, 12, 25, 10, 0, 0))


# ---------------------------------------------------------------- corpus mode
CASE_NAMES = ["环卫作业一网统管", "垃圾分类积分兑换", "环卫驿站+", "小区分类督导员", "城乡环卫一体化", "作业质量第三方考评",
              "公厕所长制", "清运点长效管护", "背街小巷微治理"]
CASE_TPLS = ["{we}“{name}”经验做法被{level}采用。", "{we}“{name}”工作案例入选{level}典型案例。",
             "{we}“{name}”做法被《{paper}》刊发。"]
LEVELS = ["市城管局", "省住建厅", "住建部"]
PAPERS = ["中国建设报", "新华日报", "南通日报"]
MACHINES = ["纯电动洗扫车", "高压冲洗车", "洗地车", "小型冲洗车", "桶装垃圾收集车", "护栏清洗车"]
CAMPAIGNS = ["背街小巷整治", "农贸市场周边整治", "河道沿岸保洁", "老旧小区环境提升", "城乡结合部清理", "公厕服务提升",
             "垃圾分类督导", "建筑垃圾治理", "节假日环境保障", "道路扬尘管控"]
PERIOD_DATES = {"5-6": (2024, 7, 5), "7-8": (2024, 9, 5), "9-10": (2024, 11, 5), "annual": (2024, 12, 20)}


def approx(rng: random.Random, n: int) -> str:
    """Write an amount the ways offices do: exact, 3400余, 近900, 1.2万."""
    style = rng.choice(["exact", "yu", "yu", "jin", "wan"])
    if style == "wan" and n >= 10000:
        return wan(round(n, -3)) + rng.choice(["", "余"])
    mag = 10 ** max(1, len(str(n)) - 2)
    if style == "yu":
        return f"{n // mag * mag}余"
    if style == "jin":
        return f"近{(n // mag + 1) * mag}"
    return str(n)


def money_wan(m: int) -> str:
    """An amount given in 万元, written as 600万元 or 1.2亿元."""
    return f"{m / 10000:.1f}".rstrip("0").rstrip(".") + "亿元" if m >= 10000 else f"{m}万元"


def street_para(rng: random.Random, street: str) -> str:
    """One random per-street paragraph (two or three sentences) with fresh numbers."""
    ri = rng.randint
    vals = dict(street=street, n_lanes=ri(3, 40), n_corners=ri(20, 900), n_tons=approx(rng, ri(30, 3000)),
                n_rooms=ri(1, 25), n_points=ri(2, 40), n_times=ri(2, 30), n_issues=ri(5, 300), n_markets=ri(1, 6),
                n_daily=ri(3, 40), n_staff=approx(rng, ri(100, 3000)), n_tons2=ri(2, 90), n_toilets=ri(1, 15),
                n_parts=ri(10, 400), n_shops=ri(50, 2000), n_fixes=ri(10, 600), n_sites=ri(2, 30),
                n_guides=ri(5, 120), n_rate=ri(80, 98), n_bins=ri(10, 200), n_issues2=ri(3, 90),
                n_events=ri(2, 20), n_people=ri(100, 3000) // 10 * 10, n_money=ri(10, 600), n_carts=ri(2, 20),
                n_complaints=ri(5, 300), n_sat=ri(95, 100))
    sents = [t.format(**vals) for t in rng.sample(STREET_TEMPLATES, rng.choice([2, 3, 3]))]
    # later sentences drop the repeated subject, as writers do ("同时，对辖区…")
    this = "该" + next((k for k in ("街道", "镇", "片区", "社区") if street.endswith(k)), "地")
    return sents[0] + "".join(rng.choice(["", "同时，", "此外，", this]) + s[len(street):] for s in sents[1:])


def corpus_facts(rng: random.Random, unit: str, period: str) -> dict[str, Any]:
    """Random facts for one corpus report, voiced through the same templates as the samples."""
    info, ri = UNITS[unit], rng.randint
    annual = period == "annual"
    cum = {k: ri(lo, hi) for k, (lo, hi) in dict(ts=(0, 8), toilet_reno=(0, 30), toilet_new=(0, 6), bin=(0, 120),
                                                   room=(0, 60), drop=(0, 100), veh=(0, 12)).items()}
    we = info["we"]
    f: dict[str, Any] = dict(
        v=ri(0, 5),
        mob_date=f"{ri(5, 6)}月{ri(1, 28)}日", plan_doc=f"《{unit}“干净城市建设”劳动竞赛实施方案》（{info['abbr']}〔2024〕{ri(5, 60)}号）",
        meetings=ri(1, 8), cross_checks=ri(1, 4), corners=approx(rng, ri(300, 9000)),
        garbage=approx(rng, ri(500, 25000) * (3 if annual else 1)), staff=approx(rng, ri(1000, 40000)),
        machines=approx(rng, ri(200, 6000)), hotline=ri(50, 2000), mech_rate=ri(85, 99), three_pack=ri(100, 3000),
        bins_replaced=ri(20, 1500), open_toilets=ri(1, 30), env_events=ri(1, 12), leaflets=ri(10, 300) * 100,
        talks_cn=cn_count(ri(1, 4)) + "家", deduct=ri(1, 20), train_sessions=ri(1, 16), trainees=ri(40, 1500),
        care_visits=ri(200, 3000), care_money=ri(3, 30), checks=ri(2, 30), hazards=ri(3, 120),
        toilet_money=f"{ri(1, 40) * 50}万元" if rng.random() < 0.5 else None,
        money_text=f"全年投入资金{money_wan(ri(200, 15000))}。" if annual else None,
        case_text=rng.choice(CASE_TPLS).format(we=we, name=rng.choice(CASE_NAMES), level=rng.choice(LEVELS),
                                               paper=rng.choice(PAPERS)) if rng.random() < 0.7 else None,
        equip_text="新购置{}、{}各{}台，提升机械化作业水平。".format(*rng.sample(MACHINES, 2), ri(2, 12)),
        reform_text=f"将{ri(2, 6)}个街道的道路保洁和垃圾收运打包实行市场化运作，按考核结果付费。" if rng.random() < 0.5 else None,
        info_text=f"{ri(30, 300)}辆环卫作业车辆全部安装北斗定位终端并接入智慧环卫平台，实现作业轨迹实时监管。",
        accident_text=rng.choice(["竞赛期间未发生安全生产事故。", "未发生安全生产和环境污染事故。"]),
        next_title="二〇二五年工作计划" if annual else "下一步工作打算",
        plan_text=f"一是计划{'明年' if annual else '年底前'}改造中转站{ri(1, 5)}座、新建公厕{ri(1, 8)}座；"
                  f"二是力争生活垃圾分类覆盖率达到{ri(90, 99)}%以上；三是持续开展环境清洁行动。",
    )
    rows = [(("中转站改造（座）",), "ts"), (("公厕改造（座）",), "toilet_reno"), (("垃圾桶清运点整治（处）",), "bin"),
            (("分类厢房（座）",), "room")]
    table_rows = [(lab, cum[k] + ri(0, 5), cum[k]) for lab, k in rows if cum[k]]
    prof = {"cum": {k: (v,) for k, v in cum.items()},
            "reports": [dict(period=period, facts=f, **({"table": ("项目建设任务完成情况表", ["项目", "计划数", "完成数", "完成率"],
                                                                    table_rows, False)} if table_rows else {}))]}
    return derive(unit, prof, 0)


def corpus_extra(rng: random.Random, unit: str, target_chars: int, facts: dict[str, Any]) -> list[Sec]:
    """Detail sections (per street, per campaign) added until the report reaches its target length."""
    streets = UNITS[unit]["streets"]
    subs = [Sub(s, []) for s in streets] + [Sub(c, []) for c in rng.sample(CAMPAIGNS, rng.randint(3, len(CAMPAIGNS)))]
    size, i = 0, 0
    while size < target_chars:
        sub = subs[i % len(subs)]
        text = street_para(rng, sub.title if sub.title in streets else rng.choice(streets))
        sub.paras.append([text])
        size += len(text)
        i += 1
    half = len(streets)
    rows = [[s, str(rng.randint(50, 900)), str(rng.randint(100, 4000)), str(rng.randint(200, 5000))] for s in streets]
    facts["street_table"] = TableSpec(f"{unit}各街道（镇）环境清洁行动情况统计", ["街道（镇）", "清理卫生死角（处）",
                                      "清运垃圾（吨）", "出动人员（人次）"], rows)
    return [Sec("各街道（镇）工作推进情况", [s for s in subs[:half] if s.paras] + [Sub(None, [], table="street_table")]),
            Sec("专项行动推进情况", [s for s in subs[half:] if s.paras])]


def corpus_report(seed: int, i: int, out: str) -> str:
    """Build and write corpus report ``i``; own RNG per report so workers stay deterministic."""
    rng = random.Random(f"{seed}:{i}")
    unit = rng.choice(PARTICIPANTS)
    period = rng.choice(["5-6", "7-8", "9-10", "annual"])
    fmt = "pdf" if i % 2 else "docx"
    pages = max(3, min(18, round(rng.gauss(9.0, 3.5))))
    per_page = 1000 if fmt == "pdf" else 800
    facts = corpus_facts(rng, unit, period)
    extra = corpus_extra(rng, unit, pages * per_page - 2600, facts)
    name = f"{i:04d}_{unit}_{'2024年度工作总结' if period == 'annual' else f'2024年{period}月劳动竞赛进展情况'}.{fmt}"
    rep = dict(period=period, fmt=fmt, file=name, docno=f"{UNITS[unit]['abbr']}〔2024〕{rng.randint(20, 120)}号",
               date=PERIOD_DATES[period], addressee="市城管局环卫处：")
    write_report(assemble(unit, rep, facts, extra, variant=rng.randint(0, 2)), Path(out))
    return name


def write_corpus(n: int, out: Path, seed: int, jobs: int) -> None:
    """Parallel across reports; each report depends only on (seed, index), so output is stable."""
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as ex:
            names = list(ex.map(corpus_report, [seed] * n, range(n), [str(out)] * n, chunksize=4))
    else:
        names = [corpus_report(seed, i, str(out)) for i in range(n)]
    print(f"wrote {len(names)} reports to {out} in {time.time() - t0:.1f}s")


# ---------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> None:
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output directory (default: samples/)")
    ap.add_argument("--corpus", type=int, metavar="N", help="write N randomised benchmark reports instead")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1), help="worker processes (corpus mode)")
    args = ap.parse_args(argv)
    if args.corpus:
        write_corpus(args.corpus, args.out, args.seed, args.jobs)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    for rep in sample_reports():
        print(write_report(rep, args.out).relative_to(args.out))
    write_inputs(args.out)
    print("participants.csv, inputs/{plan_tasks,clean_index,findings}.csv, inputs/inputs.xlsx")


if __name__ == "__main__":
    main()
