"""The registration form's labels in English and Chinese (shown side by side when a Chinese
organisation registers, ``?lang=zh``), and the Chinese for the choices it offers."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "who": ("Who is registering", "登记单位"),
    "organisation_type": ("Type of organisation", "单位类型"),
    "organisation_name": ("Name of the organisation", "单位名称"),
    "place": ("Where it is: town, city or county", "所在地（市、县）"),
    "urn": ("School URN (DfE unique reference number)", "学校编号（URN）"),
    "ukprn": ("UKPRN (universities and colleges)", "英国院校编号（UKPRN）"),
    "contact_name": ("Contact person", "联系人"),
    "contact_role": ("Their role", "职务"),
    "contact_email": ("E-mail", "电子邮箱"),
    "contact_phone": ("Telephone", "电话"),
    "contact_languages": ("Languages they speak", "使用语言"),
    "profile": ("Profile", "基本情况"),
    "population": ("Population", "人口"),
    "sectors": ("Key sectors", "主要产业"),
    "assets": ("Education and culture assets", "教育与文化资源"),
    "phase": ("School phase", "学段"),
    "age_from": ("Youngest pupils' age", "学生最小年龄"),
    "age_to": ("Oldest pupils' age", "学生最大年龄"),
    "pupils_involved": ("Pupils involved", "参与学生人数"),
    "languages_taught": ("Languages taught", "开设的外语"),
    "intent": ("The partner you want", "合作意向"),
    "partner_country": ("Partner country (two letters)", "合作国家"),
    "partner_region": ("Province or city wanted", "希望合作的省份或城市"),
    "open_to_any": ("Any partner will do", "不限地区"),
    "exchange_kinds": ("Kinds of exchange", "交流领域"),
    "themes": ("Themes", "主题"),
    "formality": ("How formal a link", "关系形式"),
    "exclusions": ("Places you do not want", "不考虑的地区"),
    "readiness": ("Readiness", "准备情况"),
    "existing_links": ("Links you have already", "现有的合作关系"),
    "support": ("Support in your community", "社会支持"),
    "first_year_plan": ("Plan for the first year", "第一年计划"),
    "budget": ("Budget for the first year (£)", "第一年预算（英镑）"),
    "resolution": ("Council resolution", "议会决议"),
    "consent": ("The partnership organisation may contact us about this", "同意合作组织就此与我们联系"),
}

CHOICES_ZH: dict[str, str] = {
    "council": "市议会",
    "county council": "郡议会",
    "combined authority": "联合管理机构",
    "school": "学校",
    "academy trust": "学校信托",
    "university or college": "大学或学院",
    "business body": "商会或企业组织",
    "other organisation": "其他组织",
    "culture": "文化",
    "education": "教育",
    "trade": "经贸",
    "sport": "体育",
    "health": "卫生",
    "youth": "青少年",
    "science": "科技",
    "tourism": "旅游",
    "environment": "环境",
    "contact": "初步联系",
    "friendship": "友好交流",
    "sister city": "友好城市",
    "school link": "友好学校",
    "project": "项目合作",
    "primary": "小学",
    "secondary": "中学",
    "all-through": "一贯制",
    "special": "特殊教育",
    "sixth form": "高中（六年级）",
    "college": "学院",
    "none": "无",
    "planned": "计划中",
    "passed": "已通过",
}


def label(field: str, chinese: bool) -> str:
    english, zh = LABELS[field]
    return f"{english} / {zh}" if chinese else english


def choice(value: str, chinese: bool) -> str:
    zh = CHOICES_ZH.get(value)
    return f"{value} / {zh}" if chinese and zh else value
