"""Per-unit facts behind the sample reports, and the phrase templates that voice them.

Each sample unit has one timeline of cumulative counts (one value per report, in
report order); every report reads its numbers from that timeline, which is what
keeps a unit's reports consistent with each other (and lets us plant exactly one
deliberate inconsistency: 如东县's 分类厢房 count falls from 46 to 41).
"""
from __future__ import annotations

from typing import Any

from _text import TableSpec, fill, pct

UNITS: dict[str, dict[str, Any]] = {
    "崇川区": dict(org="南通市崇川区城市管理局", sign="崇川区城市管理局", we="我区", abbr="崇城管",
                aliases=["崇川", "崇川区城管局", "崇川区城市管理局", "南通市崇川区城市管理局", "崇川区环卫处"],
                streets=["和平桥街道", "城东街道", "学田街道", "狼山镇街道", "观音山街道", "任港街道", "钟秀街道", "文峰街道"]),
    "通州区": dict(org="南通市通州区城市管理局", sign="通州区城市管理局", we="我区", abbr="通州城管",
                aliases=["通州", "通州区城管局", "通州区城市管理局", "南通市通州区城市管理局"],
                streets=["金沙街道", "金新街道", "先锋街道", "二甲镇", "石港镇", "平潮镇"]),
    "海门区": dict(org="南通市海门区城市管理局", sign="海门区城市管理局", we="我区", abbr="门城管",
                aliases=["海门", "海门区城管局", "海门区城市管理局"],
                streets=["海门街道", "三厂街道", "滨江街道", "常乐镇", "悦来镇"]),
    "海安市": dict(org="海安市城市管理局", sign="海安市城市管理局", we="我市", abbr="海城管",
                aliases=["海安", "海安市城管局", "海安市城市管理局"],
                streets=["海安街道", "城东镇", "孙庄街道", "曲塘镇", "李堡镇"]),
    "如皋市": dict(org="如皋市城市管理局", sign="如皋市城市管理局", we="我市", abbr="皋城管",
                aliases=["如皋", "如皋市城管局", "如皋市城市管理局"],
                streets=["如城街道", "城南街道", "东陈镇", "白蒲镇", "长江镇"]),
    "如东县": dict(org="如东县城市管理局", sign="如东县城市管理局", we="我县", abbr="东城管",
                aliases=["如东", "如东县城管局", "如东县城市管理局"],
                streets=["掘港街道", "城中街道", "洋口镇", "长沙镇", "岔河镇"]),
    "启东市": dict(org="启东市城市管理局", sign="启东市城市管理局", we="我市", abbr="启城管",
                aliases=["启东", "启东市城管局", "启东市城市管理局"],
                streets=["汇龙镇", "南城区街道", "北新镇", "吕四港镇", "寅阳镇"]),
    "南通经济技术开发区": dict(org="南通经济技术开发区城市管理局", sign="南通经济技术开发区城市管理局", we="我区",
                      abbr="通开城管", aliases=["南通开发区", "开发区", "经开区", "南通经济技术开发区城市管理局"],
                      streets=["竹行街道", "新开街道", "中兴街道", "小海街道"]),
    "苏锡通科技产业园区": dict(org="苏锡通科技产业园区建设局", sign="苏锡通科技产业园区建设局", we="我园区",
                       abbr="苏锡通建", aliases=["苏锡通园区", "苏锡通", "苏锡通科技产业园区建设局"],
                       streets=["江海街道", "东城片区", "西城片区"]),
    "通州湾示范区": dict(org="通州湾示范区城市管理局", sign="通州湾示范区城市管理局", we="我区", abbr="通湾城管",
                   aliases=["通州湾", "通州湾江海联动开发示范区", "通州湾示范区城市管理局"],
                   streets=["三余镇", "海晏片区", "大唐片区"]),
}

# Second-level templates: raw numbers -> sentences used by the section templates.
PHRASES: dict[str, str] = {
    "hotline_text": "受理12345热线环卫类工单{hotline}件，办结率、满意率均达100%。",
    "mech_text": "城区主次干道机械化作业率达到{mech_rate}%。",
    "training_text": "{train_span}组织安全和业务技能培训{train_sessions}场次，参训{trainees}人次。",
    "care_text": "高温期间开展“送清凉”活动，走访慰问一线职工{care_visits}人次，发放防暑降温物品价值{care_money}万元。",
    "three_pack_text": "督促沿街商户落实“门前三包”责任，新签订责任书{three_pack}份。",
    "talks_text": "对作业质量不达标问题约谈{talks_cn}保洁作业公司负责人，扣减作业经费{deduct}万元。",
    "safety_text": "开展安全隐患排查{checks}次，整改隐患{hazards}处。",
    "env_day_text": "结合“6·5”环境日，组织垃圾分类宣传进社区活动{env_events}场，发放宣传资料{leaflets}份。",
}
PERIOD_END = {"5-6": "6月底", "7-8": "8月底", "9-10": "10月底"}


def _sorting(r: dict[str, Any], annual: bool) -> str | None:
    parts = [fill(t, r) for t in ("建成分类厢房{room}座", "新增分类投放点{drop}个", "新购置分类收运车辆{veh}辆")]
    parts = [p for p, k in zip(parts, ("room", "drop", "veh")) if p and r.get(k)]
    if not parts:
        return None
    return ("全年" if annual else "截至目前，累计") + "、".join(parts) + "。"


def derive(unit: str, profile: dict[str, Any], i: int) -> dict[str, Any]:
    """Facts dict for report ``i`` of a unit: timeline values, period deltas and voiced phrases."""
    rep = profile["reports"][i]
    annual = rep["period"] == "annual"
    r: dict[str, Any] = {**UNITS[unit], **rep.get("facts", {})}
    for key, series in profile.get("cum", {}).items():
        r[key] = series[i]
        r[key + "_prev"] = series[i - 1] if i else None
    r["annual"] = annual
    r.setdefault("v", list(UNITS).index(unit))
    r.setdefault("next_title", "下一步工作打算")
    if not annual:
        r["period_short"] = f"{rep['period']}月"
        r["period_full"] = f"2024年{rep['period']}月"
        r["clean_span"] = r["period_short"]
        r.setdefault("train_span", r["period_short"] + "，")
    else:
        r["clean_span"] = "全年"
        r.setdefault("train_span", "全年")
    show = r.get("show", {})

    def num(k: str) -> str:
        return str(show.get(k, r[k]))

    if r.get("ts"):
        if annual:
            r["ts_text"] = f"全年共完成中转站改造{num('ts')}座。"
        else:
            d = r["ts"] - (r["ts_prev"] or 0)
            extra = f"，其中{r['period_short']}完成{d}座" if r["ts_prev"] and d > 0 else ""
            r["ts_text"] = f"截至目前，累计改造中转站{num('ts')}座{extra}。"
    reno, new = r.get("toilet_reno"), r.get("toilet_new")
    if reno or new:
        bits = ([f"新建公厕{num('toilet_new')}座"] if new else []) + ([f"改造提升公厕{num('toilet_reno')}座"] if reno else [])
        money = f"，投入资金{r['toilet_money']}" if r.get("toilet_money") else ""
        r["toilet_text"] = ("全年" if annual else "今年以来，累计") + "、".join(bits) + money + "。"
    if r.get("bin"):
        r["bin_text"] = ("全年" if annual else "累计") + f"整治垃圾桶清运点{num('bin')}处"
    r["sorting_text"] = _sorting(r, annual)
    for k, tpl in PHRASES.items():
        r.setdefault(k, fill(tpl, r) or None)
    if "table" in rep:
        cap, head, rows, merge = rep["table"]
        body = [[*lab, str(p), str(d), pct(d, p), *extra] for lab, p, d, *extra in rows]
        r["build_table"] = TableSpec(cap, head, body, merge)
        r["table_intro"] = "主要建设任务完成情况如下表。"
    return r


def _t(*labels: str) -> tuple[str, ...]:
    return labels


H4 = ["项目", "计划数", "完成数", "完成率"]

# ------------------------------------------------------------------ the four sample units
# Report order matters: index i of every "cum" series belongs to reports[i].
SAMPLES: dict[str, dict[str, Any]] = {
    "崇川区": dict(
        cum={"ts": (3, 5, 6), "toilet_reno": (8, 14, 18), "toilet_new": (2, 3, 4), "bin": (35, 64, 64),
             "room": (12, 26, 32), "drop": (40, 75, 90), "veh": (3, 6, 8)},
        reports=[
            dict(period="5-6", fmt="docx", file="崇川区_2024年5-6月劳动竞赛进展情况.docx", docno="崇城管〔2024〕45号",
                 date=(2024, 7, 5), addressee="市城管局环卫处：", facts=dict(
                     show={"ts": "三"}, mob_date="5月17日",
                     plan_doc="《崇川区“干净城市建设”劳动竞赛实施方案》（崇城管〔2024〕31号）",
                     corners="1260余", garbage="3400余", staff="5800余", machines="920", toilet_money="600万元",
                     campaign_text="5月下旬起在全区开展“清死角、净家园”集中行动，累计开展专项整治18次。",
                     hotline=316, mech_rate=95, three_pack=1240, env_events=8, leaflets="1.5万", open_toilets=12,
                     bins_replaced=430, train_sessions=4, trainees=360, accident_text="竞赛期间未发生安全生产事故。",
                     plan_text="一是加快项目建设，计划8月底前再完成2座中转站改造，力争三季度完成全年公厕建设改造任务；"
                               "二是持续开展环境清洁行动，重点解决背街小巷保洁不到位问题；三是做好高温季节一线职工防暑降温工作。")),
            dict(period="7-8", fmt="pdf", file="崇川区7-8月份劳动竞赛进展情况报告.pdf", docno="崇城管〔2024〕62号",
                 date=(2024, 9, 6), addressee="南通市城市管理局环卫处：", facts=dict(
                     meetings=4, cross_checks=2, ts_note="其中，学田、任港两座中转站于8月中旬完成改造并投入运行。",
                     corners="近900", garbage="2860", staff="4600余", machines="780", hotline=287, mech_rate=96,
                     bins_replaced=380, case_text="我区“环卫作业一网统管”经验做法被省住建厅采用，并在全省推广。",
                     equip_text="新购置纯电动洗扫车、高压冲洗车各8台，全部投入主干道夜间作业。",
                     care_visits=2100, care_money=18, accident_text="竞赛期间未发生安全生产事故。",
                     plan_text="一是计划10月底前完成剩余1座中转站改造和3座公厕改造；二是力争年底前分类投放点总数达到90个；"
                               "三是筹备环卫工人节系列活动。"),
                 table=("崇川区项目建设进度表（截至8月31日）", ["项目", "年度计划数", "累计完成数", "完成率"], [
                     (_t("中转站改造（座）"), 6, 5), (_t("公厕新建改造（座）"), 20, 17),
                     (_t("垃圾桶清运点整治（处）"), 60, 64), (_t("分类厢房建设（座）"), 30, 26)], False)),
            dict(period="annual", fmt="docx", file="崇川区2024年度干净城市建设劳动竞赛工作总结.docx",
                 docno="崇城管〔2024〕98号", date=(2024, 12, 20), addressee="市“干净城市建设”劳动竞赛组委会办公室：",
                 facts=dict(
                     ts_note="10月中旬完成最后1座（永兴中转站）改造，年度任务全面完成。",
                     toilet_note="受征地拆迁影响，三季度末完成17座，其余5座于四季度陆续完工。",
                     sorting_note="10月底前全部完成年度分类厢房建设任务。",
                     campaign_text="全年开展各类专项整治行动90余次，其中夜间突击整治30余次。",
                     practice_text="在机制建设上，我区制定《环卫作业质量考核办法》，每月对各街道作业质量开展综合考评，"
                                   "考评结果与作业经费直接挂钩。",
                     practice_text2="在精细保洁上，全区新增精细保洁示范路段12条，主次干道实现“以克论净”考核全覆盖。",
                     corners="6800余", garbage="2.1万", staff="3.2万余", machines="5600余", hotline=1642, mech_rate=96,
                     bins_replaced=1350, money_text="全年投入环卫设施建设和作业经费9800万元。",
                     case_text="我区“环卫作业一网统管”经验做法被省住建厅采用；“小区垃圾分类督导员”工作案例入选住建部"
                               "城市环境卫生管理典型案例。",
                     reform_text="深化环卫作业市场化改革，将3个街道的道路保洁和垃圾收运打包实行市场化运作，按考核结果付费。",
                     equip_text="新购置纯电动洗扫车、高压冲洗车各8台，全部投入主干道夜间作业。",
                     info_text="全区186辆环卫作业车辆全部接入智慧环卫平台，实现作业轨迹实时监管、远程调度。",
                     train_sessions=14, trainees=1150,
                     festival_text="10月26日环卫工人节当天，举办“最美环卫工”颁奖活动，表彰先进个人20名。",
                     accident_text="全年未发生安全生产和环境污染事故。", next_title="二〇二五年工作计划",
                     plan_text="一是计划改造中转站4座、新建公厕5座，拟新增分类厢房20座；二是力争生活垃圾分类覆盖率达到98%以上；"
                               "三是深化环卫作业市场化改革，进一步完善考核办法。"),
                 table=("崇川区2024年度项目建设任务完成情况表", ["类别", "项目", "计划数", "完成数", "完成率"], [
                     (_t("设施建设", "中转站改造（座）"), 6, 6), (_t("设施建设", "公厕新建改造（座）"), 20, 22),
                     (_t("设施建设", "垃圾桶清运点整治（处）"), 60, 64), (_t("设施建设", "分类厢房（座）"), 30, 32),
                     (_t("装备更新", "纯电动洗扫车（台）"), 8, 8), (_t("装备更新", "高压冲洗车（台）"), 8, 8)], True)),
        ]),
    "海安市": dict(
        cum={"ts": (0, 1, 2), "toilet_reno": (5, 9, 13), "toilet_new": (0, 0, 1), "drop": (22, 41, 56),
             "veh": (0, 4, 6)},
        reports=[
            dict(period="5-6", fmt="pdf", file="海安市城管局5-6月竞赛进展情况（报市局）.pdf", docno="海城管〔2024〕56号",
                 date=(2024, 7, 4), addressee="市城管局环卫处：", facts=dict(
                     mob_date="5月21日", plan_doc="《海安市“干净城市建设”劳动竞赛活动方案》（海城管〔2024〕12号）",
                     ts_note="城东中转站改造已于6月初开工，目前主体施工基本完成。", toilet_money="480万元",
                     corners="近千", garbage="1850余", staff="3200余", machines="640", hotline=204, bins_replaced=None,
                     campaign_text="整治城区裸露地面约1.2万平方米，清理乱张贴小广告2300余处。",
                     talks_cn="两家", deduct=3.5, env_events=3, leaflets=6000, train_sessions=3, trainees=240,
                     accident_text="竞赛期间未发生安全生产和环境污染事故。",
                     plan_text="一是加快城东中转站设备安装，确保8月底前投入使用；二是计划三季度再改造公厕4座、新增分类投放点20个；"
                               "三是持续巩固“门前三包”成果。")),
            dict(period="7-8", fmt="docx", file="海安市_2024年7-8月劳动竞赛进展情况.docx", docno="海城管〔2024〕71号",
                 date=(2024, 9, 5), addressee="市城管局环卫处：", facts=dict(
                     meetings=3, cross_checks=2, ts_note="城东中转站已于8月下旬投入运行，日处理能力提升至120吨。",
                     corners="1100余", garbage="2300余", staff="3600余", machines="700", hotline=238, three_pack=860,
                     case_text="我市“环卫驿站+”服务模式被《中国建设报》刊发。", care_visits=1500, care_money=12,
                     accident_text="竞赛期间未发生安全生产事故。",
                     plan_text="一是计划10月底前完成西场中转站改造；二是力争年内公厕改造数量突破12座；三是做好国庆期间环境保障。")),
            dict(period="annual", fmt="pdf", file="海安市2024年度环卫工作总结.pdf", title_variant=1, docno="海城管〔2024〕108号",
                 date=(2024, 12, 18), addressee="南通市城市管理局环卫处：", facts=dict(
                     ts_note="10月完成西场中转站改造，两座中转站均已通过验收。", toilet_note="10月底前完成年度公厕改造任务。",
                     practice_text="在精细保洁上，我市对城区主次干道推行“机扫+冲洗+人工”组合作业模式，新增精细保洁示范区域3个。",
                     practice_text2="在垃圾分类上，指导42个小区完成分类设施标准化改造，城区生活垃圾回收利用率达到40%。",
                     sorting_note="9月新增的2辆分类收运车辆已投入使用，投放点建设于10月底前全部完成。",
                     corners="5400余", garbage="1.1万余", staff="2.2万余", machines="4100余", hotline=1120,
                     money_text="全年环卫基础设施和作业投入资金1.2亿元。",
                     case_text="我市“环卫驿站+”做法被市城管局在全市推广，并被《中国建设报》刊发。",
                     equip_text="引进小型电动清扫车12台，用于背街小巷和老旧小区保洁。",
                     info_text="全市126辆环卫作业车辆全部安装北斗定位终端，接入智慧环卫平台，实现实时监管、远程指挥全覆盖。",
                     train_sessions=11, trainees=860, accident_text="全年未发生安全生产事故。",
                     festival_text="开展环卫工人技能比武，评选“最美环卫工”10名；为1260名一线环卫工人办理意外伤害保险。",
                     next_title="二〇二五年工作计划",
                     plan_text="一是计划新建公厕5座、改造公厕8座，拟改造中转站1座；二是力争城区道路机械化清扫率达到90%以上；"
                               "三是推动“环卫驿站+”向乡镇延伸。"),
                 table=("海安市2024年度项目建设任务完成情况", H4, [
                     (_t("中转站改造（座）"), 2, 2), (_t("公厕改造（座）"), 12, 13),
                     (_t("分类投放点（个）"), 50, 56), (_t("分类收运车辆（辆）"), 6, 6)], False)),
        ]),
    "如东县": dict(
        cum={"ts": (1, 2, 3), "toilet_new": (2, 4, 4), "toilet_reno": (3, 8, 10), "bin": (52, 86, 86),
             "room": (46, 41, 48)},  # 分类厢房 46 -> 41: the planted inconsistency
        reports=[
            dict(period="7-8", fmt="docx", file="如东县7-8月劳动竞赛活动开展情况.docx", title_variant=1, docno="东城管〔2024〕58号",
                 date=(2024, 9, 9), addressee="市城管局环卫处：", facts=dict(
                     mob_date="7月3日", plan_doc="《如东县“干净城市建设”劳动竞赛实施方案》（东城管发〔2024〕27号）",
                     ts_note="掘港中转站已完成改造并投入使用。", corners="1500余", garbage="2600余", staff="4100",
                     machines="560", hotline=176, bins_replaced=260,
                     campaign_text="在城区开展集中整治行动二十余次，清理河道沿岸垃圾约46吨。",
                     equip_text="引进餐厨垃圾就地处理设备两台，在农贸市场试点运行。", train_sessions=2, trainees=150,
                     accident_text="竞赛期间未发生安全生产事故。",
                     plan_text="一是加快推进中转站改造，力争9月底前再完成2座；二是计划10月底前再建成分类厢房10座；"
                               "三是开展秋季环境卫生集中整治。")),
            dict(period="9-10", fmt="pdf", file="如东县_2024年9-10月劳动竞赛进展情况.pdf", docno="东城管〔2024〕77号",
                 date=(2024, 11, 6), addressee="市城管局环卫处：", facts=dict(
                     meetings=3, cross_checks=1, ts_note="第3座（洋口中转站）因用地调整，预计11月底完工。",
                     corners="近800", garbage="1900余", staff="3500余", machines="510", hotline=158, bins_replaced=310,
                     enforce_text="联合执法部门查处环境卫生类违法行为，立案28件（其中违法建设5起、占道经营14起、乱堆乱放9起），"
                                  "罚没款3.6万元。",
                     case_text="我县“垃圾分类积分兑换”经验做法被市城管局采用。",
                     festival_text="10月26日环卫工人节期间，走访慰问一线环卫工人320人次，发放慰问金16万元。",
                     accident_text="竞赛期间未发生安全生产和环境污染事故。",
                     plan_text="一是全力推进洋口中转站改造，确保年底前投入使用；二是计划11月底前再建成分类厢房7座；"
                               "三是做好冬季冰雪天气应急保障准备。"),
                 table=("如东县项目建设进度统计表（截至10月31日）", H4, [
                     (_t("中转站改造（座）"), 3, 2), (_t("新建公厕（座）"), 4, 4),
                     (_t("垃圾桶清运点整治（处）"), 80, 86), (_t("分类厢房建设（座）"), 45, 41)], False)),
            dict(period="annual", fmt="pdf", file="如东县2024年度环卫工作总结.pdf", docno="东城管〔2024〕95号",
                 date=(2024, 12, 23), addressee="市城管局环卫处：", facts=dict(
                     ts_note="其中洋口中转站受用地调整影响，于12月初完成改造。", corners="4900余", garbage="8600余",
                     practice_text="在镇村环卫管护上，我县将14个镇（区）纳入一体化管护范围，建立县、镇、村三级巡查机制。",
                     practice_text2="在农贸市场治理上，对城区6个农贸市场实行专人驻场保洁，做到垃圾日产日清。",
                     staff="1.6万余", machines="2300余", hotline=610, bins_replaced=900,
                     money_text="全年投入环卫设施建设资金约950万元。",
                     case_text="我县“垃圾分类积分兑换”经验做法被市城管局采用；“镇村环卫一体化管护”案例入选省住建厅"
                               "城乡环境整治优秀案例。",
                     equip_text="引进餐厨垃圾就地处理设备两台，试点安装AI智能识别摄像头36个，自动抓拍乱扔垃圾行为。",
                     train_sessions=8, trainees=620, care_text="组织一线环卫职工健康体检，覆盖860人。",
                     festival_text="环卫工人节期间走访慰问一线环卫工人320人次，发放慰问金16万元。",
                     accident_text="全年未发生安全生产事故。",
                     plan_text="一是计划新增分类厢房30座，力争2025年6月底前完成3座老旧中转站提标改造；二是推进镇村环卫一体化"
                               "管护向全县延伸；三是加强环卫职工技能培训。")),
        ]),
    "通州区": dict(
        cum={"ts": (2, 4, 4), "toilet_reno": (6, 11, 16), "veh": (0, 4, 10), "drop": (15, 30, 48)},
        reports=[
            dict(period="5-6", fmt="pdf", file="通州区2024年5-6月劳动竞赛进展情况报告.pdf", docno="", redhead=False,
                 date=(2024, 7, 8), addressee="市城管局环卫处：", facts=dict(
                     mob_date="5月24日", plan_doc="《通州区“干净城市建设”劳动竞赛工作方案》（通州城管〔2024〕33号）",
                     ts_note="金沙、先锋两座中转站改造已完成设备调试。", corners="2100余", garbage="3900余",
                     staff="6200余", machines="1050", hotline=351, three_pack=1800, env_events=5, leaflets=8000,
                     campaign_text="围绕“两个全覆盖”目标，对城区28个老旧小区开展环境卫生集中整治。",
                     train_sessions=3, trainees=260, accident_text="竞赛期间未发生安全生产事故。",
                     plan_text="一是计划8月底前完成剩余2座中转站改造；二是加快分类收运车辆采购，力争三季度全部交付；"
                               "三是继续推进老旧小区环境整治。")),
            dict(period="7-8", fmt="docx", file="通州区_7-8月干净城市建设劳动竞赛进展.docx", docno="通州城管〔2024〕52号",
                 date=(2024, 9, 4), addressee="市城管局环卫处：", facts=dict(
                     meetings=5, cross_checks=2, ts_note="年度中转站改造任务已全部完成。",
                     sorting_note="剩余6辆分类收运车辆已完成招标，正在生产。",
                     corners="1800余", garbage="3100余", staff="5200余", machines="900", hotline=296,
                     equip_text="新购置洗地车、小型冲洗车各5台。", care_visits=1900, care_money=15,
                     accident_text="8月12日，一辆压缩式收运车在金新街道倒车时剐蹭路边停放车辆，未造成人员伤亡，"
                                   "已依规处理，并对全区86名驾驶员开展安全再培训。",
                     plan_text="一是计划10月底前完成剩余4座公厕改造；二是督促供货企业加快生产，力争9月底前完成6辆分类收运车辆"
                               "交付；三是做好秋季落叶清扫保障。"),
                 table=("通州区“干净城市建设”项目推进情况表（截至8月底）", H4 + ["备注"], [
                     (_t("中转站改造（座）"), 4, 4, "已完成"), (_t("公厕改造（座）"), 15, 11, "按计划推进"),
                     (_t("分类收运车辆（辆）"), 10, 4, "剩余6辆已招标")], False)),
            dict(period="annual", fmt="docx", file="通州区城管局2024年度工作总结.docx", title_variant=2, docno="通州城管〔2024〕90号",
                 date=(2024, 12, 16), addressee="市城管局环卫处：", facts=dict(
                     ts_note="8月底前完成全部改造任务。", toilet_note="其中9-10月完成5座，10月底前完成年度任务。",
                     practice_text="在作业管理上，我区推行环卫作业网格化管理，将城区划分为26个作业网格，定人定岗定责。",
                     practice_text2="在公厕服务上，推出“一厕一码”评价系统，覆盖城区公厕120座，群众扫码即可评价和反映问题。",
                     sorting_note="受供货周期影响，剩余6辆分类收运车辆于11月交付使用。",
                     money_text="全年投入环卫设施建设和更新资金2800万元。",
                     corners="9600余", garbage="2.3万", staff="3.8万余", machines="6200余", hotline=1705,
                     case_text="我区“环卫作业质量第三方考评”做法被《中国建设报》刊发，相关经验被省住建厅采用。",
                     reform_text="组建区环卫发展有限公司，整合4家作业单位，实现城区环卫作业统一管理。",
                     equip_text="新购置洗地车、小型冲洗车各5台。", info_text="全区环卫作业车辆定位终端安装率达到100%。",
                     train_sessions=9, trainees=680,
                     festival_text="环卫工人节期间召开表彰大会，表彰先进集体5个、先进个人30名。",
                     accident_text="8月发生一起收运车辆剐蹭事故，未造成人员伤亡，此外未发生安全生产和环境污染事故。",
                     next_title="二〇二五年工作计划",
                     plan_text="一是计划改造公厕10座、整治垃圾桶清运点40处，预计投入资金800万元；二是将新增分类收运车辆6辆；"
                               "三是力争城区主次干道机械化作业率达到98%。")),
        ]),
}
