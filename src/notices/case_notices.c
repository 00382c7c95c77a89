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
 * reads the cases' tables.  Each notice is issued the first time it is asked for: a
 * document number and a verification code on the writer, rendered on the pool, and
 * frozen — its PDF kept in the store, its SHA-256 in the case's audit row
 * (case.notice_issue) — so every later download sends the same bytes with sendfile,
 * whatever changed since (docs.h "frozen documents"); a mistake is corrected by a new
 * notice (POST …/corrections).  It lives in its own module above cases/, rating/ and docs/
 * (notices_api.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cases/cases.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "store/db.h"
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
    const char *filename;
    const char *base; /* of the verification and rating URLs (ow_docs_public_base) */
    /* rendered on the pool, kept in the store, then frozen on the writer */
    unsigned char *pdf;
    size_t len;
    char sha[65];
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
#define ADD_CX(...) (nt->paras[nt->n++] = ow_sprintf(cx->arena, __VA_ARGS__))

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

/* Writer: the rendered notice becomes the issued one (the first freeze wins, should two
 * first downloads race), its hash in the case's audit row; then the stored bytes go out. */
static int notice_record(ow_ctx *cx, notice *nt, char frozen[65], bool *won) {
    int rc = ow_docs_freeze(cx, nt->code, nt->sha, (int64_t)nt->len, frozen, won);
    if (!rc && *won) {
        json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:I}", "kind", nt->k->kind, "code", nt->code,
                              "number", nt->number ? nt->number : "", "pdf_sha256", nt->sha,
                              "pdf_size", (json_int_t)nt->len);
        rc = ow_cases_audit_document(cx, atoll(nt->object_id), "case.notice_issue", d);
        json_decref(d);
    }
    return rc;
}

static int notice_freeze(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    notice *nt = ow_req_data(rq);
    char frozen[65];
    bool won;
    int rc = notice_record(cx, nt, frozen, &won);
    if (rc) {
        free(nt->pdf);
        nt->pdf = NULL;
        return rc;
    }
    if (!won) {
        free(nt->pdf);
        nt->pdf = NULL;
        return ow_docs_reply_frozen(rq, frozen, nt->filename);
    }
    ow_reply_body(rq, 200, "application/pdf", (char *)nt->pdf, nt->len);
    nt->pdf = NULL;
    ow_reply_disposition(rq, ow_req_query(rq, "download") ? "attachment" : "inline", nt->filename);
    char etag[70];
    snprintf(etag, sizeof etag, "\"%s\"", nt->sha);
    ow_reply_header(rq, "ETag", etag);
    ow_reply_header(rq, "Cache-Control", "private, no-cache");
    return OW_OK;
}

/* Render the notice and keep its bytes in the store (durable before any row names
 * them); nt->c is released. */
static int notice_pdf(ow_ctx *cx, notice *nt) {
    char url[512];
    ow_docs_verify_url(nt->base, nt->code, url, sizeof url);
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
    int rc = ow_docs_render_notice(&n, &nt->pdf, &nt->len, &cx->err);
    json_decref(nt->c);
    nt->c = NULL;
    /* the bytes are durable in the store before the writer names them */
    if (!rc) rc = ow_docs_keep_pdf(cx, nt->pdf, nt->len, nt->sha);
    if (rc) {
        free(nt->pdf);
        nt->pdf = NULL;
    }
    return rc;
}

static int notice_render(ow_req *rq) {
    int rc = notice_pdf(ow_req_ctx(rq), ow_req_data(rq));
    if (!rc) ow_req_then(rq, notice_freeze, OW_ON_WRITER);
    return rc;
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
    } else {
        /* another first download registered it meanwhile: its number, or its bytes */
        json_t *v;
        if ((rc = ow_docs_verify_json(cx, nt->code, &v))) goto fail;
        nt->number = ow_strdup(cx->arena, S(v, "number"));
        const char *sha = ow_strdup(cx->arena, S(v, "pdf_sha256"));
        json_decref(v);
        if (*sha) {
            json_decref(nt->c);
            nt->c = NULL;
            return ow_docs_reply_frozen(rq, sha, nt->filename);
        }
    }
    ow_req_then(rq, notice_render, OW_ON_POOL);
    return OW_OK;
fail:
    json_decref(nt->c);
    nt->c = NULL;
    return rc;
}

/* The kind named by the path, or the 404 error. */
static const struct notice_kind *kind_of(ow_ctx *cx, const char *kind) {
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (!strcmp(KINDS[i].kind, kind)) return &KINDS[i];
    ow_err_set(&cx->err, OW_ENOTFOUND, "kind",
               "没有这种告知书（acceptance、supplement、refusal、decision、delivery、"
               "commitment、revocation、credit）");
    return NULL;
}

/* The case as the actor may see it, and the latest event of the notice's step (a second
 * 补正 notice replaces the first); nt->c is owned on success. */
static int notice_case(ow_ctx *cx, int64_t id, notice *nt) {
    int rc = ow_cases_get_json(cx, id, &nt->c);
    if (rc) return rc;
    size_t i;
    json_t *e;
    int nth = 0;
    json_array_foreach(json_object_get(nt->c, "timeline"), i, e) {
        const char *act = S(e, "action");
        if (!strcmp(act, nt->k->events[0]) ||
            (nt->k->events[1] && !strcmp(act, nt->k->events[1]))) {
            nt->ev = e;
            nth++;
        }
    }
    if (!strcmp(nt->k->kind, "commitment") &&
        !json_is_object(json_object_get(json_object_get(nt->c, "modes"), "commitment")))
        nt->ev = NULL; /* filed without a commitment: there is no 承诺书 */
    if (!nt->ev) {
        json_decref(nt->c);
        nt->c = NULL;
        return ow_err_setk(&cx->err, OW_ECONFLICT, "no_such_step", "kind",
                           "办件尚未进行相应的办理环节，没有%s",
                           nt->k->title ? nt->k->title : "决定书");
    }
    /* a second 补正 (the step taken again) is a document of its own, not the first one's
     * frozen bytes: "<case>.2" */
    if (nth > 1)
        snprintf(nt->object_id, sizeof nt->object_id, "%lld.%d", (long long)id, nth);
    else
        snprintf(nt->object_id, sizeof nt->object_id, "%lld", (long long)id);
    snprintf(nt->doc_kind, sizeof nt->doc_kind, "case.%s", nt->k->kind);
    return OW_OK;
}

/* The body of the notice, its rating note and, for one registered already (v: its
 * /verify answer, or NULL), its number and what a correction replaces. */
static int notice_prepare(ow_ctx *cx, notice *nt, json_t *v) {
    int rc = compose(cx, nt);
    if (rc) return rc;
    if (nt->k->rate) {
        /* the rating module's code for this case (a keyed hash: not guessable) */
        int64_t id = atoll(nt->object_id);
        char tok[OW_RATING_TOKEN_CHARS + 1];
        ow_rating_case_token(cx, id, tok);
        nt->note =
            ow_sprintf(cx->arena,
                       "办件评价（好差评）：欢迎对本次服务作出评价。请访问 %s/rate/%lld?token=%s"
                       " ，评价码：%s。",
                       nt->base, (long long)id, tok, tok);
    }
    if (v) {
        /* registered (a correction, or issued before documents were frozen) and not
         * frozen yet: rendered under its number, a correction naming what it replaces */
        nt->number = ow_strdup(cx->arena, S(v, "number"));
        json_t *old = json_object_get(v, "replaces");
        if (old && nt->n < OW_DOCS_MAX_PARAGRAPHS)
            ADD_CX("本文书更正并替代%s（核验码 %s），原文书作废。更正理由：%s", S(old, "number"),
                   S(old, "code"), S(v, "correction_reason"));
    }
    return OW_OK;
}

static int api_notice(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    const struct notice_kind *k = kind_of(cx, ow_req_param(rq, "kind"));
    if (!k) return OW_ENOTFOUND;
    notice *nt = ow_alloc(cx->arena, sizeof *nt);
    nt->k = k;
    /* the common case, a notice issued already: who may see the case (its row, not its
     * JSON) and the frozen bytes.  Not for 补正, whose step may be taken again and be a
     * document of its own (notice_case) */
    if (strcmp(k->kind, "supplement")) {
        ow_case_attach_view b;
        int rc = ow_cases_attach_view(cx, id, &b);
        if (rc) return rc;
        char kind[32], oid[24], sha[65];
        snprintf(kind, sizeof kind, "case.%s", k->kind);
        snprintf(oid, sizeof oid, "%lld", (long long)id);
        if ((rc = ow_docs_find(cx, kind, "case", oid, nt->code))) return rc;
        int64_t size;
        const char *title;
        if (nt->code[0] && (rc = ow_docs_frozen(cx, nt->code, sha, &size, &title))) return rc;
        if (nt->code[0] && sha[0])
            return ow_docs_reply_frozen(rq, sha,
                                        ow_sprintf(cx->arena, "%s-%s.pdf", title, b.case_no));
    }
    int rc = notice_case(cx, id, nt);
    if (rc) return rc;
    nt->filename =
        ow_sprintf(cx->arena, "%s-%s.pdf", k->title ? k->title : "决定书", S(nt->c, "case_no"));
    /* issued already: the frozen bytes, whatever changed since (docs.h "frozen") */
    json_t *v = NULL;
    if ((rc = ow_docs_find(cx, nt->doc_kind, "case", nt->object_id, nt->code))) goto fail;
    if (nt->code[0]) {
        if ((rc = ow_docs_verify_json(cx, nt->code, &v))) goto fail;
        nt->filename = ow_sprintf(cx->arena, "%s-%s.pdf", S(v, "title"), S(nt->c, "case_no"));
        if (*S(v, "pdf_sha256")) {
            const char *sha = ow_strdup(cx->arena, S(v, "pdf_sha256"));
            json_decref(v);
            json_decref(nt->c);
            return ow_docs_reply_frozen(rq, sha, nt->filename);
        }
    }
    nt->base = ow_docs_public_base(rq);
    if ((rc = notice_prepare(cx, nt, v))) goto fail;
    ow_req_set_data(rq, nt);
    if (v) {
        json_decref(v);
        ow_req_then(rq, notice_render, OW_ON_POOL);
    } else {
        ow_req_then(rq, notice_register, OW_ON_WRITER);
    }
    return OW_OK;
fail:
    json_decref(v);
    json_decref(nt->c);
    return rc;
}

/* POST /api/v1/cases/{id}/notices/{kind}/corrections {reason}: a correction of an issued
 * notice — a new document with a new number naming the one it replaces (docs.h); the
 * next download renders and freezes it.  Centre and department staff (clerk, approver,
 * admin) who may see the case. */
static int api_notice_correct(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    const char *role = cx->actor.role;
    if (!cx->actor.system && strcmp(role, "admin") && strcmp(role, "clerk") &&
        strcmp(role, "approver"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有窗口、审批人员或管理员可以更正文书");
    const struct notice_kind *k = kind_of(cx, ow_req_param(rq, "kind"));
    if (!k) return OW_ENOTFOUND;
    const char *reason = NULL;
    if (ow_json_str(ow_req_json(rq), "reason", true, 400, &reason, &cx->err)) return OW_EINVAL;
    notice nt = {.k = k};
    int rc = notice_case(cx, id, &nt);
    if (rc) return rc;
    json_decref(nt.c);
    if ((rc = ow_docs_find(cx, nt.doc_kind, "case", nt.object_id, nt.code))) return rc;
    if (!nt.code[0])
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_issued", "kind",
                           "该文书尚未出具，无需更正");
    char code[OW_DOCS_CODE_CHARS + 1];
    const char *number;
    if ((rc = ow_docs_correct(cx, nt.code, reason, code, &number))) return rc;
    json_t *d = json_pack("{s:s,s:s,s:s,s:s}", "kind", k->kind, "code", code, "number", number,
                          "replaces", nt.code);
    rc = ow_cases_audit_document(cx, id, "case.notice_correct", d);
    json_decref(d);
    if (rc) return rc;
    return ow_reply_json(rq, 201,
                         json_pack("{s:s,s:s,s:s,s:s}", "code", code, "number", number, "replaces",
                                   nt.code, "reason", reason));
}

/* ---- onewindow docs freeze: the notices registered before documents were frozen ---- */

typedef struct pending {
    const char *code, *kind, *object_id;
    struct pending *next;
} pending;

static int collect(void *arg, const char *code, const char *kind, const char *object_id) {
    ow_ctx *cx = ((void **)arg)[0];
    pending **tail = ((void **)arg)[1], *p = ow_alloc(cx->arena, sizeof *p);
    *p = (pending){ow_strdup(cx->arena, code), ow_strdup(cx->arena, kind),
                   ow_strdup(cx->arena, object_id), NULL};
    *tail = p;
    ((void **)arg)[1] = &p->next;
    return OW_OK;
}

/* One registered notice rendered from its case as it stands and frozen, in a
 * transaction of its own. */
static int freeze_one(ow_ctx *cx, const pending *p, const char *base) {
    const struct notice_kind *k = strncmp(p->kind, "case.", 5) ? NULL : kind_of(cx, p->kind + 5);
    if (!k) return ow_err_set(&cx->err, OW_EINVAL, "kind", "未知的文书种类：%s", p->kind);
    notice nt = {.k = k, .base = base};
    int rc = notice_case(cx, atoll(p->object_id), &nt);
    if (rc) return rc;
    snprintf(nt.object_id, sizeof nt.object_id, "%s", p->object_id);
    snprintf(nt.code, sizeof nt.code, "%s", p->code);
    json_t *v;
    if ((rc = ow_docs_verify_json(cx, p->code, &v))) {
        json_decref(nt.c);
        return rc;
    }
    rc = notice_prepare(cx, &nt, v);
    json_decref(v);
    if (rc) {
        json_decref(nt.c);
        return rc;
    }
    if ((rc = notice_pdf(cx, &nt))) return rc;
    char frozen[65];
    bool won;
    if (!(rc = ow_db_begin(cx->db, &cx->err))) {
        rc = notice_record(cx, &nt, frozen, &won);
        if (!rc) rc = ow_db_commit(cx->db, &cx->err);
        if (rc) ow_db_rollback(cx->db);
    }
    free(nt.pdf);
    return rc;
}

int ow_notices_freeze_registered(ow_ctx *cx, const char *base, int *frozen, int *failed) {
    *frozen = *failed = 0;
    pending *list = NULL;
    void *arg[2] = {cx, &list};
    int rc = ow_docs_each_unfrozen(cx, "case", collect, arg);
    if (rc) return rc;
    for (pending *p = list; p; p = p->next) {
        if ((rc = freeze_one(cx, p, base))) {
            ow_log_error("docs freeze failed", "\"code\":\"%s\",\"message\":\"%s\"", p->code,
                         cx->err.message);
            (*failed)++;
            cx->err = (ow_err){0};
        } else {
            (*frozen)++;
        }
    }
    return OW_OK;
}

const ow_route ow_notices_routes[] = {
    {"GET", "/api/v1/cases/{id}/notices/{kind}", api_notice, OW_INLINE, 0},
    {"POST", "/api/v1/cases/{id}/notices/{kind}/corrections", api_notice_correct, OW_ON_WRITER, 0},
};
const size_t ow_notices_routes_n = sizeof ow_notices_routes / sizeof ow_notices_routes[0];
