/* case_notices.c — a case's official notices as PDF (issue 7, issue 26): 受理通知书,
 * 一次性告知书 (every material to supplement, at once: Administrative Licensing Law
 * Art. 32), 不予受理通知书 (reason and remedies), the decision and the delivery receipt
 * (送达回证).
 *
 *   GET /api/v1/cases/{id}/notices/{kind}   kind: acceptance, supplement, refusal,
 *                                            decision, delivery, commitment, revocation,
 *                                            credit
 *
 * The decision is the document of the item's type, in the item's own terms: a licence is
 * granted or refused under the Licensing Law (准予 / 不予行政许可决定书, Art. 38), a
 * registration of 行政确认 is confirmed under the item's own basis (结婚登记: 民法典 and
 * 婚姻登记条例), a benefit is granted, a dispute ruled, a reward given — the table
 * DECISIONS below, one row per type, with the basis taken from the item's guide
 * (docs/service-rules.md, "Decision documents").  The decision is the deciding
 * department's, so it bears the department's name as its signature and the register
 * records the same issuer (what /verify/{code} answers); the other notices are the
 * centre's, which receives and delivers.
 *
 * The content comes from the case as its module shows it (cases.h: the timeline event
 * of the step, with its details) and the guide the case was filed under; nothing here
 * reads the cases' tables.  Each notice is registered once per case and kind (a
 * document number and a verification code, on the writer) and rendered on the pool every
 * time it is asked for.  It lives in its own module above cases/, rating/ and docs/
 * (notices_api.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cases/cases.h"
#include "core/buf.h"
#include "docs/docs.h"
#include "docs/docs_api.h"
#include "notices/notices_api.h"
#include "rating/rating.h"

/* rate: the notices that end a case carry the rating link and code (好差评, issue 8:
 * "by the link in a notice"), so an applicant who never signs in can still rate.
 * by_department: the deciding department signs it (the others: the centre). */
static const struct notice_kind {
    const char *kind, *title, *prefix, *events[2];
    bool rate, by_department;
} KINDS[] = {
    {"acceptance", "受理通知书", "赫政务受", {"accept", NULL}, false, false},
    {"supplement", "补正材料一次性告知书", "赫政务补", {"supplement", NULL}, false, false},
    {"refusal", "不予受理通知书", "赫政务不受", {"refuse", NULL}, true, false},
    {"decision", NULL, "赫政务决", {"approve", "deny"}, true, true},
    {"delivery", "送达回证", "赫政务送", {"deliver", NULL}, true, false},
    /* the case modes of issue 22 (告知承诺制, docs/service-rules.md): the 承诺书 from the
     * submission on (the applicant reads it before confirming), the revocation of a
     * decision on a false commitment and the credit record it leaves */
    {"commitment", "告知承诺书", "赫政务诺", {"submit", NULL}, false, false},
    {"revocation", "撤销决定书", "赫政务撤", {"revoke", NULL}, false, true},
    {"credit", "信用记录告知书", "赫政务信", {"revoke", NULL}, false, true},
};

/* The decision document of each item type.  law: the general procedure the decision
 * follows, cited after the item's own basis ("" = the item's basis alone); grant / deny:
 * what the department decides, in the words of the type; deliver: what happens next. */
static const struct decision_kind {
    const char *types[3];
    const char *grant_title, *deny_title;
    const char *grant_law, *deny_law;
    const char *grant, *deny;
    bool art44; /* Licensing Law Art. 44: the certificate within ten days of the decision */
} DECISIONS[] = {
    {{"licensing"},
     "准予行政许可决定书",
     "不予行政许可决定书",
     "《中华人民共和国行政许可法》第三十八条第一款",
     "《中华人民共和国行政许可法》第三十八条第二款",
     "本机关决定准予行政许可",
     "本机关决定不予行政许可",
     true},
    {{"confirmation"},
     "行政确认决定书",
     "不予行政确认决定书",
     "",
     "",
     "本机关决定予以确认（登记）",
     "本机关决定不予确认（登记）",
     false},
    {{"payment"},
     "行政给付决定书",
     "不予行政给付决定书",
     "",
     "",
     "本机关决定给予行政给付",
     "本机关决定不予给付",
     false},
    {{"adjudication"},
     "行政裁决书",
     "行政裁决书",
     "",
     "",
     "本机关裁决支持申请人的请求",
     "本机关裁决驳回申请人的请求",
     false},
    {{"reward"},
     "行政奖励决定书",
     "不予行政奖励决定书",
     "",
     "",
     "本机关决定给予行政奖励",
     "本机关决定不予奖励",
     false},
    /* 其他: other powers, levies and public services */
    {{"other_power", "collection", "public_service"},
     "办理决定书",
     "不予办理决定书",
     "",
     "",
     "本机关决定予以办理",
     "本机关决定不予办理",
     false},
};
#define NDECISIONS (sizeof DECISIONS / sizeof DECISIONS[0])

static const struct decision_kind *decision_of(const char *type) {
    for (size_t i = 0; i < NDECISIONS; i++)
        for (size_t j = 0; j < 3 && DECISIONS[i].types[j]; j++)
            if (!strcmp(DECISIONS[i].types[j], type)) return &DECISIONS[i];
    return &DECISIONS[NDECISIONS - 1];
}

#define MAX_FORM_ROWS 10

typedef struct notice {
    const struct notice_kind *k;
    json_t *c;  /* the case (cases.h JSON), owned until rendered */
    json_t *ev; /* its timeline event for this notice (borrowed from c) */
    char object_id[24], doc_kind[32];
    char code[OW_DOCS_CODE_CHARS + 1];
    const char *title;  /* of this notice: the decision's depends on the item and outcome */
    const char *issuer; /* the signature line, and the issuer the register records */
    const char *number;
    const char *paras[OW_DOCS_MAX_PARAGRAPHS];
    size_t n;
    const char *note; /* the rating link */
    /* the delivery receipt is a form: label | value */
    const char *form[MAX_FORM_ROWS * 2];
    int form_rows;
} notice;

static const char *S(const json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static const char *mask_name(ow_ctx *cx, const char *name, const char *kind) {
    if (!strcmp(kind, "enterprise") || !*name) return name;
    const unsigned char *p = (const unsigned char *)name;
    size_t first = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
    ow_buf b;
    ow_buf_init(&b, cx->arena, 32);
    ow_buf_append(&b, name, first < strlen(name) ? first : strlen(name));
    for (size_t i = 1; i < ow_utf8_len(name); i++)
        ow_buf_putc(&b, '*');
    return b.data;
}

/* A date (YYYY-MM-DD, or the date part of an instant) as every document prints it. */
static const char *date_cn(ow_ctx *cx, const char *iso) {
    char d[11], out[32];
    snprintf(d, sizeof d, "%.10s", iso);
    ow_docs_chinese_date(d, out, sizeof out);
    return ow_strdup(cx->arena, out);
}

/* The item's basis as a citation: "《A》第一条；《B》第二条。" → "《A》第一条、《B》第二条". */
static const char *basis_cited(ow_ctx *cx, const char *basis) {
    ow_buf b;
    ow_buf_init(&b, cx->arena, strlen(basis) + 8);
    for (const char *p = basis; *p;) {
        if (!strncmp(p, "；", 3) || !strncmp(p, "、", 3)) {
            if (p[3]) ow_buf_puts(&b, "、");
            p += 3;
        } else if (!strncmp(p, "。", 3) && !p[3]) {
            p += 3;
        } else {
            ow_buf_putc(&b, *p++);
        }
    }
    return b.data;
}

#define ADD(...) (nt->paras[nt->n++] = ow_sprintf(a, __VA_ARGS__))

static const char *remedies(ow_ctx *cx) {
    return ow_sprintf(cx->arena,
                      "如不服本决定，可以自收到本决定书之日起六十日内向%s人民政府申请行政复议，"
                      "或者自收到本决定书之日起六个月内向人民法院提起行政诉讼。",
                      cx->app->cfg.region_name);
}

/* The decision: what was applied for, what the department found and decided under which
 * basis, and what follows. */
static void compose_decision(ow_ctx *cx, notice *nt, const char *basis, const char *result) {
    ow_arena *a = cx->arena;
    json_t *c = nt->c, *item = json_object_get(c, "item"),
           *detail = json_object_get(nt->ev, "detail");
    const struct decision_kind *d = decision_of(S(item, "type"));
    bool grant = !strcmp(S(nt->ev, "action"), "approve");
    nt->title = grant ? d->grant_title : d->deny_title;
    const char *law = grant ? d->grant_law : d->deny_law;
    const char *cite = *basis && *law ? ow_sprintf(a, "%s和%s", basis, law) : *basis ? basis : law;
    if (*S(c, "accepted_date"))
        ADD("你（单位）于%s提出的“%s”申请（办件编号：%s），本机关已于%s受理。",
            date_cn(cx, S(c, "received_date")), S(item, "name"), S(c, "case_no"),
            date_cn(cx, S(c, "accepted_date")));
    else
        ADD("你（单位）于%s提出的“%s”申请（办件编号：%s），本机关已经受理。",
            date_cn(cx, S(c, "received_date")), S(item, "name"), S(c, "case_no"));
    /* the Licensing Law speaks of 法定条件、标准; the other types of the item's own basis */
    if (grant) {
        if (*law)
            ADD("经审查，你（单位）的申请符合法定条件、标准。根据%s的规定，%s。", cite, d->grant);
        else
            ADD("经审查，你（单位）的申请符合%s规定的条件。根据上述规定，%s。", cite, d->grant);
        if (d->art44)
            ADD("本机关将自作出决定之日起十日内向你（单位）颁发、送达%"
                "s（《中华人民共和国行政许可法》"
                "第四十四条）。",
                *result ? ow_sprintf(a, "《%s》", result) : "许可证件");
        else if (*result)
            ADD("办理结果：%s。办理结果将按你（单位）选择的方式送达。", result);
    } else {
        if (*law)
            ADD("经审查，你（单位）的申请不符合法定条件、标准。根据%s的规定，%s。", cite, d->deny);
        else
            ADD("经审查，你（单位）的申请不符合%s规定的条件。根据上述规定，%s。", cite, d->deny);
        ADD("理由：%s", *S(detail, "reason") ? S(detail, "reason") : "见审查意见");
        ADD("%s", remedies(cx));
    }
}

/* 告知承诺制 (国办发〔2020〕42号): the applicant's 承诺书, the revocation of a decision on a
 * false commitment (行政许可法 Art. 69 (2): obtained by deception), and the credit record. */
static void compose_commitment(ow_ctx *cx, notice *nt, const char *received) {
    ow_arena *a = cx->arena;
    json_t *c = nt->c, *item = json_object_get(c, "item"),
           *cm = json_object_get(json_object_get(c, "modes"), "commitment"),
           *detail = json_object_get(nt->ev, "detail");
    const char *k = nt->k->kind, *item_name = S(item, "name"), *case_no = S(c, "case_no");
    if (!strcmp(k, "commitment")) {
        ow_buf m;
        ow_buf_init(&m, a, 128);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(cm, "materials"), i, v) {
            if (i) ow_buf_puts(&m, "、");
            ow_buf_printf(&m, "《%s》", json_string_value(v) ? json_string_value(v) : "");
        }
        ADD("本人（单位）于%s申请办理“%s”（办件编号：%s），自愿选择告知承诺方式办理，"
            "现郑重承诺：",
            received, item_name, case_no);
        ADD("一、已知晓行政机关告知的全部内容，本人（单位）符合告知的条件、标准和要求，所填写的"
            "信息真实、准确、完整。");
        ADD("二、以本承诺代替提交下列材料：%s。", m.data ? m.data : "");
        ADD("三、愿意接受行政机关自作出决定之日起%lld个工作日内的核查，并如实提供情况。",
            (long long)json_integer_value(json_object_get(cm, "check_days")));
        ADD("四、如承诺不实，愿意承担行政机关撤销所作决定、注销依该决定发放的证照，并记入"
            "信用记录等法律责任。");
        if (json_is_string(json_object_get(cm, "confirmed_at")))
            ADD("本承诺书已于%s经申请人确认（确认人：%s）。", date_cn(cx, S(cm, "confirmed_at")),
                S(cm, "confirmed_by"));
        else
            ADD("（本承诺书尚待申请人确认。）");
        return;
    }
    if (!strcmp(k, "revocation")) {
        ADD("你（单位）于%s以告知承诺方式申请的“%s”（办件编号：%s），本机关已于%s作出准予决定。",
            received, item_name, case_no, date_cn(cx, S(c, "decided_date")));
        ADD("%s", S(detail, "reason"));
        ADD("你（单位）以不实承诺取得该决定。根据《中华人民共和国行政许可法》第六十九条第二款及"
            "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发"
            "〔2020〕42号）的规定，本机关决定撤销该决定；依该决定发放的电子证照同时注销。");
        ADD("%s", remedies(cx));
        return;
    }
    ADD("你（单位）在申请“%s”（办件编号：%s）时作出的告知承诺，经核查与实际情况不符，本机关"
        "已撤销相关决定。",
        item_name, case_no);
    ADD("根据《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发"
        "〔2020〕42号）的规定，该虚假承诺已记入你（单位）的信用记录（记录号：%lld），"
        "并依法实施相应的失信约束措施。",
        (long long)json_integer_value(json_object_get(detail, "credit_record_id")));
    ADD("如对记录有异议，可以自收到本告知书之日起十五个工作日内向本机关书面提出，并提供相关"
        "证明材料。");
}

/* The delivery receipt (送达回证) is a form: one row per fact, the signature box last. */
static void compose_delivery(ow_ctx *cx, notice *nt) {
    ow_arena *a = cx->arena;
    json_t *c = nt->c, *ev = nt->ev, *detail = json_object_get(ev, "detail");
    const char *how = S(detail, "delivery");
    const char *hn = !strcmp(how, "post")         ? "邮寄送达"
                     : !strcmp(how, "electronic") ? "电子送达"
                                                  : "窗口领取";
    const char *where = !strcmp(how, "post") ? "申请人提供的邮寄地址"
                        : !strcmp(how, "electronic")
                            ? "政务服务网（申请人的办事账户）"
                            : ow_sprintf(a, "%s%s", cx->app->cfg.center_name,
                                         S(json_object_get(ev, "actor"), "org"));
    const char *rows[][2] = {
        {"送达文书",
         ow_sprintf(a, "“%s”办理结果及相关文书", S(json_object_get(c, "item"), "name"))},
        {"办件编号", S(c, "case_no")},
        {"受送达人", S(json_object_get(c, "applicant"), "name")},
        {"送达地点", where},
        {"送达方式", *S(detail, "tracking_no")
                         ? ow_sprintf(a, "%s（邮件运单号：%s）", hn, S(detail, "tracking_no"))
                         : hn},
        {"送达日期", date_cn(cx, S(ev, "at"))},
        {"送达人", S(json_object_get(ev, "actor"), "name")},
        {"受送达人签名或盖章", "\n\n　　　　　　　　　　　　　　年　　月　　日"},
        {"备注", ""},
    };
    nt->form_rows = (int)(sizeof rows / sizeof rows[0]);
    for (int i = 0; i < nt->form_rows; i++) {
        nt->form[2 * i] = rows[i][0];
        nt->form[2 * i + 1] = rows[i][1];
    }
}

/* The body of each kind, from the case and its event. */
static int compose(ow_ctx *cx, notice *nt) {
    ow_arena *a = cx->arena;
    json_t *c = nt->c, *ev = nt->ev, *item = json_object_get(c, "item"),
           *detail = json_object_get(ev, "detail");
    const char *received = date_cn(cx, S(c, "received_date"));
    const char *item_name = S(item, "name"), *case_no = S(c, "case_no");
    const char *dept = S(json_object_get(c, "department"), "name");
    const char *k = nt->k->kind;
    nt->title = nt->k->title;
    nt->issuer = nt->k->by_department ? ow_strdup(a, dept) : cx->app->cfg.center_name;
    /* the item's basis: a licence is received and supplemented under Art. 32 of the
     * Licensing Law, any other item under its own basis */
    json_t *guide;
    int rc = ow_cases_guide_json(cx, c, &guide);
    if (rc) return rc;
    const char *basis = basis_cited(cx, S(guide, "basis"));
    const char *result = ow_strdup(a, S(guide, "result_name"));
    json_decref(guide);
    const char *intake_law =
        !strcmp(S(item, "type"), "licensing") ? "《中华人民共和国行政许可法》第三十二条" : basis;
    if (!strcmp(k, "acceptance")) {
        ADD("你（单位）于%s提出的“%s”申请（办件编号：%s），经审查，申请材料齐全、符合法定形式，"
            "根据%s的规定，本机关决定予以受理。",
            received, item_name, case_no, intake_law);
        json_t *dl = json_object_get(c, "deadline");
        if (json_is_true(json_object_get(c, "deemed_accepted")))
            ADD("因未在法定期限内告知补正，本申请自收到申请材料之日起即为受理。");
        if (json_integer_value(json_object_get(dl, "committed_days")))
            ADD("本事项承诺办结时限为%lld个工作日，法定办结时限为%lld个工作日（自受理之日起计算，"
                "补正、听证、检验、专家评审等时间不计算在内）。承办部门：%s。",
                (long long)json_integer_value(json_object_get(dl, "committed_days")),
                (long long)json_integer_value(json_object_get(dl, "statutory_days")), dept);
        /* a period running into a year whose holiday notice is not out (core/workdays.h) */
        if (json_is_true(json_object_get(dl, "provisional")) &&
            json_is_string(json_object_get(dl, "due_committed")))
            ADD("承诺办结日期暂按法定节假日推算为%s；国务院公布该年度放假安排后如有调整，"
                "以政务服务网办理进度查询所示日期为准。",
                date_cn(cx, S(dl, "due_committed")));
        ADD("可凭办件编号和证件号码后六位在政务服务网查询办理进度。");
    } else if (!strcmp(k, "supplement")) {
        ADD("你（单位）于%s提出的“%s”申请（办件编号：%s），经审查，申请材料不齐全或者不符合法定"
            "形式。根据%s的规定，现一次性告知需要补正的全部材料如下：",
            received, item_name, case_no, intake_law);
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(detail, "materials"), i, m) {
            if (nt->n >= OW_DOCS_MAX_PARAGRAPHS - 3) break;
            ADD("%zu．%s：%s", i + 1, S(m, "name"), S(m, "problem"));
        }
        ADD("请按上述要求一次性补正全部材料。补正期间不计算办理时限；补正材料提交后，本机关将重新审"
            "查。");
    } else if (!strcmp(k, "refusal")) {
        ADD("你（单位）于%s提出的“%s”申请（办件编号：%s），经审查，本机关决定不予受理。", received,
            item_name, case_no);
        ADD("理由：%s", S(detail, "reason"));
        ADD("如不服本决定，可以自收到本通知书之日起六十日内向%s人民政府申请行政复议，或者自收到本"
            "通知书之日起六个月内向人民法院提起行政诉讼。",
            cx->app->cfg.region_name);
    } else if (!strcmp(k, "decision")) {
        compose_decision(cx, nt, basis, result);
    } else if (!strcmp(k, "commitment") || !strcmp(k, "revocation") || !strcmp(k, "credit")) {
        compose_commitment(cx, nt, received);
    } else {
        compose_delivery(cx, nt);
    }
    return OW_OK;
}

static int notice_render(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    notice *nt = ow_req_data(rq);
    char url[512];
    ow_docs_verify_url(ow_docs_public_base(rq), nt->code, url, sizeof url);
    json_t *ap = json_object_get(nt->c, "applicant");
    static const double form_widths[] = {1, 3};
    ow_doc_table form = {.rows = nt->form_rows,
                         .cols = 2,
                         .cells = nt->form,
                         .col_widths = form_widths,
                         .font_pt = 14,
                         .serif = true};
    unsigned char flags[MAX_FORM_ROWS * 2];
    for (int i = 0; i < nt->form_rows; i++) {
        flags[2 * i] = 0;
        flags[2 * i + 1] = OW_CELL_LEFT;
    }
    form.flags = flags;
    ow_doc_block form_block = {.kind = OW_DOC_TABLE, .table = &form};
    ow_doc_notice n = {
        .title = nt->title,
        .issuer = nt->issuer,
        .number = nt->number,
        .recipient = nt->form_rows ? NULL : ow_sprintf(cx->arena, "%s：", S(ap, "name")),
        .paragraphs = nt->paras,
        .nparagraphs = nt->n,
        .blocks = nt->form_rows ? &form_block : NULL,
        .nblocks = nt->form_rows ? 1 : 0,
        .sign_date = date_cn(cx, S(nt->ev, "at")),
        .qr_payload = url,
        .qr_caption = ow_sprintf(cx->arena, "扫码核验真伪\n核验码 %s", nt->code),
        .note = nt->note,
    };
    unsigned char *pdf;
    size_t len;
    int rc = ow_docs_render_notice(&n, &pdf, &len, &cx->err);
    const char *fname = ow_sprintf(cx->arena, "%s-%s.pdf", nt->title, S(nt->c, "case_no"));
    json_decref(nt->c);
    nt->c = NULL;
    if (rc) return rc;
    ow_reply_body(rq, 200, "application/pdf", (char *)pdf, len);
    ow_reply_disposition(rq, ow_req_query(rq, "download") ? "attachment" : "inline", fname);
    return OW_OK;
}

/* Writer: the first time this notice is asked for, give it a number and a code, under
 * the title and the issuer it is printed with. */
static int notice_register(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    notice *nt = ow_req_data(rq);
    int rc = ow_docs_find(cx, nt->doc_kind, "case", nt->object_id, nt->code);
    if (rc) goto fail;
    if (!nt->code[0]) {
        char num[96], day[11];
        snprintf(day, sizeof day, "%.10s", S(nt->ev, "at"));
        if ((rc = ow_docs_next_number(cx, nt->k->prefix, atoi(day), num, sizeof num))) goto fail;
        json_t *ap = json_object_get(nt->c, "applicant");
        ow_doc_record r = {.kind = nt->doc_kind,
                           .title = nt->title,
                           .issuer = nt->issuer,
                           .number = num,
                           .recipient_masked = mask_name(cx, S(ap, "name"), S(ap, "kind")),
                           .issued_date = day,
                           .object_type = "case",
                           .object_id = nt->object_id};
        if ((rc = ow_docs_register(cx, &r, nt->code))) goto fail;
        nt->number = ow_strdup(cx->arena, num);
    }
    ow_req_then(rq, notice_render, OW_ON_POOL);
    return OW_OK;
fail:
    json_decref(nt->c);
    nt->c = NULL;
    return rc;
}

static int api_notice(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    const char *kind = ow_req_param(rq, "kind");
    const struct notice_kind *k = NULL;
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (!strcmp(KINDS[i].kind, kind)) k = &KINDS[i];
    if (!k)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "kind",
                          "没有这种告知书（acceptance、supplement、refusal、decision、delivery、"
                          "commitment、revocation、credit）");
    notice *nt = ow_alloc(cx->arena, sizeof *nt);
    nt->k = k;
    int rc = ow_cases_get_json(cx, id, &nt->c);
    if (rc) return rc;
    /* the latest event of the step: a second 补正 notice replaces the first */
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(nt->c, "timeline"), i, e) {
        const char *act = S(e, "action");
        if (!strcmp(act, k->events[0]) || (k->events[1] && !strcmp(act, k->events[1]))) nt->ev = e;
    }
    if (!strcmp(k->kind, "commitment") &&
        !json_is_object(json_object_get(json_object_get(nt->c, "modes"), "commitment")))
        nt->ev = NULL; /* filed without a commitment: there is no 承诺书 */
    if (!nt->ev) {
        json_decref(nt->c);
        return ow_err_setk(&cx->err, OW_ECONFLICT, "no_such_step", "kind",
                           "办件尚未进行相应的办理环节，没有%s", k->title ? k->title : "决定书");
    }
    snprintf(nt->object_id, sizeof nt->object_id, "%lld", (long long)id);
    snprintf(nt->doc_kind, sizeof nt->doc_kind, "case.%s", k->kind);
    if ((rc = compose(cx, nt))) {
        json_decref(nt->c);
        return rc;
    }
    if (k->rate) {
        /* the rating module's code for this case (a keyed hash: not guessable) */
        char tok[OW_RATING_TOKEN_CHARS + 1];
        ow_rating_case_token(cx, id, tok);
        nt->note =
            ow_sprintf(cx->arena,
                       "办件评价（好差评）：欢迎对本次服务作出评价。请访问 %s/rate/%lld?token=%s"
                       " ，评价码：%s。",
                       ow_docs_public_base(rq), (long long)id, tok, tok);
    }
    ow_req_set_data(rq, nt);
    /* already registered: straight to the pool; otherwise number it on the writer */
    if ((rc = ow_docs_find(cx, nt->doc_kind, "case", nt->object_id, nt->code))) {
        json_decref(nt->c);
        return rc;
    }
    if (nt->code[0]) {
        json_t *v;
        if ((rc = ow_docs_verify_json(cx, nt->code, &v))) {
            json_decref(nt->c);
            return rc;
        }
        nt->number = ow_strdup(cx->arena, S(v, "number"));
        json_decref(v);
        ow_req_then(rq, notice_render, OW_ON_POOL);
    } else {
        ow_req_then(rq, notice_register, OW_ON_WRITER);
    }
    return OW_OK;
}

const ow_route ow_notices_routes[] = {
    {"GET", "/api/v1/cases/{id}/notices/{kind}", api_notice, OW_INLINE, 0},
};
const size_t ow_notices_routes_n = sizeof ow_notices_routes / sizeof ow_notices_routes[0];
