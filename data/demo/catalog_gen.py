#!/usr/bin/env python3
"""Writes data/demo/catalog.json, the demo district's service catalog (issue 5).

Run from the repository root: python3 data/demo/catalog_gen.py
For load tests, `--items 10000 --out DIR/catalog.json` writes a larger catalog of
variants of the same items (distinct codes and names) for OW_DEMO_DIR=DIR.
The items are written from public knowledge of what a Chinese district handles
(national implementation lists, common county-level guides); the names of laws
are real, the phone numbers are the demo departments' (data/demo/orgs.csv).
Departments and windows are named by their demo codes (D01…, W01…).

Most items carry a short guide (identity document, application form, the four
standard steps); the ones in FULL carry complete guides with conditions, every
material, legal basis, fee and steps.  Hosting and online availability are set
so the district's figures resemble the 2018 report (about 91 % of items hosted
in the hall, about 96.9 % processable online).
"""
import argparse
import json
import os

TYPE_PREFIX = {
    "licensing": "01", "collection": "04", "payment": "05", "confirmation": "07",
    "reward": "08", "adjudication": "09", "other_power": "10", "public_service": "20",
}

PHONE = {f"D{i:02d}": f"0737-42221{i:02d}" for i in range(1, 35)}

WINDOW = {
    "D04": "W13", "D05": "W14", "D08": "W11", "D20": "W12", "D25": "W10", "D26": "W09",
    "D19": "W08", "D24": "W16", "D11": "W15", "D01": "W07", "D10": "W07", "D09": "W07",
    "D23": "W07", "D12": "W07", "D28": "W07", "D33": "W07",
}

HOURS = "工作日 上午8:30—12:00，下午14:30—17:30（法定节假日除外）"
PLACE = "益阳市赫山区福泽大厦政务服务中心"
REMEDIES = ("申请人对办理结果不服的，可以自收到决定之日起六十日内依法申请行政复议，"
            "或者在六个月内依法向人民法院提起行政诉讼。")

ID_CARD = {"name": "居民身份证", "form": "original", "copies": 1, "medium": "paper",
           "source": "申请人自备", "license_type": "居民身份证"}
BUSINESS_LICENSE = {"name": "营业执照", "form": "copy", "copies": 1, "medium": "paper",
                    "source": "政府部门核发", "license_type": "营业执照"}
AGENT = {"name": "授权委托书及受托人身份证件", "form": "original", "copies": 1, "medium": "paper",
         "required": "conditional", "condition": "委托他人代为办理的", "source": "申请人自备"}


def m(name, form="original", copies=1, medium="paper", required="yes", condition="",
      source="申请人自备", blank_form="", sample="", license_type="", note=""):
    return {"name": name, "form": form, "copies": copies, "medium": medium,
            "required": required, "condition": condition, "source": source,
            "blank_form": blank_form, "sample": sample, "license_type": license_type,
            "note": note}


def standard_steps(dept, window, committed):
    review = committed // 2
    decide = committed - review
    return [
        {"name": "受理", "role": "clerk", "org_code": window, "days": 0,
         "description": "窗口核验材料，材料齐全、符合法定形式的当场受理"},
        {"name": "审查", "role": "approver", "org_code": dept, "days": review,
         "description": "对申请材料进行审查，必要时进行现场核查"},
        {"name": "决定", "role": "approver", "org_code": dept, "days": decide,
         "description": "作出准予或者不予的决定"},
        {"name": "出件", "role": "clerk", "org_code": "W17", "days": 0,
         "description": "综合出件窗口发放结果，或邮寄送达"},
    ]


def immediate_steps(dept, window):
    return [
        {"name": "受理", "role": "clerk", "org_code": window, "days": 0,
         "description": "窗口核验材料"},
        {"name": "办结", "role": "clerk", "org_code": window, "days": 0,
         "description": "当场审核、当场办结并出具结果"},
    ]


ITEMS = []


def add(dept, name, typ, theme="", stat=20, comm=None, target="person", modes=None,
        visits=None, levels=("district",), hosted=True, depth="full", fee=None,
        keywords="", basis="", conditions="", materials=None, steps=None, result="",
        window=None, appointment=False, delivery=True, scope="全区通办", full=False):
    if comm is None:
        comm = 0 if stat == 0 else max(1, stat // 2)
    window = window or WINDOW.get(dept, "W0%d" % (1 + len(ITEMS) % 6))
    if modes is None:
        modes = []
        if comm == 0:
            modes.append("immediate")
        if depth != "none":
            modes.append("online")
        if "township" in levels or "agent_point" in levels:
            modes.append("nearby")
    if visits is None:
        visits = 0 if depth == "full" else 1
    if visits <= 1 and "one_visit" not in modes:
        modes.append("one_visit")
    if materials is None:
        materials = [ID_CARD if target != "enterprise" else BUSINESS_LICENSE,
                     m(f"《{name}申请表》", blank_form=f"{name}申请表.docx",
                       sample=f"{name}申请表（示例）.pdf")]
    if steps is None:
        steps = immediate_steps(dept, window) if comm == 0 else standard_steps(dept, window, comm)
    ITEMS.append({
        "dept": dept, "name": name, "type": typ, "theme": theme, "stat": stat, "comm": comm,
        "target": target, "modes": modes, "visits": visits, "levels": list(levels),
        "hosted": hosted, "depth": depth, "fee": fee, "keywords": keywords,
        "basis": basis, "conditions": conditions, "materials": materials, "steps": steps,
        "result": result, "window": window, "appointment": appointment, "delivery": delivery,
        "scope": scope, "full": full,
    })


# ---------------------------------------------------------------- complete guides

add("D05", "内地居民结婚登记", "confirmation", "婚姻", stat=0, comm=0, depth="apply",
    modes=["immediate", "online", "one_visit"], visits=1, appointment=True, delivery=False,
    keywords="结婚 领证 婚姻登记", window="W14", full=True, scope="全省通办（试点）",
    basis="《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条至第七条",
    conditions="1. 男女双方完全自愿；2. 男方年满22周岁、女方年满20周岁；3. 双方均无配偶；"
               "4. 双方不是直系血亲或者三代以内的旁系血亲；5. 双方亲自到婚姻登记机关共同申请。",
    materials=[
        m("居民户口簿", license_type="居民户口簿"),
        dict(ID_CARD),
        m("本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
          source="登记机关现场签署", blank_form="申请结婚登记声明书.docx",
          sample="申请结婚登记声明书（示例）.pdf"),
        m("近期半身免冠合影照片", copies=3, note="2寸，红色背景"),
        m("离婚证或者离婚判决书、调解书", required="conditional",
          condition="曾经离婚的当事人提供", license_type="离婚证"),
    ],
    steps=[
        {"name": "预约与受理", "role": "clerk", "org_code": "W14", "days": 0,
         "description": "双方共同到场，核验身份证件和户口簿，填写《申请结婚登记声明书》"},
        {"name": "审查登记", "role": "approver", "org_code": "D05", "days": 0,
         "description": "区民政局婚姻登记员询问当事人，审查材料是否真实、齐全，符合条件的当场予以登记"},
        {"name": "颁证", "role": "clerk", "org_code": "W14", "days": 0,
         "description": "发给结婚证；可选择颁证仪式"},
    ],
    result="结婚证", fee={"charged": False})

add("D05", "内地居民离婚登记", "confirmation", "婚姻", stat=30, comm=30, depth="apply",
    modes=["online"], visits=2, appointment=True, delivery=False, window="W14", full=True,
    keywords="协议离婚 离婚冷静期",
    basis="《中华人民共和国民法典》第一千零七十六条、第一千零七十七条；《婚姻登记条例》第十条至第十三条",
    conditions="1. 双方自愿离婚，并对子女抚养、财产及债务处理等事项协商一致；"
               "2. 双方均具有完全民事行为能力；3. 双方在内地登记结婚；"
               "4. 自婚姻登记机关收到离婚登记申请之日起三十日内为离婚冷静期，期满后三十日内双方亲自到场申请发给离婚证。",
    materials=[
        m("居民户口簿", license_type="居民户口簿"), dict(ID_CARD),
        m("结婚证", license_type="结婚证"),
        m("离婚协议书", copies=3, blank_form="离婚协议书参考文本.docx",
          sample="离婚协议书（示例）.pdf"),
        m("近期2寸单人半身免冠照片", copies=2),
    ],
    steps=[
        {"name": "申请", "role": "clerk", "org_code": "W14", "days": 0,
         "description": "双方共同到场提交离婚登记申请，登记机关出具《离婚登记申请受理回执单》"},
        {"name": "冷静期", "role": "clerk", "org_code": "W14", "days": 0,
         "description": "三十日离婚冷静期（自然日，不计入工作日时限）；任何一方不愿离婚的可撤回申请"},
        {"name": "审查登记", "role": "clerk", "org_code": "W14", "days": 30,
         "description": "冷静期满后三十日内双方共同到场，审查符合规定的予以登记"},
        {"name": "发证", "role": "clerk", "org_code": "W14", "days": 0,
         "description": "发给离婚证"},
    ],
    result="离婚证", fee={"charged": False})

add("D05", "补领结婚证、离婚证", "confirmation", "婚姻", stat=0, comm=0, depth="apply",
    visits=1, window="W14", full=True, keywords="婚姻登记 补证 结婚证遗失",
    basis="《婚姻登记条例》第十七条",
    conditions="结婚证、离婚证遗失或者损毁的，当事人可以持户口簿、身份证向原办理婚姻登记的机关或者一方常住户口所在地的婚姻登记机关申请补领。",
    materials=[m("居民户口簿", license_type="居民户口簿"), dict(ID_CARD),
               m("近期2寸半身免冠照片", copies=3, note="补领结婚证需双方合影"),
               m("申请补领婚姻登记证声明书", source="登记机关现场签署")],
    result="结婚证或离婚证", fee={"charged": False})

add("D05", "最低生活保障对象认定", "payment", "社会救助", stat=30, comm=20,
    levels=("township", "agent_point"), depth="apply", visits=1, full=True,
    keywords="低保 城乡低保 救助",
    basis="《社会救助暂行办法》第九条至第十三条；《湖南省最低生活保障工作规程》",
    conditions="共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定的。",
    materials=[dict(ID_CARD), m("居民户口簿", license_type="居民户口簿"),
               m("《最低生活保障申请书》", blank_form="最低生活保障申请书.docx",
                 sample="最低生活保障申请书（示例）.pdf"),
               m("家庭经济状况核对授权书", source="申请人及家庭成员签署"),
               m("残疾证或者病历、诊断证明", required="conditional",
                 condition="家庭成员中有残疾人或者重病患者的", license_type="残疾人证")],
    steps=[
        {"name": "受理", "role": "agent", "org_code": "", "days": 0,
         "description": "向户籍所在地乡镇（街道）提出申请，村（社区）代办点可代为提交"},
        {"name": "家庭经济状况调查", "role": "approver", "org_code": "D05", "days": 10,
         "description": "入户调查、信息核对，在村（社区）公示7天"},
        {"name": "审核确认", "role": "approver", "org_code": "D05", "days": 10,
         "description": "区民政局审核确认，符合条件的自下月起发放"},
    ],
    result="最低生活保障金领取证", fee={"charged": False})

add("D05", "特困人员认定", "payment", "社会救助", stat=30, comm=20,
    levels=("township", "agent_point"), depth="apply", full=True,
    keywords="五保 特困供养",
    basis="《社会救助暂行办法》第十四条至第十九条；《特困人员认定办法》",
    conditions="老年人、残疾人以及未满16周岁的未成年人，同时无劳动能力、无生活来源、无法定赡养抚养扶养义务人或者其法定义务人无履行义务能力的。",
    materials=[dict(ID_CARD), m("居民户口簿", license_type="居民户口簿"),
               m("《特困人员救助供养申请书》", blank_form="特困人员救助供养申请书.docx"),
               m("残疾证", required="conditional", condition="申请人为残疾人的",
                 license_type="残疾人证")],
    steps=[
        {"name": "受理", "role": "agent", "org_code": "", "days": 0, "description": "乡镇（街道）受理"},
        {"name": "调查审核", "role": "approver", "org_code": "D05", "days": 10,
         "description": "入户调查、民主评议、公示"},
        {"name": "确认", "role": "approver", "org_code": "D05", "days": 10,
         "description": "区民政局确认并发放救助供养证"},
    ],
    result="特困人员救助供养证", fee={"charged": False})

add("D05", "高龄津贴申领", "payment", "养老", stat=20, comm=10,
    levels=("district", "township", "agent_point"), full=True, keywords="老人补贴 80岁",
    basis="《中华人民共和国老年人权益保障法》第三十三条；《湖南省高龄津贴发放管理办法》",
    conditions="具有本区户籍、年满80周岁的老年人。",
    materials=[dict(ID_CARD), m("居民户口簿", license_type="居民户口簿"),
               m("本人银行卡或存折", form="copy", source="申请人自备")],
    steps=[
        {"name": "受理", "role": "agent", "org_code": "", "days": 0, "description": "村（社区）代办点代为受理"},
        {"name": "审核", "role": "approver", "org_code": "D05", "days": 10,
         "description": "核对年龄和户籍，公示后按月发放"},
    ],
    result="高龄津贴按月发放至本人账户", fee={"charged": False})

add("D05", "殡葬补助（惠民殡葬）申领", "payment", "殡葬", stat=20, comm=5,
    levels=("district", "township"), full=True, keywords="丧葬费 火化补助",
    basis="《殡葬管理条例》；《益阳市惠民殡葬政策实施办法》",
    conditions="本区户籍居民死亡后在本市殡仪馆火化的，其家属可申领基本殡葬服务费用减免。",
    materials=[m("死亡医学证明或者公安机关出具的死亡证明"), m("火化证明"),
               m("经办人居民身份证", license_type="居民身份证"),
               m("逝者户口注销证明", source="公安机关出具")],
    steps=[
        {"name": "受理", "role": "clerk", "org_code": "W01", "days": 0, "description": "综合窗口受理"},
        {"name": "审核", "role": "approver", "org_code": "D05", "days": 5,
         "description": "核对火化信息，符合条件的直接减免或发放"},
    ],
    result="殡葬补助发放", fee={"charged": False})

add("D04", "居民身份证申领", "confirmation", "户籍", stat=60, comm=20, depth="apply",
    visits=1, levels=("district", "township"), full=True, fee={"charged": True,
    "standard": "首次申领、换领20元/证；临时居民身份证10元/证",
    "basis": "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"},
    keywords="身份证 办身份证 换证 补证",
    basis="《中华人民共和国居民身份证法》第八条、第十一条",
    conditions="居住在中华人民共和国境内的年满十六周岁的中国公民应当申请领取居民身份证；未满十六周岁的可以申请领取。",
    materials=[m("居民户口簿", license_type="居民户口簿"),
               m("原居民身份证", required="conditional", condition="换领的，交回原证"),
               m("《居民身份证申领登记表》", source="窗口现场采集"),
               m("监护人居民身份证", required="conditional",
                 condition="未满十六周岁的由监护人陪同", license_type="居民身份证")],
    steps=[
        {"name": "受理采集", "role": "clerk", "org_code": "W13", "days": 0,
         "description": "现场采集人像和指纹信息"},
        {"name": "审核签发", "role": "approver", "org_code": "D04", "days": 5,
         "description": "户籍民警审核，上报制证"},
        {"name": "制证", "role": "approver", "org_code": "D04", "days": 15,
         "description": "省公安厅统一制证"},
        {"name": "领取", "role": "clerk", "org_code": "W13", "days": 0,
         "description": "窗口领取或邮寄到家"},
    ],
    result="中华人民共和国居民身份证")

add("D04", "出生登记", "confirmation", "生育", stat=0, comm=0, depth="full", visits=0,
    levels=("district", "township"), full=True, keywords="新生儿落户 上户口 出生落户",
    basis="《中华人民共和国户口登记条例》第七条",
    conditions="婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。",
    materials=[m("出生医学证明", license_type="出生医学证明", medium="both"),
               m("父母双方居民户口簿", license_type="居民户口簿", medium="both"),
               m("父母双方居民身份证", license_type="居民身份证", medium="both"),
               m("结婚证", required="conditional", condition="父母已婚的", license_type="结婚证",
                 medium="both")],
    steps=[
        {"name": "网上申请", "role": "clerk", "org_code": "W13", "days": 0,
         "description": "通过“出生一件事”联办，网上提交"},
        {"name": "审核办结", "role": "clerk", "org_code": "W13", "days": 0,
         "description": "即时审核入户，户口簿可邮寄"},
    ],
    result="居民户口簿（新生儿页）")

add("D04", "户口迁移（市内迁移）", "confirmation", "户籍", stat=20, comm=5, depth="apply",
    visits=1, levels=("district", "township"), full=True, keywords="迁户口 落户 户口迁入",
    basis="《中华人民共和国户口登记条例》第十条；《湖南省公安厅户口迁移管理规定》",
    conditions="在本市范围内有合法稳定住所（含租赁）的人员，可申请将户口迁入居住地。",
    materials=[m("居民户口簿", license_type="居民户口簿"), dict(ID_CARD),
               m("不动产权证书或购房合同", license_type="不动产权证书"),
               m("房屋租赁合同及居住证", required="conditional", condition="租赁房屋落户的")],
    result="户口迁移证明／新户口簿")

add("D04", "居住证申领", "confirmation", "户籍", stat=15, comm=5, depth="full", visits=0,
    levels=("district", "township"), full=True, keywords="暂住证 居住登记",
    basis="《居住证暂行条例》第九条",
    conditions="离开常住户口所在地到本区居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的。",
    materials=[dict(ID_CARD, medium="both"),
               m("居住地住址证明", medium="both", note="房屋租赁合同、房屋产权证明或单位出具的证明"),
               m("就业、就读证明", required="conditional", condition="以就业或就读为由申领的",
                 medium="both")],
    result="居住证")

add("D19", "个体工商户设立登记", "licensing", "开办企业", stat=15, comm=1,
    depth="full", visits=0, levels=("district", "township"), full=True,
    keywords="个体户 营业执照 开店",
    basis="《促进个体工商户发展条例》第八条；《中华人民共和国市场主体登记管理条例》第三条",
    conditions="有经营能力的自然人，经营场所合法，名称、经营范围符合规定。",
    materials=[m("《个体工商户登记（备案）申请书》", medium="electronic", copies=0,
                 blank_form="个体工商户登记申请书.docx", sample="个体工商户登记申请书（示例）.pdf"),
               m("经营者居民身份证", medium="electronic", copies=0, license_type="居民身份证"),
               m("经营场所使用证明", medium="electronic", copies=0)],
    steps=[
        {"name": "网上申报", "role": "clerk", "org_code": "W08", "days": 0,
         "description": "在企业登记全程电子化平台提交"},
        {"name": "审核核准", "role": "approver", "org_code": "D19", "days": 1,
         "description": "材料齐全的当日核准"},
        {"name": "发照", "role": "clerk", "org_code": "W17", "days": 0,
         "description": "领取电子营业执照，纸质执照可邮寄"},
    ],
    result="营业执照")

add("D19", "有限责任公司设立登记", "licensing", "开办企业", stat=15, comm=1,
    target="enterprise", depth="full", visits=0, full=True,
    keywords="注册公司 开公司 企业开办 营业执照",
    basis="《中华人民共和国公司法》第二十九条；《中华人民共和国市场主体登记管理条例》第十九条",
    conditions="股东符合法定人数，有符合公司章程规定的认缴出资额，有公司名称、住所和组织机构。",
    materials=[m("《公司登记（备案）申请书》", medium="electronic", copies=0,
                 blank_form="公司登记申请书.docx", sample="公司登记申请书（示例）.pdf"),
               m("公司章程", medium="electronic", copies=0, sample="有限责任公司章程（示例）.pdf"),
               m("股东主体资格证明", medium="electronic", copies=0),
               m("法定代表人、董事、监事和经理的任职文件", medium="electronic", copies=0),
               m("住所使用证明", medium="electronic", copies=0)],
    steps=[
        {"name": "网上申报", "role": "clerk", "org_code": "W08", "days": 0,
         "description": "企业开办“一网通办”，登记、刻章、申领发票、社保登记一次提交"},
        {"name": "审核核准", "role": "approver", "org_code": "D19", "days": 1,
         "description": "一个工作日内核准"},
        {"name": "出件", "role": "clerk", "org_code": "W17", "days": 0,
         "description": "营业执照、印章、发票一次领取或免费寄递"},
    ],
    result="营业执照")

add("D19", "食品经营许可", "licensing", "经营许可", stat=20, comm=10, target="enterprise",
    depth="full", visits=1, full=True, keywords="餐饮许可 食品许可证 开饭店",
    basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
    conditions="具有与经营的食品品种、数量相适应的经营场所、设备设施、食品安全管理人员和管理制度。",
    materials=[m("《食品经营许可申请书》", medium="electronic", copies=0,
                 blank_form="食品经营许可申请书.docx"),
               dict(BUSINESS_LICENSE),
               m("与食品经营相适应的主要设备设施布局、操作流程等文件", medium="electronic", copies=0),
               m("食品安全自查、从业人员健康管理等食品安全管理制度", medium="electronic", copies=0)],
    steps=[
        {"name": "受理", "role": "clerk", "org_code": "W08", "days": 0, "description": "网上或窗口受理"},
        {"name": "现场核查", "role": "approver", "org_code": "D19", "days": 5,
         "description": "需要现场核查的，核查时间不计入时限"},
        {"name": "决定", "role": "approver", "org_code": "D19", "days": 5, "description": "作出许可决定"},
        {"name": "发证", "role": "clerk", "org_code": "W17", "days": 0, "description": "发放许可证或邮寄"},
    ],
    result="食品经营许可证")

add("D26", "国有建设用地使用权及房屋所有权转移登记", "confirmation", "不动产", stat=30,
    comm=5, target="both", depth="apply", visits=1, full=True,
    keywords="过户 二手房过户 房产证 不动产登记",
    fee={"charged": True, "standard": "住宅80元/件；非住宅550元/件；每增加一本证书加收10元",
         "basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"},
    basis="《中华人民共和国民法典》第二百零九条；《不动产登记暂行条例》第十四条；《不动产登记暂行条例实施细则》第三十八条",
    conditions="买卖、互换、赠与、继承等导致不动产权利转移的，当事人共同申请转移登记。",
    materials=[m("不动产登记申请书", blank_form="不动产登记申请书.docx",
                 sample="不动产登记申请书（示例）.pdf"),
               m("申请人身份证明", license_type="居民身份证"),
               m("不动产权属证书", license_type="不动产权证书"),
               m("房屋买卖合同或其他转移原因证明材料", copies=2),
               m("完税凭证", source="税务部门核发", medium="both"),
               m("婚姻状况证明", required="conditional", condition="申请人已婚，房屋为夫妻共有的",
                 license_type="结婚证")],
    steps=[
        {"name": "一窗受理", "role": "clerk", "org_code": "W09", "days": 0,
         "description": "不动产登记、交易、税务一窗受理"},
        {"name": "审核", "role": "approver", "org_code": "D26", "days": 3,
         "description": "查验权属、查封抵押状况"},
        {"name": "登簿", "role": "approver", "org_code": "D26", "days": 2, "description": "记载于不动产登记簿"},
        {"name": "发证", "role": "clerk", "org_code": "W17", "days": 0, "description": "领取不动产权证书"},
    ],
    result="不动产权证书")

add("D26", "不动产抵押权首次登记", "confirmation", "不动产", stat=30, comm=3, target="both",
    depth="full", visits=0, full=True, keywords="抵押登记 按揭 房贷",
    fee={"charged": True, "standard": "住宅80元/件；非住宅550元/件",
         "basis": "发改价格规〔2016〕2559号"},
    basis="《中华人民共和国民法典》第四百零二条；《不动产登记暂行条例实施细则》第六十五条",
    conditions="以不动产设定抵押的，抵押人与抵押权人共同申请。",
    materials=[m("不动产登记申请书", medium="electronic", copies=0),
               m("申请人身份证明", medium="electronic", copies=0, license_type="居民身份证"),
               m("不动产权属证书", medium="electronic", copies=0, license_type="不动产权证书"),
               m("主债权合同和抵押合同", medium="electronic", copies=0)],
    steps=[
        {"name": "银行端申报", "role": "clerk", "org_code": "W09", "days": 0,
         "description": "通过“不动产+金融”服务在银行网点网上申报"},
        {"name": "审核登簿", "role": "approver", "org_code": "D26", "days": 3, "description": "审核并登簿"},
        {"name": "出具证明", "role": "clerk", "org_code": "W09", "days": 0,
         "description": "出具电子不动产登记证明"},
    ],
    result="不动产登记证明")

add("D08", "城乡居民基本养老保险参保登记", "public_service", "社保", stat=0, comm=0,
    depth="full", visits=0, levels=("district", "township", "agent_point"), full=True,
    keywords="居民养老保险 农村养老保险 参保",
    basis="《中华人民共和国社会保险法》第二十条至第二十二条；《国务院关于建立统一的城乡居民基本养老保险制度的意见》",
    conditions="年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民。",
    materials=[dict(ID_CARD, medium="both"),
               m("《城乡居民基本养老保险参保登记表》", medium="both",
                 blank_form="城乡居民基本养老保险参保登记表.docx")],
    result="参保登记完成")

add("D08", "城乡居民基本养老保险待遇申领", "payment", "养老", stat=20, comm=5, depth="full",
    visits=0, levels=("district", "township", "agent_point"), full=True,
    keywords="领养老金 退休待遇",
    basis="《中华人民共和国社会保险法》第二十二条",
    conditions="年满60周岁、累计缴费满15年且未领取国家规定的基本养老保障待遇的参保人。",
    materials=[dict(ID_CARD, medium="both"), m("社会保障卡", form="copy", medium="both",
                                               license_type="社会保障卡")],
    steps=[
        {"name": "申请", "role": "agent", "org_code": "", "days": 0,
         "description": "本人网上申请或由村（社区）代办员代办"},
        {"name": "审核", "role": "approver", "org_code": "D08", "days": 5,
         "description": "核定待遇并次月发放"},
    ],
    result="养老金按月发放")

add("D08", "失业保险金申领", "payment", "就业", stat=20, comm=3, depth="full", visits=0,
    full=True, keywords="失业金 失业补助",
    basis="《中华人民共和国社会保险法》第四十五条；《失业保险条例》第十四条",
    conditions="失业前用人单位和本人已经缴纳失业保险费满一年，非因本人意愿中断就业，已经进行失业登记并有求职要求。",
    materials=[dict(ID_CARD, medium="both"), m("解除或终止劳动合同的证明", medium="both")],
    steps=[
        {"name": "网上申请", "role": "clerk", "org_code": "W11", "days": 0, "description": "网上或窗口申请"},
        {"name": "审核", "role": "approver", "org_code": "D08", "days": 3, "description": "核定领取期限和标准"},
    ],
    result="失业保险金按月发放")

add("D08", "就业创业证申领", "public_service", "就业", stat=0, comm=0, depth="full", visits=0,
    levels=("district", "township"), full=True, keywords="失业登记 就业登记 就业失业登记证",
    basis="《就业服务与就业管理规定》第六十一条至第六十三条",
    conditions="法定劳动年龄内、有劳动能力和就业要求的本区常住人员。",
    materials=[dict(ID_CARD, medium="both")], result="就业创业证")

add("D08", "社会保障卡申领", "public_service", "社保", stat=10, comm=5, depth="full",
    visits=0, levels=("district", "township", "agent_point"), full=True,
    keywords="社保卡 医保卡 补卡",
    basis="《中华人民共和国社会保险法》第五十八条",
    conditions="参加本地社会保险的人员。",
    materials=[dict(ID_CARD, medium="both"),
               m("近期免冠彩色照片", medium="electronic", copies=0, note="可用手机拍摄上传")],
    result="社会保障卡（可邮寄）")

add("D20", "城乡居民基本医疗保险参保登记", "public_service", "医保", stat=0, comm=0,
    depth="full", visits=0, levels=("district", "township", "agent_point"), full=True,
    keywords="居民医保 新农合 参保缴费",
    basis="《中华人民共和国社会保险法》第二十五条",
    conditions="不属于职工基本医疗保险覆盖范围的城乡居民。",
    materials=[dict(ID_CARD, medium="both"), m("居民户口簿", medium="both",
                                               license_type="居民户口簿")],
    result="参保登记完成")

add("D20", "异地就医备案", "public_service", "医保", stat=0, comm=0, depth="full", visits=0,
    full=True, keywords="异地就医 跨省就医 转诊备案",
    basis="《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
    conditions="异地长期居住人员、临时外出就医人员。",
    materials=[dict(ID_CARD, medium="electronic", copies=0),
               m("个人承诺书", medium="electronic", copies=0, source="网上签署")],
    result="备案成功，可在备案地直接结算")

add("D20", "医疗费用手工（零星）报销", "payment", "医保", stat=30, comm=15, depth="apply",
    visits=1, full=True, keywords="医保报销 住院报销",
    basis="《中华人民共和国社会保险法》第二十八条、第二十九条",
    conditions="参保人员因故未能直接结算的合规医疗费用。",
    materials=[dict(ID_CARD), m("医疗费用发票"), m("费用明细清单"),
               m("出院小结", required="conditional", condition="住院费用报销的"),
               m("社会保障卡或银行卡", form="copy", license_type="社会保障卡")],
    steps=[
        {"name": "受理", "role": "clerk", "org_code": "W12", "days": 0, "description": "窗口受理"},
        {"name": "审核", "role": "approver", "org_code": "D20", "days": 10, "description": "费用审核"},
        {"name": "支付", "role": "approver", "org_code": "D20", "days": 5, "description": "拨付至本人账户"},
    ],
    result="报销款拨付")

add("D25", "住房公积金提取（购买自住住房）", "public_service", "公积金", stat=5, comm=1,
    depth="full", visits=0, full=True, keywords="公积金提取 买房提取",
    basis="《住房公积金管理条例》第二十四条",
    conditions="购买、建造、翻建、大修自住住房的职工及其配偶。",
    materials=[dict(ID_CARD, medium="both"),
               m("购房合同及购房发票或不动产权证书", medium="both", license_type="不动产权证书"),
               m("本人银行卡", form="copy", medium="both")],
    steps=[
        {"name": "申请", "role": "clerk", "org_code": "W10", "days": 0, "description": "网上或窗口申请"},
        {"name": "审核", "role": "approver", "org_code": "D25", "days": 1, "description": "审核并转账"},
    ],
    result="提取金额转入本人账户")

add("D25", "住房公积金个人住房贷款", "public_service", "公积金", stat=15, comm=10,
    depth="apply", visits=1, full=True, keywords="公积金贷款 买房贷款",
    basis="《住房公积金管理条例》第二十六条",
    conditions="连续足额缴存住房公积金满6个月，购买本市自住住房。",
    materials=[dict(ID_CARD), m("婚姻状况证明", license_type="结婚证"), m("购房合同"),
               m("首付款证明"), m("收入证明")],
    steps=[
        {"name": "受理", "role": "clerk", "org_code": "W10", "days": 0, "description": "窗口受理"},
        {"name": "审批", "role": "approver", "org_code": "D25", "days": 5, "description": "贷款审批"},
        {"name": "签约放款", "role": "approver", "org_code": "D25", "days": 5, "description": "签订合同、办理抵押、放款"},
    ],
    result="贷款发放")

add("D24", "发票领用", "other_power", "纳税", stat=0, comm=0, target="enterprise",
    depth="full", visits=0, full=True, keywords="领发票 申领发票 税控",
    basis="《中华人民共和国发票管理办法》第十五条",
    conditions="已办理税务登记（信息确认）的纳税人。",
    materials=[m("经办人身份证件", medium="electronic", copies=0, license_type="居民身份证")],
    result="发票（电子或纸质，可邮寄）")

add("D24", "个人所得税综合所得年度汇算", "other_power", "纳税", stat=0, comm=0,
    depth="full", visits=0, full=True, keywords="个税汇算 退税",
    basis="《中华人民共和国个人所得税法》第十一条",
    conditions="取得综合所得且需要补税或申请退税的居民个人。",
    materials=[m("本人身份证件", medium="electronic", copies=0, license_type="居民身份证")],
    result="年度汇算完成")

add("D11", "道路货物运输经营许可", "licensing", "交通出行", stat=20, comm=5,
    target="enterprise", depth="full", visits=0, full=True, keywords="道路运输许可证 货运",
    basis="《中华人民共和国道路运输条例》第二十四条",
    conditions="有与经营业务相适应并经检测合格的车辆，有符合规定条件的驾驶人员，有健全的安全生产管理制度。",
    materials=[m("《道路货物运输经营申请表》", medium="electronic", copies=0),
               m("负责人身份证明", medium="electronic", copies=0, license_type="居民身份证"),
               m("驾驶人员从业资格证", medium="electronic", copies=0),
               m("安全生产管理制度文本", medium="electronic", copies=0)],
    result="道路运输经营许可证")

add("D02", "小学一年级新生入学登记", "public_service", "入学", stat=20, comm=10,
    depth="full", visits=0, full=True, keywords="小学入学 新生报名 学位",
    basis="《中华人民共和国义务教育法》第十一条、第十二条",
    conditions="年满6周岁的适龄儿童，按户籍或居住证划片就近入学。",
    materials=[m("居民户口簿", medium="both", license_type="居民户口簿"),
               m("不动产权证书或居住证", medium="both", license_type="不动产权证书"),
               m("预防接种证查验证明", medium="both")],
    steps=[
        {"name": "网上报名", "role": "clerk", "org_code": "W01", "days": 0, "description": "义务教育招生平台报名"},
        {"name": "资格审核", "role": "approver", "org_code": "D02", "days": 10, "description": "审核户籍和住房"},
    ],
    result="入学通知")

add("D16", "生育登记", "public_service", "生育", stat=0, comm=0, depth="full", visits=0,
    levels=("district", "township", "agent_point"), full=True, keywords="生育服务证 准生证",
    basis="《中华人民共和国人口与计划生育法》；《湖南省生育登记服务办法》",
    conditions="本区户籍或在本区居住的夫妻生育子女的。",
    materials=[m("夫妻双方居民身份证", medium="electronic", copies=0, license_type="居民身份证"),
               m("结婚证", medium="electronic", copies=0, license_type="结婚证")],
    result="生育登记服务单")

add("D16", "医师执业注册", "licensing", "卫生健康", stat=20, comm=10, depth="full",
    visits=0, full=True, keywords="医师执业证书 执业变更",
    basis="《中华人民共和国医师法》第十三条",
    conditions="取得医师资格，受聘于医疗、预防、保健机构。",
    materials=[m("医师执业注册申请审核表", medium="electronic", copies=0),
               m("医师资格证书", medium="electronic", copies=0),
               m("6个月内健康体检证明", medium="electronic", copies=0),
               m("拟执业机构聘用证明", medium="electronic", copies=0)],
    result="医师执业证书")

add("D27", "残疾人证新办", "confirmation", "残疾人", stat=20, comm=15, depth="apply",
    visits=1, levels=("district", "township"), full=True, keywords="残疾证 残疾评定",
    basis="《中华人民共和国残疾人保障法》；《中国残疾人联合会关于印发〈中华人民共和国残疾人证管理办法〉的通知》",
    conditions="符合残疾标准的本区户籍居民。",
    materials=[dict(ID_CARD), m("居民户口簿", license_type="居民户口簿"),
               m("近期2寸免冠彩色照片", copies=3)],
    steps=[
        {"name": "申请", "role": "clerk", "org_code": "W01", "days": 0, "description": "窗口或乡镇（街道）申请"},
        {"name": "评定", "role": "approver", "org_code": "D27", "days": 10,
         "description": "到指定医疗机构进行残疾评定"},
        {"name": "审核发证", "role": "approver", "org_code": "D27", "days": 5, "description": "审核并制发残疾人证"},
    ],
    result="中华人民共和国残疾人证")

add("D17", "退役士兵自主就业一次性经济补助金发放", "payment", "退役军人", stat=20, comm=10,
    depth="apply", visits=1, full=True, keywords="退伍 退役补助",
    basis="《退役士兵安置条例》第十九条",
    conditions="选择自主就业并在本区落户的退役士兵。",
    materials=[dict(ID_CARD), m("退出现役证"), m("银行卡", form="copy")],
    result="补助金发放")

add("D10", "建筑工程施工许可", "licensing", "工程建设", stat=7, comm=3, target="enterprise",
    depth="full", visits=0, full=True, keywords="施工许可证 开工",
    basis="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
    conditions="已经办理用地批准手续；已取得建设工程规划许可证；已经确定施工企业；有满足施工需要的资金安排、施工图纸及技术资料。",
    materials=[m("建筑工程施工许可证申请表", medium="electronic", copies=0),
               m("建设工程规划许可证", medium="electronic", copies=0),
               m("中标通知书或直接发包文件", medium="electronic", copies=0),
               m("施工图审查合格书", medium="electronic", copies=0)],
    result="建筑工程施工许可证")

# ---------------------------------------------------------------- the rest of the list
# (dept, name, type, theme, statutory, committed, target, levels, depth)

P, E, B = "person", "enterprise", "both"
D_, T_, A_ = ("district",), ("district", "township"), ("district", "township", "agent_point")

SHORT = [
    ("D01", "企业投资项目备案", "other_power", "工程建设", 5, 2, E, D_, "full"),
    ("D01", "企业投资项目核准", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D01", "固定资产投资项目节能审查", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D01", "政府投资项目可行性研究报告审批", "licensing", "工程建设", 20, 15, E, D_, "apply"),
    ("D02", "民办学校设立审批", "licensing", "入学", 90, 30, E, D_, "apply"),
    ("D02", "教师资格认定", "licensing", "就业", 60, 30, P, D_, "full"),
    ("D02", "校外培训机构设立审批", "licensing", "", 60, 30, E, D_, "apply"),
    ("D02", "幼儿园设立审批", "licensing", "入学", 60, 30, E, D_, "apply"),
    ("D02", "适龄儿童少年延缓入学审批", "other_power", "入学", 20, 10, P, D_, "full"),
    ("D02", "初中一年级新生入学登记", "public_service", "入学", 20, 10, P, D_, "full"),
    ("D02", "学生资助申请（家庭经济困难学生认定）", "payment", "入学", 30, 15, P, T_, "full"),
    ("D03", "无线电台（站）设置使用许可", "licensing", "", 30, 15, E, D_, "apply"),
    ("D03", "中小企业认定服务", "public_service", "", 20, 10, E, D_, "full"),
    ("D04", "临时居民身份证申领", "confirmation", "户籍", 3, 0, P, T_, "apply"),
    ("D04", "户口簿补领、换领", "confirmation", "户籍", 10, 0, P, T_, "apply"),
    ("D04", "户籍证明开具", "public_service", "证明开具", 0, 0, P, T_, "full"),
    ("D04", "死亡户口注销", "confirmation", "殡葬", 0, 0, P, T_, "full"),
    ("D04", "户口登记项目变更更正", "confirmation", "户籍", 30, 10, P, T_, "apply"),
    ("D04", "大中专院校学生户口迁移", "confirmation", "户籍", 20, 5, P, T_, "full"),
    ("D04", "普通护照签发", "licensing", "出入境", 7, 7, P, D_, "apply"),
    ("D04", "往来港澳通行证及签注签发", "licensing", "出入境", 7, 7, P, D_, "apply"),
    ("D04", "往来台湾通行证及签注签发", "licensing", "出入境", 10, 7, P, D_, "apply"),
    ("D04", "机动车登记（注册、转移、注销）", "confirmation", "交通出行", 2, 1, B, D_, "apply"),
    ("D04", "机动车驾驶证换证、补证", "confirmation", "交通出行", 1, 0, P, D_, "full"),
    ("D04", "剧毒化学品购买许可", "licensing", "安全生产", 3, 2, E, D_, "apply"),
    ("D04", "大型群众性活动安全许可", "licensing", "", 7, 5, E, D_, "apply"),
    ("D04", "犬只登记", "confirmation", "", 10, 5, P, T_, "full"),
    ("D04", "公章刻制备案", "other_power", "开办企业", 1, 0, E, D_, "full"),
    ("D04", "无犯罪记录证明开具", "public_service", "证明开具", 3, 1, P, T_, "full"),
    ("D05", "社会团体成立登记", "licensing", "", 60, 20, E, D_, "full"),
    ("D05", "社会团体变更登记", "licensing", "", 30, 10, E, D_, "full"),
    ("D05", "社会团体注销登记", "licensing", "", 30, 10, E, D_, "full"),
    ("D05", "民办非企业单位成立登记", "licensing", "", 60, 20, E, D_, "full"),
    ("D05", "民办非企业单位变更登记", "licensing", "", 30, 10, E, D_, "full"),
    ("D05", "养老机构备案", "other_power", "养老", 5, 2, E, D_, "full"),
    ("D05", "临时救助申请", "payment", "社会救助", 15, 5, P, A_, "apply"),
    ("D05", "困难残疾人生活补贴和重度残疾人护理补贴", "payment", "残疾人", 20, 10, P, A_, "full"),
    ("D05", "收养登记", "confirmation", "生育", 30, 30, P, D_, "apply"),
    ("D05", "地名命名、更名审批", "licensing", "", 30, 20, E, D_, "apply"),
    ("D05", "孤儿基本生活费发放", "payment", "社会救助", 30, 15, P, A_, "apply"),
    ("D05", "经济困难老年人养老服务补贴", "payment", "养老", 20, 10, P, A_, "full"),
    ("D05", "婚姻登记档案查询", "public_service", "婚姻", 5, 1, P, D_, "full"),
    ("D05", "公益性墓地安葬服务", "public_service", "殡葬", 10, 5, P, D_, "apply"),
    ("D06", "法律援助申请", "payment", "", 7, 3, P, A_, "full"),
    ("D06", "人民调解申请", "public_service", "", 30, 15, P, A_, "apply"),
    ("D06", "基层法律服务工作者执业核准", "licensing", "", 20, 15, P, D_, "full"),
    ("D06", "公证员执业审核", "other_power", "", 20, 15, P, D_, "apply"),
    ("D07", "会计代理记账资格审批", "licensing", "", 20, 10, E, D_, "full"),
    ("D07", "政府采购供应商投诉处理", "adjudication", "", 30, 30, E, D_, "full"),
    ("D07", "财政票据领用", "public_service", "", 5, 1, E, D_, "full"),
    ("D08", "职工基本养老保险参保登记", "public_service", "社保", 0, 0, E, D_, "full"),
    ("D08", "职工基本养老保险关系转移接续", "public_service", "社保", 45, 15, P, D_, "full"),
    ("D08", "职工退休待遇申领", "payment", "养老", 20, 10, P, D_, "apply"),
    ("D08", "工伤认定", "confirmation", "社保", 60, 30, B, D_, "apply"),
    ("D08", "劳动能力鉴定", "confirmation", "社保", 60, 45, P, D_, "apply"),
    ("D08", "工伤保险待遇核定", "payment", "社保", 20, 10, B, D_, "full"),
    ("D08", "劳务派遣经营许可", "licensing", "就业", 20, 10, E, D_, "full"),
    ("D08", "人力资源服务许可", "licensing", "就业", 20, 10, E, D_, "full"),
    ("D08", "劳动人事争议仲裁申请", "adjudication", "就业", 45, 45, B, D_, "apply"),
    ("D08", "创业担保贷款申请", "public_service", "就业", 20, 10, P, D_, "full"),
    ("D08", "一次性创业补贴申领", "payment", "就业", 20, 10, P, D_, "full"),
    ("D08", "职业技能提升补贴申领", "payment", "就业", 20, 10, P, D_, "full"),
    ("D08", "就业困难人员认定", "confirmation", "就业", 15, 5, P, T_, "full"),
    ("D08", "企业实行不定时工作制和综合计算工时工作制审批", "licensing", "就业", 20, 10, E, D_, "full"),
    ("D08", "社会保险费缴费基数申报", "public_service", "社保", 5, 1, E, D_, "full"),
    ("D08", "个人权益记录查询打印", "public_service", "证明开具", 0, 0, P, A_, "full"),
    ("D08", "丧葬补助金和抚恤金申领", "payment", "殡葬", 20, 10, P, T_, "full"),
    ("D09", "建设用地规划许可", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D09", "建设工程规划许可", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D09", "乡村建设规划许可", "licensing", "农业农村", 20, 10, P, T_, "apply"),
    ("D09", "农村村民宅基地审批", "licensing", "农业农村", 20, 15, P, T_, "apply"),
    ("D09", "建设项目用地预审与选址意见书核发", "licensing", "工程建设", 20, 15, E, D_, "full"),
    ("D09", "临时用地审批", "licensing", "", 20, 10, E, D_, "full"),
    ("D09", "采矿权登记", "licensing", "", 40, 20, E, D_, "apply"),
    ("D10", "商品房预售许可", "licensing", "不动产", 10, 5, E, D_, "full"),
    ("D10", "建筑业企业资质核准", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D10", "房地产开发企业资质核定", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D10", "建设工程竣工验收备案", "other_power", "工程建设", 15, 5, E, D_, "full"),
    ("D10", "商品房买卖合同备案", "other_power", "不动产", 5, 1, B, D_, "full"),
    ("D10", "公共租赁住房申请", "payment", "不动产", 30, 20, P, T_, "full"),
    ("D10", "燃气经营许可", "licensing", "安全生产", 20, 15, E, D_, "full"),
    ("D10", "城市建筑垃圾处置核准", "licensing", "", 20, 10, E, D_, "full"),
    ("D10", "房屋租赁登记备案", "other_power", "不动产", 3, 1, B, T_, "full"),
    ("D11", "道路旅客运输经营许可", "licensing", "交通出行", 20, 10, E, D_, "full"),
    ("D11", "道路运输从业人员从业资格证核发", "licensing", "交通出行", 10, 5, P, D_, "full"),
    ("D11", "巡游出租汽车经营许可", "licensing", "交通出行", 20, 15, E, D_, "full"),
    ("D11", "网络预约出租汽车驾驶员证核发", "licensing", "交通出行", 20, 10, P, D_, "full"),
    ("D11", "网络预约出租汽车运输证核发", "licensing", "交通出行", 20, 10, B, D_, "full"),
    ("D11", "公路超限运输许可", "licensing", "交通出行", 5, 2, E, D_, "full"),
    ("D11", "涉路施工许可", "licensing", "交通出行", 20, 10, E, D_, "full"),
    ("D11", "机动车维修经营备案", "other_power", "交通出行", 5, 1, E, D_, "full"),
    ("D11", "机动车驾驶员培训经营备案", "other_power", "交通出行", 5, 1, E, D_, "full"),
    ("D11", "道路运输证配发", "licensing", "交通出行", 5, 1, B, D_, "full"),
    ("D12", "取水许可", "licensing", "生态环境", 45, 20, E, D_, "full"),
    ("D12", "河道管理范围内建设项目工程建设方案审批", "licensing", "工程建设", 20, 15, E, D_, "full"),
    ("D12", "生产建设项目水土保持方案审批", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D12", "河道采砂许可", "licensing", "", 20, 15, E, D_, "apply"),
    ("D13", "农药经营许可", "licensing", "农业农村", 20, 15, E, D_, "full"),
    ("D13", "兽药经营许可", "licensing", "农业农村", 20, 15, E, D_, "full"),
    ("D13", "动物防疫条件合格证核发", "licensing", "农业农村", 20, 15, E, D_, "full"),
    ("D13", "种子生产经营许可", "licensing", "农业农村", 20, 15, E, D_, "full"),
    ("D13", "农作物种子生产经营备案", "other_power", "农业农村", 5, 1, B, D_, "full"),
    ("D13", "生鲜乳收购站许可", "licensing", "农业农村", 20, 15, E, D_, "full"),
    ("D13", "渔业捕捞许可", "licensing", "农业农村", 20, 10, B, T_, "full"),
    ("D13", "拖拉机和联合收割机登记", "confirmation", "农业农村", 2, 1, P, T_, "full"),
    ("D13", "拖拉机和联合收割机驾驶证核发", "licensing", "农业农村", 5, 2, P, T_, "full"),
    ("D13", "农机购置补贴申领", "payment", "农业农村", 30, 15, P, A_, "full"),
    ("D13", "耕地地力保护补贴申领", "payment", "农业农村", 30, 15, P, A_, "apply"),
    ("D13", "农村土地承包经营权流转合同备案", "other_power", "农业农村", 10, 5, P, A_, "apply"),
    ("D14", "对外贸易经营者备案登记", "other_power", "", 5, 1, E, D_, "full"),
    ("D14", "成品油零售经营资格审批（初审）", "licensing", "经营许可", 20, 15, E, D_, "full"),
    ("D14", "单用途商业预付卡备案", "other_power", "", 5, 2, E, D_, "full"),
    ("D14", "报废机动车回收拆解企业资质认定（初审）", "licensing", "", 20, 15, E, D_, "full"),
    ("D15", "营业性演出许可", "licensing", "文化旅游", 3, 2, E, D_, "full"),
    ("D15", "娱乐场所经营许可", "licensing", "文化旅游", 20, 10, E, D_, "full"),
    ("D15", "互联网上网服务营业场所经营许可", "licensing", "文化旅游", 20, 10, E, D_, "full"),
    ("D15", "出版物零售业务经营许可", "licensing", "文化旅游", 20, 10, E, D_, "full"),
    ("D15", "高危险性体育项目经营许可", "licensing", "文化旅游", 30, 15, E, D_, "full"),
    ("D15", "旅行社设立许可", "licensing", "文化旅游", 20, 15, E, D_, "full"),
    ("D15", "卫星电视广播地面接收设施安装许可（初审）", "licensing", "", 20, 10, E, D_, "full"),
    ("D16", "公共场所卫生许可", "licensing", "卫生健康", 20, 5, E, D_, "full"),
    ("D16", "医疗机构执业登记", "licensing", "卫生健康", 45, 20, E, D_, "full"),
    ("D16", "医疗机构设置审批", "licensing", "卫生健康", 30, 15, E, D_, "full"),
    ("D16", "护士执业注册", "licensing", "卫生健康", 20, 10, P, D_, "full"),
    ("D16", "饮用水供水单位卫生许可", "licensing", "卫生健康", 20, 10, E, D_, "full"),
    ("D16", "放射诊疗许可", "licensing", "卫生健康", 20, 15, E, D_, "full"),
    ("D16", "母婴保健技术服务执业许可", "licensing", "卫生健康", 30, 20, E, D_, "full"),
    ("D16", "农村部分计划生育家庭奖励扶助金申领", "payment", "生育", 30, 20, P, A_, "full"),
    ("D16", "计划生育特别扶助金申领", "payment", "生育", 30, 20, P, A_, "full"),
    ("D16", "出生医学证明补发", "public_service", "生育", 20, 10, P, D_, "apply"),
    ("D16", "预防接种证补办", "public_service", "生育", 5, 1, P, T_, "full"),
    ("D17", "优待证申领", "public_service", "退役军人", 20, 10, P, A_, "full"),
    ("D17", "伤残抚恤关系接收、转移", "payment", "退役军人", 30, 20, P, D_, "apply"),
    ("D17", "退役军人参战参试人员身份认定", "confirmation", "退役军人", 30, 20, P, D_, "apply"),
    ("D17", "烈士褒扬金和抚恤金发放", "payment", "退役军人", 30, 15, P, D_, "apply"),
    ("D17", "退役军人档案接收", "public_service", "退役军人", 20, 10, P, D_, "apply"),
    ("D18", "危险化学品经营许可", "licensing", "安全生产", 30, 15, E, D_, "full"),
    ("D18", "烟花爆竹经营（零售）许可", "licensing", "安全生产", 20, 10, E, D_, "full"),
    ("D18", "生产经营单位生产安全事故应急预案备案", "other_power", "安全生产", 5, 2, E, D_, "full"),
    ("D18", "非煤矿山建设项目安全设施设计审查", "licensing", "安全生产", 20, 15, E, D_, "full"),
    ("D19", "有限责任公司变更登记", "licensing", "开办企业", 15, 1, E, D_, "full"),
    ("D19", "企业注销登记", "licensing", "开办企业", 15, 3, E, D_, "full"),
    ("D19", "企业简易注销登记", "licensing", "开办企业", 15, 1, E, D_, "full"),
    ("D19", "个体工商户变更登记", "licensing", "开办企业", 15, 1, P, T_, "full"),
    ("D19", "个体工商户注销登记", "licensing", "开办企业", 15, 1, P, T_, "full"),
    ("D19", "农民专业合作社设立登记", "licensing", "农业农村", 15, 1, E, D_, "full"),
    ("D19", "食品生产许可", "licensing", "经营许可", 20, 15, E, D_, "full"),
    ("D19", "小作坊登记", "licensing", "经营许可", 20, 10, P, D_, "full"),
    ("D19", "药品零售企业许可", "licensing", "经营许可", 30, 15, E, D_, "full"),
    ("D19", "第二类医疗器械经营备案", "other_power", "经营许可", 5, 1, E, D_, "full"),
    ("D19", "特种设备使用登记", "licensing", "安全生产", 15, 5, E, D_, "full"),
    ("D19", "特种设备作业人员资格认定", "licensing", "安全生产", 20, 15, P, D_, "apply"),
    ("D19", "计量标准器具核准", "licensing", "", 20, 15, E, D_, "full"),
    ("D19", "广告发布登记", "licensing", "", 10, 5, E, D_, "full"),
    ("D19", "股权出质登记", "licensing", "", 5, 1, E, D_, "full"),
    ("D19", "动产抵押登记", "licensing", "", 5, 1, E, D_, "full"),
    ("D19", "企业名称自主申报", "public_service", "开办企业", 0, 0, E, D_, "full"),
    ("D20", "职工基本医疗保险参保登记", "public_service", "医保", 0, 0, E, D_, "full"),
    ("D20", "医保关系转移接续", "public_service", "医保", 45, 15, P, D_, "full"),
    ("D20", "门诊慢特病待遇认定", "confirmation", "医保", 20, 10, P, T_, "full"),
    ("D20", "生育保险待遇核准支付", "payment", "生育", 20, 10, P, D_, "full"),
    ("D20", "定点医药机构申请受理", "other_power", "医保", 30, 20, E, D_, "full"),
    ("D20", "参保人员个人账户一次性支取", "payment", "医保", 20, 10, P, D_, "apply"),
    ("D21", "城市建筑垃圾运输核准", "licensing", "", 20, 10, E, D_, "full"),
    ("D21", "设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批", "licensing", "", 20, 10, E, D_, "full"),
    ("D21", "临时占用城市道路审批", "licensing", "交通出行", 20, 5, B, D_, "full"),
    ("D21", "挖掘城市道路审批", "licensing", "交通出行", 20, 5, E, D_, "full"),
    ("D21", "城镇污水排入排水管网许可", "licensing", "生态环境", 20, 10, E, D_, "full"),
    ("D21", "砍伐城市树木、迁移古树名木审批", "licensing", "", 20, 10, B, D_, "full"),
    ("D22", "林木采伐许可", "licensing", "农业农村", 20, 10, P, T_, "full"),
    ("D22", "使用林地审核审批", "licensing", "工程建设", 20, 15, E, D_, "full"),
    ("D22", "林草种子生产经营许可", "licensing", "农业农村", 20, 15, E, D_, "full"),
    ("D22", "植物检疫证书核发", "licensing", "农业农村", 20, 5, B, D_, "full"),
    ("D22", "野生动物人工繁育许可", "licensing", "", 20, 15, E, D_, "apply"),
    ("D23", "建设项目环境影响报告表审批", "licensing", "生态环境", 30, 15, E, D_, "full"),
    ("D23", "建设项目环境影响登记表备案", "other_power", "生态环境", 0, 0, E, D_, "full"),
    ("D23", "排污许可", "licensing", "生态环境", 30, 20, E, D_, "full"),
    ("D23", "危险废物经营许可（初审）", "licensing", "生态环境", 20, 15, E, D_, "full"),
    ("D24", "税务登记信息确认", "other_power", "纳税", 0, 0, E, D_, "full"),
    ("D24", "增值税一般纳税人登记", "other_power", "纳税", 0, 0, E, D_, "full"),
    ("D24", "纳税证明开具", "public_service", "证明开具", 0, 0, B, D_, "full"),
    ("D24", "代开增值税发票", "other_power", "纳税", 0, 0, B, T_, "full"),
    ("D24", "车辆购置税申报", "collection", "交通出行", 0, 0, B, D_, "full"),
    ("D24", "契税申报", "collection", "不动产", 0, 0, B, D_, "full"),
    ("D24", "城乡居民社会保险费缴纳", "collection", "社保", 0, 0, P, A_, "full"),
    ("D24", "出口退（免）税备案", "other_power", "纳税", 0, 0, E, D_, "full"),
    ("D24", "税收减免核准", "other_power", "纳税", 20, 10, E, D_, "full"),
    ("D25", "住房公积金单位缴存登记", "public_service", "公积金", 5, 1, E, D_, "full"),
    ("D25", "住房公积金个人账户设立", "public_service", "公积金", 5, 1, P, D_, "full"),
    ("D25", "住房公积金提取（租房）", "public_service", "公积金", 5, 1, P, D_, "full"),
    ("D25", "住房公积金提取（退休）", "public_service", "公积金", 5, 1, P, D_, "full"),
    ("D25", "住房公积金提取（偿还贷款）", "public_service", "公积金", 5, 1, P, D_, "full"),
    ("D25", "住房公积金缴存证明开具", "public_service", "证明开具", 0, 0, P, D_, "full"),
    ("D25", "住房公积金异地转移接续", "public_service", "公积金", 15, 5, P, D_, "full"),
    ("D25", "住房公积金贷款提前还款", "public_service", "公积金", 5, 1, P, D_, "full"),
    ("D26", "不动产首次登记", "confirmation", "不动产", 30, 10, B, D_, "apply"),
    ("D26", "不动产变更登记", "confirmation", "不动产", 30, 5, B, D_, "full"),
    ("D26", "不动产抵押权注销登记", "confirmation", "不动产", 30, 1, B, D_, "full"),
    ("D26", "不动产预告登记", "confirmation", "不动产", 30, 3, B, D_, "full"),
    ("D26", "不动产更正登记", "confirmation", "不动产", 30, 10, B, D_, "apply"),
    ("D26", "不动产异议登记", "confirmation", "不动产", 30, 1, B, D_, "apply"),
    ("D26", "不动产查封登记", "confirmation", "不动产", 1, 1, E, D_, "apply"),
    ("D26", "不动产登记资料查询", "public_service", "证明开具", 0, 0, B, T_, "full"),
    ("D26", "不动产权证书补发、换发", "confirmation", "不动产", 30, 10, B, D_, "apply"),
    ("D26", "宅基地使用权及房屋所有权首次登记", "confirmation", "不动产", 30, 15, P, T_, "apply"),
    ("D26", "不动产继承（受遗赠）转移登记", "confirmation", "不动产", 30, 10, P, D_, "apply"),
    ("D27", "残疾人证换领、迁移、注销", "confirmation", "残疾人", 20, 5, P, T_, "apply"),
    ("D27", "残疾人辅助器具适配补贴", "payment", "残疾人", 30, 15, P, T_, "apply"),
    ("D27", "残疾人家庭无障碍改造申请", "public_service", "残疾人", 30, 20, P, A_, "apply"),
    ("D27", "残疾人就业创业扶持补贴", "payment", "残疾人", 30, 15, P, D_, "full"),
    ("D28", "应建防空地下室的民用建筑项目审批", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D28", "人民防空工程拆除审批", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D28", "防空地下室易地建设审批", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D29", "档案查阅利用", "public_service", "证明开具", 0, 0, B, D_, "full"),
    ("D29", "婚姻、招工等民生档案证明出具", "public_service", "证明开具", 5, 1, P, D_, "full"),
    ("D30", "统计调查项目审批", "licensing", "", 20, 15, E, D_, "full"),
    ("D30", "涉外调查许可（初审）", "licensing", "", 20, 15, E, D_, "apply"),
    ("D31", "审计报告查询", "public_service", "", 20, 10, E, D_, "full"),
    ("D32", "升放无人驾驶自由气球或系留气球活动审批", "licensing", "", 5, 3, E, D_, "full"),
    ("D32", "雷电防护装置设计审核和竣工验收", "licensing", "工程建设", 20, 10, E, D_, "full"),
    ("D33", "公众聚集场所投入使用、营业前消防安全检查", "licensing", "安全生产", 10, 5, E, D_, "full"),
    ("D33", "建设工程消防设计审查", "licensing", "工程建设", 15, 10, E, D_, "full"),
    ("D33", "建设工程消防验收", "licensing", "工程建设", 15, 10, E, D_, "full"),
    ("D34", "宗教活动场所筹备设立审批（初审）", "licensing", "", 30, 20, E, D_, "apply"),
    ("D34", "宗教临时活动地点审批", "licensing", "", 20, 10, E, D_, "apply"),
    ("D35", "政府信息公开申请", "public_service", "", 20, 15, B, D_, "full"),
]

# Items whose procedure runs through more than one department: a social organisation is
# registered by 民政局 only after its business supervisory unit (业务主管单位) has reviewed
# and approved it (《社会团体登记管理条例》第九条).
STEPS = {
    "社会团体成立登记": [
        {"name": "受理", "role": "clerk", "org_code": "W07", "days": 0,
         "description": "窗口核验发起人材料、章程草案和业务主管单位审查所需材料"},
        {"name": "业务主管单位审查", "role": "approver", "org_code": "D15", "days": 5,
         "description": "业务主管单位对发起人、拟任负责人和章程进行审查，出具审查同意意见"},
        {"name": "登记审查", "role": "approver", "org_code": "D05", "days": 10,
         "description": "区民政局审查章程、名称、住所和资金情况，必要时实地核查"},
        {"name": "准予登记决定", "role": "approver", "org_code": "D05", "days": 5,
         "description": "作出准予或者不予登记的决定，准予的发给社会团体法人登记证书"},
        {"name": "出件", "role": "clerk", "org_code": "W17", "days": 0,
         "description": "综合出件窗口发放登记证书，或邮寄送达"},
    ],
}

for (dept, name, typ, theme, stat, comm, target, levels, depth) in SHORT:
    add(dept, name, typ, theme, stat=stat, comm=comm, target=target, levels=levels,
        depth=depth, basis=f"《{name}》实施清单所列法律、法规和规章", steps=STEPS.get(name))

# ---------------------------------------------------------------- the district's figures
# Items handled only out in the field or at township centers are not hosted in the hall;
# a few can only be handled in person.  Chosen among the short-guide items, spread across
# departments, so that about 91 % are hosted and about 96.9 % online.
n = len(ITEMS)
short = [i for i, it in enumerate(ITEMS) if not it["full"]]
not_hosted = round(n * 0.09)
not_online = round(n * 0.031)
for k, i in enumerate(short[3::len(short) // not_hosted][:not_hosted]):
    ITEMS[i]["hosted"] = False
for i in short[5::len(short) // not_online][:not_online]:
    it = ITEMS[i]
    it["depth"] = "none"
    it["modes"] = [x for x in it["modes"] if x != "online"]
    it["visits"] = max(it["visits"], 1)
    if it["visits"] > 1 and "one_visit" in it["modes"]:
        it["modes"].remove("one_visit")

# ---------------------------------------------------------------- write
counters = {}
out = []
for it in ITEMS:
    dept = it["dept"]
    key = (it["type"], dept)
    counters[key] = counters.get(key, 0) + 1
    main = int(dept[1:]) * 100 + counters[key]
    code = f"{TYPE_PREFIX[it['type']]}{main:05d}000"
    fee = it["fee"] or {"charged": False}
    if it["visits"] == 0 and it["depth"] != "full":
        it["visits"] = 1
    out.append({
        "code": code,
        "name": it["name"],
        "type": it["type"],
        "department_code": dept,
        "window_code": it["window"],
        "theme": it["theme"],
        "target": it["target"],
        "keywords": it["keywords"],
        "basis": it["basis"],
        "conditions": it["conditions"],
        "statutory_days": it["stat"],
        "committed_days": it["comm"],
        "fee": fee,
        "modes": it["modes"],
        "visits": it["visits"],
        "levels": it["levels"],
        "hosted": it["hosted"],
        "online_depth": it["depth"],
        "appointment": it["appointment"],
        "delivery": it["delivery"],
        "scope": it["scope"],
        "place": PLACE if it["hosted"] else "户籍所在地乡镇（街道）便民服务中心",
        "hours": HOURS,
        "consult_phone": PHONE.get(dept, "0737-4228001"),
        "complaint_phone": "12345",
        "result_name": it["result"],
        "remedies": REMEDIES,
        "materials": it["materials"] + ([dict(AGENT)] if it["full"] else []),
        "steps": it["steps"],
    })

ap = argparse.ArgumentParser()
ap.add_argument("--items", type=int, default=0, help="write this many variants (load tests)")
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                              "catalog.json"))
args = ap.parse_args()

# The case modes of issue 22 (src/catalog/catalog_modes.c, docs/service-rules.md): items on
# 告知承诺制 (the commitment stands in for the named materials; 核查 within check_days
# working days), items whose minor materials may be owed at intake (容缺受理) and items
# whose review runs at several departments at once (并联审批; departments by demo code).
CASE_MODES = {
    "0101903000": {  # 食品经营许可
        "commitment": {"materials": ["食品安全自查、从业人员健康管理等食品安全管理制度"],
                       "check_days": 20},
        "tolerance": {"materials": ["与食品经营相适应的主要设备设施布局、操作流程等文件"],
                      "decision_waits": True},
    },
    "0101901000": {  # 个体工商户设立登记
        "commitment": {"materials": ["经营场所使用证明"], "check_days": 30},
    },
    "0101101000": {  # 道路货物运输经营许可
        "commitment": {"materials": ["安全生产管理制度文本"], "check_days": 20},
        "tolerance": {"materials": ["驾驶人员从业资格证"], "decision_waits": False},
    },
    "0100405000": {  # 大型群众性活动安全许可: 公安 and 消防 review at once
        "joint": [{"step": 2, "org_codes": ["D04", "D33"]}],
    },
    "0101001000": {  # 建筑工程施工许可: 住建, 人防 and 自然资源 review at once
        "joint": [{"step": 2, "org_codes": ["D10", "D28", "D09"]}],
        "tolerance": {"materials": ["中标通知书或直接发包文件"], "decision_waits": True},
    },
}
for o in out:
    if o["code"] in CASE_MODES:
        o["case_modes"] = CASE_MODES[o["code"]]
assert sum(1 for o in out if "case_modes" in o) == len(CASE_MODES)

if args.items:
    suffixes = ["", "（变更）", "（注销）", "（延续）", "（补办）", "（个人）", "（单位）", "（首次）",
                "（迁移）", "（更正）"]
    big = []
    for rep in range(args.items // len(out) + 1):
        for o in out:
            x = dict(o)
            x["code"] = o["code"][:2] + "%05d" % ((int(o["code"][2:7]) + rep * 1000) % 100000) \
                + "%03d" % rep
            x["name"] = (o["name"] + suffixes[rep % 10] + ("" if rep < 10 else "·%d" % rep))[:100]
            big.append(x)
    out = big[:args.items]
    assert len({o["code"] for o in out}) == len(out)
with open(args.out, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=None if args.items else 1)
    f.write("\n")
hosted = sum(1 for o in out if o["hosted"])
online = sum(1 for o in out if o["online_depth"] != "none")
full = sum(1 for it in ITEMS if it["full"])
print(f"{len(out)} items, {len({o['department_code'] for o in out})} departments, "
      f"{full} complete guides, hosted {hosted / len(out):.1%}, online {online / len(out):.1%}")
