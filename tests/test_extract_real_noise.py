"""What real pages do to numbers and sentences, found on labelled real reports (dev):
written here in sentences of our own."""

from __future__ import annotations

import pytest

from tests.test_extract_domain import claims_of


def _found(text: str) -> dict[str, tuple]:
    doc, claims = claims_of(text)
    return {doc.blocks[c.block].text[c.start:c.end]: (c.value, c.unit, c.status, c.approximate, c.subject) for c in claims}


@pytest.mark.parametrize("text,span,expected", [
    ("清理小广告 7.5 万处,拆除违建 3 亿元", "7.5 万处", (75000, "处", "done", False)),  # spaces before 万
    ("投入资金约 1000万元。", "1000万元", (10_000_000, "元", "done", True)),  # a space after 约
    ("核验房源1200笔,网签800笔。", "1200笔", (1200, "笔", "done", False)),
    ("已查出各类问题近百件,限期整改。", "百件", (100, "件", "done", True)),
    ("发现环境秩序问题58处73起,已全部整改。", "58处", (58, "处", "done", False)),  # two measures in a row
    ("局下辖“12个大队、3个中队”。", "12个", (12, "个", "done", False)),  # counts quoted as a list
    ("今年农村卫生厕所普及率要达到80%以上。", "80%", (80, "%", "planned", True)),
    ("为确保道路整洁,周末组织人员清扫背街小巷16条。", "16条", (16, "条", "done", False)),
    ("办理违反规划建设案件3起。", "3起", (3, "起", "done", False)),
    ("争取社会投资,与9家企业签订认养协议。", "9家", (9, "家", "done", False)),
    ("计划改造的40个老旧小区也已全部开工建设。", "40个", (40, "个", "done", False)),
    ("完成投资120亿元,占年度计划投资的51.2%。", "51.2%", (51.2, "%", "done", False)),
    ("结转下年度继续办理12件。", "12件", (12, "件", "planned", False)),
    ("依据相关文件要求,现对全市30座填埋场开展核查。", "30座", (30, "座", "done", False)),
    ("我市省定任务为2.5万个公共停车位,实际建成2.8万个。", "2.5万个", (25000, "个", "planned", False)),
    ("建设绿道32.5千米,新增綠地面積120公頃。", "32.5千米", (32.5, "千米", "done", False)),
    ("新增綠地面積120公頃,維修路燈900盞次。", "120公頃", (120, "公頃", "done", False)),
    ("共享單車總量不超過3萬輛。", "3萬輛", (30000, "輛", "done", True)),
    ("综合监管计划按期实施率达100%。", "100%", (100, "%", "done", False)),
    ("实际实施改造42 318户,到位资金12 604.5万元。", "42 318户", (42318, "户", "done", False)),  # thousands spaced
    ("实际实施改造42 318户,到位资金12 604.5万元。", "12 604.5万元", (126_045_000, "元", "done", False)),
    ("摆放花卉约6000盆,修剪绿篱1200畝。", "6000盆", (6000, "盆", "done", True)),
    ("摆放花卉约6000盆,修剪绿篱1200畝。", "1200畝", (1200, "畝", "done", False)),
    ("拆除私自圈占围墙 2300 余延长米。", "2300 余延长米", (2300, "延长米", "done", True)),
    ("两个镇的保洁机械化率不足70%。", "70%", (70, "%", "done", True)),  # an upper bound is a fact
    ("机械化作业率由不足六成提高到85%。", "六成", (6, "成", "done", True)),
    ("计划在3座中转站加装视频监控。", "3座", (3, "座", "planned", False)),  # 中转站 is no 在…中
])
def test_claim(text: str, span: str, expected: tuple) -> None:
    found = _found(text)
    assert span in found, found
    assert found[span][:4] == expected


def test_size_of_a_vehicle_type_is_not_a_claim_but_its_count_is() -> None:
    assert list(_found("配备冲洗车(小型500公斤 6辆)。")) == ["6辆"]


def test_er_before_pi_is_an_ordinal() -> None:
    assert list(_found("实施一批项目9个、二批项目4个。")) == ["9个", "4个"]


def test_two_rates_joined_by_he_give_two_claims() -> None:
    doc, claims = claims_of("城区垃圾清运率和无害化处理率达到100%。")
    assert sorted(c.subject for c in claims) == sorted(["城区垃圾清运率", "无害化处理率"])


@pytest.mark.parametrize("text", [
    "五一期间开展燃气安全检查。",
    "局机关分成6个督查组开展交叉检查。",  # work groups say how the job was organised (S5-5)
    "县城管局组成3个检查组，对各乡镇进行暗访。",
    "配合推进地铁3号线2期工程。",
    "建设年处理30万立方米的建筑垃圾处理厂。",
    "全镇按3‰标准配备保洁员。",
    "完成信息采集员二次招标。",
    "其中交通局受理0件,占0.00%。",
    "抄送:市人大2份 市政协2份",
    "对洒水车分三个班次轮流作业。",
    "部分分类村四分桶未配置齐全。",
    "围绕四个全面战略布局开展工作。",
    "正在推进二期扩建相关事宜。",
    "市委、市政府十分重视环卫设施建设。",
    "按照《某省2023年20项民生工程专项工作方案》要求推进。",
    "反馈问题涉及3个方面、12个大项。",
    "建设年产 80万平方米的再生砖生产线。",
    "在全省86个县(市、区)城乡环境卫生综合考核中位列第一档。",  # the pool of a ranking
    "每个行政村至少建有一处四分投放点。",  # four-way sorting, not a score
    "对得分不足60分的单位进行约谈。",  # a threshold
    "部分村组每周收运不足2次。",  # a frequency describing the villages
    "结案率低于90%的单位每低1个百分点扣0.5分。",  # the step of a scoring rule (90% is a threshold)
    "农村公厕原则上每千人不少于1座。",  # a standard
    "按照每座公厕配备1名专职管理员的要求落实管护。",
    "考核按百分制计分，道路保洁占40%、公厕管理占30%、垃圾分类占30%。",  # a scoring scheme
    "附件：1.考核得分表 2.问题清单（865处）",  # an attachment list
    "服务质效（60分）：以干净指数折算。",  # a rubric weight before a colon
    "逾期未整改的每个问题扣减考核分0.5分。",
    "今年“五一”、暑期和国庆三个旅游高峰期间加强保洁。",  # the count restates the named periods
    "工作进展（第 3 期）",  # an issue number with spaces
    "离年底只有七个多月时间。",  # a duration
    "对剩余背街小巷分两批实施整治。",  # stages of a plan
    "城东街道连续两期排名末位。",  # a run of periods
    "符合2类区昼间60分贝的限值要求。",  # a limit
    "对高度在6米以上的大型广告牌开展检测。",  # a size threshold
    "果皮箱按照间距50—80米设置。",  # a spacing standard
    "力争全年被市级以上部门采用工作案例不少于5个。",  # a target for adoptions (decision 88)
    "抽调人员分4个小组开展暗访。",  # the groups of an inspection
    "（三）垃圾收运（20分）：垃圾桶满溢不超过2/3。",
    "重点抓好三方面工作。",  # 方 is no cubic metre here
    "120升、240升分类桶配置到位。",  # sizes in a noun phrase
    "一、考核标准。果皮箱满溢率不超过5%，每平方米废弃物不超过2片。",  # a section of standards
    "竞赛分道路保洁、公厕管理两个部分，满分100分，其中道路保洁60分、公厕管理40分。",
    "养护办法明确：人行道破损须48小时内修复；井盖高差不超过5毫米；绿化带间距30—50米。",  # a list of norms
    "月度考核得分低于85分的保洁单位扣减当月服务费的5%。",  # a penalty rule
    "二、设施建设（25分）。每有一座公厕未按期建成扣3分。",  # a rubric heading's weight and its rule
    "现场随机抽取5个点位，每发现一处问题扣0.5分。",  # the sample of a scoring rule
    "信息被市级部门采用的每篇加1分，被省级部门采用的每篇加2分。",  # a bonus rule, not an adoption
    "九台区城市管理局工作周报",  # a place name with a numeral
    "全局围绕公厕改造、中转站提升、道路保洁三项重点任务推进。",  # the count restates the named items
])
def test_not_claims(text: str) -> None:
    doc, claims = claims_of(text)
    assert [doc.blocks[c.block].text[c.start:c.end] for c in claims] == []


def test_a_sentence_announcing_next_steps_makes_the_items_after_it_planned() -> None:
    doc, claims = claims_of(
        "今年以来，全区新建垃圾分类亭32座。",
        "下一步，区环卫处将重点抓好以下三个方面工作。",
        "一是完善设施。年底前再建设垃圾分类亭18座。",
        "二是加强督查。每月开展联合检查2次。",
        "三、存在的问题",
        "部分小区仍有混投现象，涉及12个小区。",
    )
    status = {doc.blocks[c.block].text[c.start:c.end]: c.status for c in claims}
    assert status == {"32座": "done", "18座": "planned", "2次": "planned", "12个": "done"}


@pytest.mark.parametrize("text,span,subject", [
    ("拆除违章房屋共计46户，面积8320平方米。", "8320平方米", "违章房屋"),  # 面积 is the area of what was counted
    ("设置绿化围挡 35 余处，面积 9600 余平方米。", "9600 余平方米", "绿化围挡"),
    ("查处违法建设案件12起，罚款金额4.6万元。", "4.6万元", "罚款"),  # a named measure keeps its own name
    ("全县配备村级垃圾转运站(地埋式)86座。", "86座", "村级垃圾转运站(地埋式)"),  # a bracket glossing the noun
])
def test_measure_after_a_count_and_bracketed_glosses(text: str, span: str, subject: str) -> None:
    found = _found(text)
    assert span in found, found
    assert subject in found[span][4], found[span]


def test_places_in_a_breakdown_share_the_counted_noun_of_the_total() -> None:
    found = _found("全县共发现占道经营问题48个，已完成整改40个。其中，城东镇12个、高新区9个、县城投公司3个。"
                   "未完成整改8个。")
    assert {span: found[span][4] for span in ("12个", "9个", "3个")} == {
        "12个": "占道经营问题", "9个": "占道经营问题", "3个": "占道经营问题"}
    assert found["8个"][4] in ("占道经营问题", "")  # never 未


def test_a_date_after_jiezhi_is_not_the_subject() -> None:
    found = _found("318处问题已派发至各街镇，截至10月10日已整改296处。")
    assert found["296处"][4] == "问题"


def test_a_field_labelled_as_a_target_is_planned_and_only_that_field() -> None:
    doc, claims = claims_of(
        "年度工作目标：第一季度完成改造任务的30%以上，第二季度完成60%以上。",
        "完成情况：已改造老旧小区12个。",
    )
    status = {doc.blocks[c.block].text[c.start:c.end]: c.status for c in claims}
    assert status == {"30%": "planned", "60%": "planned", "12个": "done"}


def test_a_penalty_rule_does_not_swallow_a_target_in_the_same_sentence() -> None:
    found = _found("对考核得分低于80分的片区扣减服务费，力争年底群众满意度达到92%以上。")
    assert found["92%"][:4] == (92, "%", "planned", True)


def test_items_under_a_bare_plan_heading_are_planned() -> None:
    doc, claims = claims_of(
        "全年新建口袋公园4处。",
        "下步工作计划",
        "一、在今年已建成4处口袋公园的基础上，再建设口袋公园6处。",
        "二、新增公共停车泊位800个左右。",
    )
    status = {doc.blocks[c.block].text[c.start:c.end] + str(c.block): c.status for c in claims}
    assert status == {"4处0": "done", "4处2": "done", "6处2": "planned", "800个3": "planned"}


def test_a_count_that_points_back_at_listed_items_is_not_a_claim() -> None:
    found = _found("上级补助200万元，本级配套300万元，两项合计500万元。")
    assert set(found) == {"200万元", "300万元", "500万元"}


def test_a_sample_counted_as_a_result_stays_a_claim_beside_a_scoring_rule() -> None:
    found = _found("本月共抽查点位412个，每发现一处垃圾乱堆扣0.2分。")
    assert "412个" in found


def test_a_long_plan_title_makes_the_document_planned_and_a_mixed_title_does_not() -> None:
    doc, claims = claims_of("某县2025年城区道路“以克论净”深度保洁工作实施方案", "一、工作目标。新增洗扫车4台。")
    assert [c.status for c in claims] == ["planned"]
    doc, claims = claims_of("某县城市管理局5月份工作小结及6月份工作计划", "5月份清理小广告3800余处。")
    assert [c.status for c in claims] == ["done"]


def test_a_fact_restated_before_a_plan_is_done() -> None:
    doc, claims = claims_of("2026年工作打算", "（一）在已建成的3座小型压缩站基础上，新建小型压缩站4座。")
    assert {doc.blocks[c.block].text[c.start:c.end]: c.status for c in claims} == {"3座": "done", "4座": "planned"}


def test_a_topic_opening_the_sentence_names_what_is_counted() -> None:
    found = _found("中转站改造方面，年度计划改造10座，已完成7座，其余3座预计11月底完工。")
    assert {s: found[s][4] for s in ("10座", "7座", "3座")} == {"10座": "中转站", "7座": "中转站", "3座": "中转站"}


def test_an_adoption_written_with_a_count_of_times_is_one_claim_of_that_value() -> None:
    doc, claims = claims_of("我局门前管理做法先后被市城管局《工作动态》刊发三次，其中一篇被省住建厅采用。")
    adopted = [(c.value, c.adopted_level) for c in claims if c.kind == "case_adopted"]
    assert sorted(adopted) == [(1.0, "provincial"), (3.0, "municipal")]
    assert all(c.kind == "case_adopted" for c in claims)  # 三次 is not counted again


def test_kanzai_is_an_adoption_verb() -> None:
    doc, claims = claims_of("城市管家模式被住房和城乡建设部《城市管理工作简报》刊载。")
    assert [(c.kind, c.adopted_level) for c in claims] == [("case_adopted", "national")]


def test_the_size_of_counted_things_in_brackets_is_not_a_claim() -> None:
    assert set(_found("更换破损垃圾桶150个（240升）。")) == {"150个"}


def test_a_score_list_of_places_keeps_its_scores() -> None:
    doc, claims = claims_of("长葛市(99.7分)", "襄城县(99.42分)")
    assert [c.value for c in claims] == [99.7, 99.42]


def test_a_count_of_places_written_as_dian_wei_is_a_count_of_ge() -> None:
    found = _found("计划完成剩余364个点位的整治。")
    assert found["364个"][:4] == (364, "个", "planned", False)


@pytest.mark.parametrize("text,expected", [
    ("今年市里下达我县老旧小区改造任务34个，涉及居民4218户、总投资2.14亿元。",
     {"34个": "planned", "4218户": "planned", "2.14亿元": "planned"}),  # what describes a target
    ("市里下达新建改造公厕任务42座，其中城区新建6座、农村改造26座，已完工37座。",
     {"42座": "planned", "6座": "planned", "26座": "planned", "37座": "done"}),
    ("年度计划任务4项（中转站改造1座、公厕改造8座）已全部完成。",
     {"1座": "done", "8座": "done"}),  # the parts are done with their total
    ("下达任务10座，完成12座。", {"10座": "planned", "12座": "done"}),
    ("新建改造公厕24座，占年度任务40座的60%。", {"24座": "done", "40座": "planned", "60%": "done"}),
    ("项目建成后，将全县17个镇的垃圾纳入焚烧处理。", {"17个": "planned"}),
])
def test_status_around_targets(text: str, expected: dict) -> None:
    found = _found(text)
    assert {span: found[span][2] for span in expected} == expected


def test_a_heading_that_says_tui_jin_under_a_plan_stays_planned() -> None:
    doc, claims = claims_of("2026年工作打算", "一、继续推进老旧小区改造。计划改造老旧小区22个。", "二、推进垃圾分类提质。新建分类亭30座。")
    assert [c.status for c in claims] == ["planned", "planned"]


def test_a_tab_table_of_places_takes_its_subjects_from_the_column_headers() -> None:
    doc, claims = claims_of("单位\t立案数\t按期结案率\t得分", "城东街道\t1286件\t97.1%\t95.6分", "1\t城西街道\t942件\t95.2%\t93.8分")
    got = {doc.blocks[c.block].text[c.start:c.end]: c.subject for c in claims}
    assert got["1286件"] == "立案数" and got["95.6分"] == "得分" and got["97.1%"] == "城东街道按期结案率"


def test_a_leftover_word_is_not_a_subject() -> None:
    found = _found("反馈问题15个，已整改10个，剩余问题中，3个正在整改、2个纳入长效管理。")
    assert "问题" in found["3个"][4] and "问题" in found["2个"][4]
    found = _found("剩余5个问题中，3个正在整改。")
    assert found["5个"][4] == "问题" and found["3个"][4] == "问题"


def test_a_rule_in_brackets_governs_only_the_brackets() -> None:
    found = _found("按照《某市环境卫生考核办法》（每发现一处问题扣0.5分），市城管局抽调12名干部，共发现问题312处。")
    assert {"12名", "312处"} <= set(found) and "0.5分" not in found


def test_a_frequency_norm_in_a_section_of_standards_stays_a_claim() -> None:
    found = _found("二、作业标准。路面尘土残存量不超过每平方米10克；主干道每日机扫不少于2遍。")
    assert set(found) == {"2遍"}


def test_rows_of_a_tab_table_are_not_joined_and_a_cell_that_plans_stays_planned() -> None:
    doc, claims = claims_of(
        "序号\t问题描述\t整改措施\t完成情况",
        "1\t汉江路3座公厕设施老化\t对3座公厕进行提升改造\t完成2座，剩余1座预计11月底完工",
        "2\t建筑垃圾乱倒\t清运建筑垃圾1800余吨\t已完成",
    )
    assert len(doc.blocks) == 3
    status = {doc.blocks[c.block].text[c.start:c.end] + str(c.block): c.status for c in claims}
    assert status["1座1"] == "planned" and status["2座1"] == "done" and status["1800余吨2"] == "done"


def test_last_years_results_before_a_plan_are_done() -> None:
    doc, claims = claims_of("某县城市管理局2026年工作要点", "2025年，全县新建改造公厕21座，垃圾分类覆盖率达到82%。",
                            "一、设施建设。新建改造公厕15座。")
    status = {doc.blocks[c.block].text[c.start:c.end]: (c.status, c.status_rule) for c in claims}
    assert status["21座"] == ("done", "status.earlier_year") and status["82%"][0] == "done"
    assert status["15座"][0] == "planned"


def test_a_demand_to_the_units_keeps_its_counts_as_planned_claims() -> None:
    found = _found("请各责任单位于11月10日前将未整改的13处问题整改到位。")
    assert found["13处"][:3] == (13, "处", "planned")


def test_ge_over_places_is_one_claim_and_over_items_two() -> None:
    doc, claims = claims_of("新建改造农村公厕150座，其中城东镇、城西镇各30座。")
    assert [c.value for c in claims] == [150, 30] and all("农村公厕" in c.subject for c in claims)
    doc, claims = claims_of("采购洗扫车、洒水车各2台。")
    assert [c.subject for c in claims] == ["洗扫车", "洒水车"]


@pytest.mark.parametrize("text,span,unit", [
    ("昼间噪声均值由68分贝降至56分贝。", "56分贝", "分贝"),
    ("在改造主干道6条的基础上，再实施4条次干道改造。", "4条", "条"),  # 次干道 is a road, not 条次
])
def test_units_decibel_and_tiao_before_ci_gan_dao(text: str, span: str, unit: str) -> None:
    assert _found(text)[span][1] == unit


# Subjects: PDF spaces and paired measures; a subject never holds another count.
@pytest.mark.parametrize("text,span,subject", [
    ("全年拆 除违法建设 860 余处,清理占压燃气管线 违章建筑 12 处。", "860 余处", "违法建设"),  # a space inside a verb
    ("全年拆 除违法建设 860 余处,清理占压燃气管线 违章建筑 12 处。", "12 处", "占压燃气管线违章建筑"),  # 占压 is not 占 (a share)
    ("共拆除\n41\n处\n2650.5\n平方米违建。", "41\n处", "违建"),  # two measures, the noun after both
    ("共拆除\n41\n处\n2650.5\n平方米违建。", "2650.5\n平方米", "违建"),
    ("拆除违法建设 640 余处 9800 余平方米。", "9800 余平方米", "违法建设"),  # the second measure shares the noun
    ("配合街道对 86 个 小区开展环境整治。", "86 个", "小区"),  # a space before the counted noun
    ("办理案件26起(简易案件12起罚1300元、一般案件3起罚2700元)。", "12起", "简易案件"),  # not "罚1300元"
    ("办理案件26起(简易案件12起罚1300元、一般案件3起罚2700元)。", "2700元", "一般案件"),  # not "一般案件3起罚"
    ("年度计划新建的12座城市书房式公厕已开工9座。", "9座", "城市书房式公厕"),
    ("完成11个乡镇384处卫生死角整治。", "11个", "乡镇"),
    ("完成11个乡镇384处卫生死角整治。", "384处", "卫生死角"),
])
def test_subject(text: str, span: str, subject: str) -> None:
    found = _found(text)
    assert span in found, found
    assert found[span][4] == subject


# Status in progress sentences, names, target years, proposals and quoted requirements.
@pytest.mark.parametrize("text,span,status", [
    ("中转站改造完成总工程量的70%，其余工程预计10月底完成。", "70%", "done"),  # the plan is the rest's
    ("该路段已列入我局今年背街小巷改造项目中，涉及住宅楼36幢、居民910户。", "36幢", "planned"),  # listed, to come
    ("近年来，我区把公厕改造列入民生实事项目，2019年以来新建公厕31座。", "31座", "done"),  # a listing long done
    ("列入市级第二批投资项目6个，完成投资2300万元。", "6个", "done"),  # the count of what was listed
    ("全年主动公开信息126条，其中计划总结5条。", "5条", "done"),  # 计划总结 is a kind of document
    ("剩余3个问题中，2个为除臭设施老化问题，已完成设备采购，预计9月中旬安装完毕。", "2个", "planned"),
    ("公厕改造任务12座，已完工8座。", "12座", "planned"),  # a task restated before its number
    ("全年完成公厕改造任务12座。", "12座", "done"),
    ("对限载10吨以下的桥梁设置警示标志14块，落实“三管三必须”要求。", "14块", "done"),  # a plan word inside a name
    ("对限载10吨以下的桥梁，按“三管三必须”要求设置警示标志14块。", "14块", "done"),
    ("根据省三年行动计划，到2027年全省农村无害化厕所普及率达到95%。", "95%", "planned"),
    ("全年任务为新建改造城乡公厕42座，已完成38座。", "42座", "planned"),
    ("年度任务新建分类投放亭80个，已建成96个。", "80个", "planned"),
    ("您在建议中提出增设垃圾收集点，建议增设收集点6处。", "6处", "planned"),
    ("累计清运生活垃圾13.7万吨，完成年度预计量的83.5%。", "83.5%", "done"),  # 预计量 is a noun
    ("为落实《三年行动方案》关于“城区道路机械化清扫率达到95%以上、垃圾无害化处理率保持100%”的要求，制定本细则。",
     "95%", "planned"),
])
def test_status(text: str, span: str, status: str) -> None:
    assert _found(text)[span][2] == status
