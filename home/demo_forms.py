"""The seed notices' forms, built from the form builder's own blocks.

Each function below returns the raw StreamField data an editor would produce
in the admin: no form classes, only blocks. Zhejiang's 附件1–6 follow the
published tables field by field; the Shanghai notice names its two forms
without printing them, so those follow the Zhejiang equivalents and the
Shanghai notice's own requirements (one project or base per unit, 50 people a
year for a base).
"""

from forms_app.builder.factories import choices, column, field, heading, note, step, when

# Region lists editors maintain: code, name, level, parent code.
REGIONS = [
    ("330000", "浙江省", "province", None),
    ("330100", "杭州市", "city", "330000"),
    ("330102", "上城区", "county", "330100"),
    ("330106", "西湖区", "county", "330100"),
    ("330200", "宁波市", "city", "330000"),
    ("330203", "海曙区", "county", "330200"),
    ("330300", "温州市", "city", "330000"),
    ("330400", "嘉兴市", "city", "330000"),
    ("330500", "湖州市", "city", "330000"),
    ("330600", "绍兴市", "city", "330000"),
    ("330700", "金华市", "city", "330000"),
    ("330800", "衢州市", "city", "330000"),
    ("330900", "舟山市", "city", "330000"),
    ("331000", "台州市", "city", "330000"),
    ("331100", "丽水市", "city", "330000"),
    ("310000", "上海市", "province", None),
    ("310101", "黄浦区", "county", "310000"),
    ("310104", "徐汇区", "county", "310000"),
    ("310105", "长宁区", "county", "310000"),
    ("310106", "静安区", "county", "310000"),
    ("310107", "普陀区", "county", "310000"),
    ("310109", "虹口区", "county", "310000"),
    ("310110", "杨浦区", "county", "310000"),
    ("310112", "闵行区", "county", "310000"),
    ("310113", "宝山区", "county", "310000"),
    ("310114", "嘉定区", "county", "310000"),
    ("310115", "浦东新区", "county", "310000"),
    ("310116", "金山区", "county", "310000"),
    ("310117", "松江区", "county", "310000"),
    ("310118", "青浦区", "county", "310000"),
    ("310120", "奉贤区", "county", "310000"),
    ("310151", "崇明区", "county", "310000"),
]


def contact_fields(prefix=""):
    return [
        field("short_text", "负责部门", "department", max_length=100),
        field("short_text", "联系人", "contact_name", max_length=50),
        field("landline", "办公电话", "office_phone"),
        field("mobile", "手机", "mobile"),
        field("email", "E-mail", "email"),
    ]


def bank_fields():
    return [
        field("short_text", "开户行名称", "bank_name", max_length=100, help_text="示例：工商银行杭州XX支行"),
        field("short_text", "账户名", "account_name", max_length=100),
        field("bank_account", "账号", "account_number", help_text="银行账号，非信用卡"),
        field(
            "bank_code", "开户行联行号", "bank_code", help_text="12位数字，可网上检索“开户行所在地+大额行号”"
        ),
    ]


SERVICE_FORMS = choices(
    "技术指导", "技术推广", "项目合作", "成果转化", "人才培养", "决策咨询", "科普宣传", "义诊"
)
HELP_AREAS = choices("国家乡村振兴重点帮扶县", "非国家乡村振兴重点帮扶县")
BASE_UNIT_TYPES = choices(
    "高新技术开发区", "经济技术开发区", "产业园区", "创业园区", "技术示范基地", "产业化示范基地",
    "基层科研机构", "农村合作组织", "高新技术企业", "专业技术协会", "技术中介服务组织",
)  # fmt: skip
LONG = {"max_length": 1000, "rows": 8, "min_length": None}


def zj_form_1():
    """附件1 2024年专家服务基层示范团申报表."""
    return [
        step("basic", "基本信息", *[
            field("short_text", "服务团名称", "team_name", max_length=100),
            field("region", "承办地区", "host_region", parent=None, level="city"),
            field("integer", "服务次数", "service_times", min_value=1, max_value=None, unit="次"),
            field("date_range", "服务时间", "service_period", start_label="开始时间", end_label="结束时间"),
            heading("活动地点"),
            field("integer", "覆盖地市数", "city_count", min_value=0, max_value=11, unit="个"),
            field("integer", "覆盖区县数", "county_count", min_value=0, max_value=None, unit="个"),
            field("long_text", "活动地点分别是", "locations", max_length=500, min_length=None, rows=3),
            field("short_text", "服务领域", "service_field", max_length=100),
            field("integer", "参与专家人数", "expert_count", min_value=1, max_value=None, unit="人"),
        ]),
        step("contact", "联系人与账户", *contact_fields() + bank_fields()),
        step("service", "服务内容", *[
            heading("1.对口帮扶情况（可多选）"),
            field("multiple_choice", "跨省帮扶", "cross_province", required=False, choices=HELP_AREAS,
                  allow_other=False, other_label="", min_choices=None, max_choices=None),
            field("multiple_choice", "省内帮扶", "in_province", required=False, choices=HELP_AREAS,
                  allow_other=False, other_label="", min_choices=None, max_choices=None),
            field("multiple_choice", "2.拟采取的服务形式（可多选）", "service_forms", choices=SERVICE_FORMS,
                  allow_other=True, other_label="其他", min_choices=1, max_choices=None),
            field("long_text", "3.拟开展的服务内容", "service_content", **LONG),
            field("long_text", "4.经费保障", "funding", help_text="包括项目经费预算金额及来源等", **LONG),
        ]),
    ]  # fmt: skip


def zj_form_2():
    """附件2 2024年国家级专家服务基地申报表 (cover page, then three parts)."""
    return [
        step("cover", "封面", *[
            field("region", "申报地区", "applicant_region", parent=None, level="city"),
            field("short_text", "联系人", "cover_contact", max_length=50),
            field("phone", "联系电话", "cover_phone"),
            field("date", "填表日期", "filled_on"),
        ]),
        step("basic", "一、基本信息", *[
            field("short_text", "基地名称", "base_name", max_length=100),
            field("short_text", "依托单位名称", "host_unit", max_length=100),
            field("yes_no", "是否省级专家服务基地", "is_provincial_base", yes_label="是", no_label="否"),
            field("date", "设立时间", "established_on", condition=when("is_provincial_base", "是"),
                  help_text="省级专家服务基地的设立时间"),
            field("short_text", "所属行业领域", "industry", max_length=100),
            field("short_text", "所在地", "location", max_length=100),
            field("single_choice", "依托单位类型", "host_unit_type", choices=BASE_UNIT_TYPES, allow_other=True,
                  other_label="其他", widget="radio"),
            heading("对口联系专家人数（副高及以上职称）"),
            field("integer", "本单位专家", "own_experts", min_value=0, max_value=None, unit="人"),
            field("integer", "外单位专家", "external_experts", min_value=0, max_value=None, unit="人"),
            *contact_fields(),
            field("address", "通讯地址", "postal_address", parent=None, level="county", with_postcode=True),
        ]),
        step("activities", "二、开展专家服务活动情况", *[
            field("long_text", "1.开展专家服务的现行制度", "current_system", **LONG),
            field("long_text", "2.经费保障", "funding", **LONG),
            field("long_text", "3.近年来开展专家服务活动情况及成效", "achievements", help_text="不超过1000字", **LONG),
        ]),
        step("considerations", "三、申请设立国家级专家服务基地的有关考虑", *[
            heading("1.设立国家级专家服务基地的必要性"),
            note("以下内容可根据实际情况选填"),
            field("long_text", "（1）与国家发展规划和战略布局的相关性", "need_national", required=False, **LONG),
            field("long_text", "（2）与地区发展战略、重点领域或重点行业的相关性", "need_regional", required=False, **LONG),
            field("long_text", "（3）与基层经济社会发展需要的相关性", "need_grassroots", required=False, **LONG),
            field("long_text", "2.服务的主要领域和区域", "service_areas", **LONG),
            field("long_text", "3.能为专家及其团队开展服务活动提供的支持和保障", "support", **LONG),
            field("long_text", "4.地方及依托单位经费保障", "local_funding", **LONG),
            field("long_text", "5.柔性引才机制建立及运行情况", "talent_mechanism",
                  help_text="包括人才引进机制，与高校、科研机构等单位建立的合作机制或平台等", **LONG),
            field("long_text", "6.未来三年专家服务工作计划", "three_year_plan", help_text="不超过1000字", **LONG),
        ]),
    ]  # fmt: skip


HONOURS = [
    ("院士", "academician"),
    ("全国杰出专业技术人才", "outstanding_professional"),
    ("享受政府特殊津贴专家", "special_allowance"),
    ("百千万人才工程国家级人选", "national_talent_project"),
    ("长江学者奖励计划特聘专家", "changjiang_scholar"),
    ("国家杰出青年基金获得者", "distinguished_young"),
]


def zj_form_3():
    """附件3 2024年专家服务基层重点联系专家推荐表."""
    all_documents = [
        "resident_id",
        "passport",
        "hk_macao_permit",
        "taiwan_permit",
        "foreign_permanent",
        "other",
    ]
    return [
        step("basic", "一、基本信息", *[
            field("short_text", "姓名", "name", max_length=50),
            field("single_choice", "性别", "gender", choices=choices("男", "女"), allow_other=False,
                  other_label="", widget="radio"),
            field("short_text", "民族", "ethnicity", max_length=20),
            field("short_text", "常住地", "residence", max_length=100),
            field("short_text", "国家/地区", "nationality", max_length=50),
            field("id_number", "证件类型及号码", "identity", document_types=all_documents),
            field("short_text", "所在单位", "employer", max_length=100),
            field("short_text", "行政职务", "position", required=False, max_length=100),
            field("short_text", "兼职单位", "part_time_employer", required=False, max_length=100),
            field("short_text", "兼职行政职务", "part_time_position", required=False, max_length=100),
        ]),
        step("professional", "二、专业信息", *[
            field("single_choice", "最高学历", "education",
                  choices=choices("博士研究生", "硕士研究生", "大学本科", "大学专科"), allow_other=True,
                  other_label="其他", widget="select"),
            field("short_text", "授予国家/地区", "degree_country", max_length=50),
            field("short_text", "外国语种", "languages", required=False, max_length=100),
            field("short_text", "专业技术职务", "professional_title", max_length=100),
            heading("主要从事的学科"),
            field("short_text", "一级学科", "main_discipline", max_length=100),
            field("short_text", "研究方向", "main_research", max_length=200),
            heading("次要从事的学科"),
            field("short_text", "一级学科（次要）", "second_discipline", required=False, max_length=100),
            field("short_text", "研究方向（次要）", "second_research", required=False, max_length=200),
            heading("人才称号"),
            *[field("yes_no", label, key, yes_label="是", no_label="否") for label, key in HONOURS],
            field("long_text", "取得的突出学术、科研或技术成果", "achievements", **LONG),
        ]),
        step("contact", "三、联系方式", *[
            field("address", "通讯地址", "postal_address", parent=None, level="county", with_postcode=False),
            field("postcode", "邮政编码", "postcode"),
            field("mobile", "手机号", "mobile"),
            field("landline", "办公电话", "office_phone", required=False),
            field("email", "电子邮箱", "email"),
        ]),
        step("account", "四、账户信息", *[
            field("short_text", "开户名", "account_name", max_length=100),
            field("short_text", "开户银行", "bank_name", max_length=100, help_text="示例：工商银行北京XX区XX支行"),
            field("bank_code", "大额行号", "bank_code",
                  help_text="您可网上检索“开户行所在地+大额行号”，将会出现12个数字的代码。"),
            field("bank_account", "银行账号", "account_number", help_text="非信用卡"),
            field("file", "开户证件（扫描件）", "account_document", required=False,
                  allowed_types=["pdf", "jpg", "png"], max_size_mb=10, max_files=2),
        ]),
    ]  # fmt: skip


def zj_form_4():
    """附件4 2024年海外赤子为国服务行动项目申报表."""
    return [
        step("basic", "1.基本信息", *[
            field("short_text", "活动名称", "activity_name", max_length=100),
            field("short_text", "承办单位", "organiser", max_length=100),
            field("date_range", "活动起止时间", "activity_period", start_label="开始", end_label="结束"),
            field("integer", "留学人员及回国专家数量", "returnee_count", min_value=0, max_value=None, unit="人"),
            field("short_text", "活动地点", "location", max_length=200),
            *contact_fields(),
            field("decimal", "总预算", "total_budget", decimal_places=2, min_value="0", max_value=None, unit="万元"),
            *bank_fields(),
        ]),
        step("activity", "2.活动形式与内容", *[
            field("multiple_choice", "2.拟采取的活动形式（可多选）", "activity_forms",
                  choices=choices("人才项目交流对接", "创新创业大赛", "技术服务指导", "项目合作洽谈", "学术交流", "基层服务"),
                  allow_other=True, other_label="其他", min_choices=1, max_choices=None),
            field("long_text", "3.拟开展的活动内容", "activity_content", help_text="包括活动概况、活动规模", **LONG),
            note("备注：请另附具体活动方案，方案中请明确活动的时间、地点、规模、组织形式、具体内容、经费预算等。"),
            field("file", "具体活动方案", "activity_plan", allowed_types=["pdf", "doc", "docx"], max_size_mb=20,
                  max_files=1),
        ]),
    ]  # fmt: skip


def zj_form_5():
    """附件5 2024年“智聚山海·助力共富”专家服务工程活动计划表: a table of activities."""
    return [
        step("plan", "活动计划", *[
            field("short_text", "填报人", "reporter", max_length=50),
            field("phone", "联系电话", "reporter_phone"),
            field("table", "活动计划表", "activities", min_rows=1, max_rows=50, numbered=True, show_totals=True,
                  columns=[
                      column("活动名称", "name", required=True),
                      column("活动主要内容", "content", required=True),
                      column("拟举办日期", "date", "date", required=True),
                      column("举办单位", "organiser", required=True),
                      column("（拟）邀请专家数", "experts", "integer", unit="人"),
                      column("活动联系人", "contact"),
                      column("联系电话", "phone", "phone"),
                      column("活动预算", "budget", "decimal", unit="万元"),
                  ]),
            note("注：1.需省厅支持项目请另附活动方案，方案包括活动的时间、地点、规模、组织形式、具体内容、经费预算等。"),
            field("file", "活动方案", "plans", required=False, allowed_types=["pdf", "doc", "docx"], max_size_mb=20,
                  max_files=10),
        ]),
    ]  # fmt: skip


RESULT_COLUMNS = [
    ("本地区已完成服务团数量", "teams_completed", "个"),
    ("邀请专家总人次", "expert_visits", "人次"),
    ("现场技术指导总数", "onsite_guidance", "次"),
    ("开展专题讲座、网络远程培训总数", "lectures", "次"),
    ("提出合理化建议总数", "suggestions", "条"),
    ("义诊总人次", "clinic_visits", "人次"),
    ("对接专业项目总数", "projects_matched", "个"),
    ("破解技术难题总数", "problems_solved", "个"),
    ("达成中长期合作意向总数", "cooperation_agreements", "个"),
    ("指导培训基层专业技术人才总人数", "professionals_trained", "人"),
    ("惠及当地群众总人数", "people_benefited", "人"),
]


def zj_form_6(zhejiang):
    """附件6 2024年“智聚山海·助力共富”专家服务活动成果汇总表: fixed rows per region, 11 counters."""
    columns = [
        {"label": label, "key": key, "type": "integer", "unit": unit} for label, key, unit in RESULT_COLUMNS
    ]
    columns.append({"label": "备注", "key": "remarks", "type": "text", "unit": ""})
    return [
        step("results", "活动成果", *[
            field("short_text", "填报人", "reporter", max_length=50),
            field("phone", "联系电话", "reporter_phone"),
            field("single_choice", "填报期间", "half_year", choices=choices("上半年", "下半年"), allow_other=False,
                  other_label="", widget="radio", help_text="每半年填报一次"),
            field("matrix", "活动成果汇总", "results", row_heading="市、县（市、区）", row_source="regions",
                  region_parent=zhejiang, region_level="city", rows="", columns=columns, row_totals=False,
                  column_totals=True),
        ]),
    ]  # fmt: skip


def sh_team_form():
    """上海 《专家服务基层服务团项目申报表》."""
    return [
        step("basic", "项目基本情况", *[
            field("single_choice", "申报级别", "level", choices=choices("国家级", "市级"), allow_other=False,
                  other_label="", widget="radio"),
            field("short_text", "项目名称", "project_name", max_length=100),
            field("short_text", "申报单位", "unit_name", max_length=100),
            field("credit_code", "统一社会信用代码", "credit_code"),
            field("region", "所在区", "district", parent=None, level="county"),
            field("short_text", "上级主管部门", "supervisor", max_length=100),
            field("date_range", "服务时间", "service_period", start_label="开始时间", end_label="结束时间"),
            field("short_text", "服务地点", "location", max_length=200,
                  help_text="国家乡村振兴重点帮扶县、对口支援地区或本市基层单位"),
            field("short_text", "服务领域", "service_field", max_length=100),
        ]),
        step("experts", "专家名单", *[
            field("table", "参加服务的专家", "expert_list", min_rows=1, max_rows=50, numbered=True, show_totals=False,
                  help_text="专家一般应具有副高级及以上专业技术职称",
                  columns=[
                      column("姓名", "name", required=True),
                      column("工作单位", "employer", required=True),
                      column("专业技术职称", "title", "choice", required=True, options=choices("正高级", "副高级", "其他")),
                      column("专业领域", "field"),
                      column("联系电话", "phone", "phone"),
                  ]),
        ]),
        step("service", "服务内容与经费", *[
            field("multiple_choice", "服务形式（可多选）", "service_forms", choices=SERVICE_FORMS, allow_other=True,
                  other_label="其他", min_choices=1, max_choices=None),
            field("long_text", "服务内容", "service_content", **LONG),
            field("long_text", "预期成效", "expected_results", max_length=500, min_length=None, rows=5),
            field("decimal", "经费预算", "budget", decimal_places=2, min_value="0", max_value=None, unit="万元"),
            field("short_text", "联系人", "contact_name", max_length=50),
            field("mobile", "手机", "mobile"),
            field("email", "电子邮箱", "email"),
        ]),
    ]  # fmt: skip


def sh_base_form():
    """上海 《专家服务基地申报表》."""
    return [
        step("basic", "基地基本情况", *[
            field("single_choice", "申报级别", "level", choices=choices("国家级", "市级"), allow_other=False,
                  other_label="", widget="radio"),
            field("short_text", "基地名称", "base_name", max_length=100),
            field("short_text", "依托单位", "host_unit", max_length=100),
            field("credit_code", "依托单位统一社会信用代码", "credit_code"),
            field("region", "所在区", "district", parent=None, level="county"),
            field("single_choice", "依托单位类型", "host_unit_type", choices=BASE_UNIT_TYPES, allow_other=True,
                  other_label="其他", widget="select"),
            field("single_choice", "基地类型", "base_type", choices=choices("综合型服务基地", "专业型服务基地"),
                  allow_other=False, other_label="", widget="radio"),
            field("integer", "每年组织开展专家服务活动的参加人数", "yearly_participants", min_value=50, max_value=None,
                  unit="人次", help_text="不少于50人次"),
        ]),
        step("plan", "建设情况与计划", *[
            field("long_text", "基地建设及开展专家服务情况", "current_state", **LONG),
            field("long_text", "年度服务计划", "yearly_plan", **LONG),
            field("decimal", "依托单位日常经费保障", "own_funding", decimal_places=2, min_value="0", max_value=None,
                  unit="万元"),
            field("short_text", "联系人", "contact_name", max_length=50),
            field("landline", "办公电话", "office_phone"),
            field("mobile", "手机", "mobile"),
            field("email", "电子邮箱", "email"),
        ]),
    ]  # fmt: skip


def demo_forms(regions):
    """Return ``{notice slug: [page fields]}`` for every seed form, using ``regions`` (code → Region)."""
    zhejiang, shanghai = regions["330000"].pk, regions["310000"].pk

    def with_parent(steps, parent):
        for s in steps:
            for item in s["value"]["fields"]:
                if item["type"] == "region" and item["value"].get("parent") is None:
                    item["value"]["parent"] = parent
        return steps

    zj_header = "填报市局：（盖章）；填报日期："
    zj_table_header = "填报市局：（盖章）；填报人及联系电话：；填报日期："
    sh_header = "申报单位：（盖章）；填报日期："
    return {
        "zhejiang-2024-expert-services": [
            dict(attachment_label="附件1", title="2024年专家服务基层示范团申报表", slug="form-1",
                 steps=with_parent(zj_form_1(), zhejiang), pdf_header=zj_header, reference_prefix="ZJ",
                 recommend_quota=1, quota_level="city", batch_recommendations=True),
            dict(attachment_label="附件2", title="2024年国家级专家服务基地申报表", slug="form-2",
                 steps=with_parent(zj_form_2(), zhejiang), pdf_header=zj_header, reference_prefix="ZJ",
                 recommend_quota=1, quota_level="city"),
            dict(attachment_label="附件3", title="2024年专家服务基层重点联系专家推荐表", slug="form-3",
                 steps=zj_form_3(), pdf_header=zj_header, reference_prefix="ZJ",
                 recommend_minimum=3, quota_level="city", batch_recommendations=True),
            dict(attachment_label="附件4", title="2024年海外赤子为国服务行动项目申报表", slug="form-4",
                 steps=zj_form_4(), pdf_header=zj_header, reference_prefix="ZJ",
                 recommend_quota=1, quota_level="city"),
            dict(attachment_label="附件5", title="2024年“智聚山海·助力共富”专家服务工程活动计划表", slug="form-5",
                 steps=zj_form_5(), pdf_header=zj_table_header, reference_prefix="ZJ"),
            dict(attachment_label="附件6", title="2024年“智聚山海·助力共富”专家服务活动成果汇总表", slug="form-6",
                 steps=zj_form_6(zhejiang), pdf_header=zj_table_header, reference_prefix="ZJ"),
        ],
        "shanghai-2022-experts-serve-grassroots": [
            dict(title="专家服务基层服务团项目申报表", slug="service-team", steps=with_parent(sh_team_form(), shanghai),
                 pdf_header=sh_header, reference_prefix="SH", max_per_organisation=1,
                 quota_level="province", summary_title="2022年专家服务基层申报情况一览表"),
            dict(title="专家服务基地申报表", slug="service-base", steps=with_parent(sh_base_form(), shanghai),
                 pdf_header=sh_header, reference_prefix="SH", max_per_organisation=1),
        ],
    }  # fmt: skip
