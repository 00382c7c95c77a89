/* case_notices.c — a case's official notices as PDF (issue 7): 受理通知书, 一次性告知书
 * (every material to supplement, at once: Administrative Licensing Law Art. 32),
 * 不予受理通知书 (reason and remedies), the decision (准予 / 不予许可决定书) and the
 * delivery receipt (送达回证).
 *
 *   GET /api/v1/cases/{id}/notices/{kind}   kind: acceptance, supplement, refusal,
 *                                            decision, delivery
 *
 * The content comes from the case as its module shows it (cases.h: the timeline
 * event of the step, with its details); nothing here reads the cases' tables.  Each
 * notice is registered once per case and kind (a document number and a verification
 * code, on the writer) and rendered on the pool every time it is asked for.  It lives in
 * its own module above cases/, rating/ and docs/ (notices_api.h). */
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
 * "by the link in a notice"), so an applicant who never signs in can still rate. */
static const struct notice_kind {
    const char *kind, *title, *prefix, *events[2];
    bool rate;
} KINDS[] = {
    {"acceptance", "受理通知书", "赫政务受", {"accept", NULL}, false},
    {"supplement", "补正材料一次性告知书", "赫政务补", {"supplement", NULL}, false},
    {"refusal", "不予受理通知书", "赫政务不受", {"refuse", NULL}, true},
    {"decision", "行政许可决定书", "赫政务决", {"approve", "deny"}, true},
    {"delivery", "送达回证", "赫政务送", {"deliver", NULL}, true},
};

typedef struct notice {
    const struct notice_kind *k;
    json_t *c;  /* the case (cases.h JSON), owned until rendered */
    json_t *ev; /* its timeline event for this notice (borrowed from c) */
    char object_id[24], doc_kind[32];
    char code[OW_DOCS_CODE_CHARS + 1];
    const char *number;
    const char *paras[OW_DOCS_MAX_PARAGRAPHS];
    size_t n;
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

static void date_cn(const char *iso_time, char out[32]) {
    char d[11];
    snprintf(d, sizeof d, "%.10s", iso_time);
    ow_docs_chinese_date(d, out, 32);
}

#define ADD(...) (nt->paras[nt->n++] = ow_sprintf(a, __VA_ARGS__))

static const char *REMEDIES =
    "如不服本决定，可以自收到本通知书之日起六十日内向益阳市赫山区人民政府申请行政复议，"
    "或者自收到本通知书之日起六个月内向人民法院提起行政诉讼。";

/* The body of each kind, from the case and its event. */
static void compose(ow_ctx *cx, notice *nt) {
    ow_arena *a = cx->arena;
    json_t *c = nt->c, *ev = nt->ev, *item = json_object_get(c, "item"),
           *ap = json_object_get(c, "applicant"), *detail = json_object_get(ev, "detail");
    char received[32], on[32];
    ow_docs_chinese_date(S(c, "received_date"), received, sizeof received);
    date_cn(S(ev, "at"), on);
    const char *item_name = S(item, "name"), *case_no = S(c, "case_no");
    const char *dept = S(json_object_get(c, "department"), "name");
    const char *k = nt->k->kind;
    if (!strcmp(k, "acceptance")) {
        ADD("你（单位）于%s提出的“%s”申请（办件编号：%s），经审查，申请材料齐全、符合法定形式，"
            "根据《中华人民共和国行政许可法》第三十二条的规定，本机关决定予以受理。",
            received, item_name, case_no);
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
            json_is_string(json_object_get(dl, "due_committed"))) {
            char due[32];
            ow_docs_chinese_date(S(dl, "due_committed"), due, sizeof due);
            ADD("承诺办结日期暂按法定节假日推算为%s；国务院公布该年度放假安排后如有调整，"
                "以政务服务网办理进度查询所示日期为准。",
                due);
        }
        ADD("可凭办件编号和证件号码后六位在政务服务网查询办理进度。");
    } else if (!strcmp(k, "supplement")) {
        ADD("你（单位）于%s提出的“%s”申请（办件编号：%"
            "s），经审查，申请材料不齐全或者不符合法定形式。"
            "根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知需要补正的全部材料如下"
            "：",
            received, item_name, case_no);
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
        ADD("%s", REMEDIES);
    } else if (!strcmp(k, "decision")) {
        bool ok = !strcmp(S(ev, "action"), "approve");
        ADD("你（单位）提出的“%s”申请（办件编号：%s），本机关已于%s受理。经审查，%s", item_name,
            case_no, S(c, "accepted_date"),
            ok ? "申请符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第一款的规定，"
                 "决定准予许可。"
               : "申请不符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第二款的规定"
                 "，"
                 "决定不予许可。");
        if (ok)
            ADD("本机关将自作出决定之日起十日内向你（单位）颁发、送达许可证件或者办理结果。");
        else {
            ADD("理由：%s", S(detail, "reason"));
            ADD("%s", REMEDIES);
        }
    } else {
        const char *how = S(detail, "delivery");
        const char *hn = !strcmp(how, "post")         ? "邮寄送达"
                         : !strcmp(how, "electronic") ? "电子送达"
                                                      : "窗口领取";
        ADD("送达文书：“%s”办理结果（办件编号：%s）", item_name, case_no);
        ADD("送达方式：%s%s%s", hn, *S(detail, "tracking_no") ? "，邮件运单号 " : "",
            S(detail, "tracking_no"));
        ADD("送达日期：%s", on);
        ADD("受送达人：%s", S(ap, "name"));
        ADD("受送达人签收：＿＿＿＿＿＿＿＿　　　　送达人：%s",
            S(json_object_get(ev, "actor"), "name"));
    }
}

static int notice_render(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    notice *nt = ow_req_data(rq);
    char url[512], sign[32];
    ow_docs_verify_url(ow_docs_public_base(rq), nt->code, url, sizeof url);
    date_cn(S(nt->ev, "at"), sign);
    json_t *ap = json_object_get(nt->c, "applicant");
    ow_doc_notice n = {
        .title = nt->k->title,
        .issuer = !strcmp(nt->k->kind, "decision") ? S(json_object_get(nt->c, "department"), "name")
                                                   : cx->app->cfg.center_name,
        .number = nt->number,
        .recipient = ow_sprintf(cx->arena, "%s：", S(ap, "name")),
        .paragraphs = nt->paras,
        .nparagraphs = nt->n,
        .sign_date = sign,
        .qr_payload = url,
        .qr_caption = ow_sprintf(cx->arena, "扫码核验  核验码 %s", nt->code),
    };
    unsigned char *pdf;
    size_t len;
    int rc = ow_docs_render_notice(&n, &pdf, &len, &cx->err);
    const char *fname = ow_sprintf(cx->arena, "%s-%s.pdf", nt->k->title, S(nt->c, "case_no"));
    json_decref(nt->c);
    nt->c = NULL;
    if (rc) return rc;
    ow_reply_body(rq, 200, "application/pdf", (char *)pdf, len);
    ow_reply_disposition(rq, ow_req_query(rq, "download") ? "attachment" : "inline", fname);
    return OW_OK;
}

/* Writer: the first time this notice is asked for, give it a number and a code. */
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
                           .title = nt->k->title,
                           .issuer = cx->app->cfg.center_name,
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
                          "没有这种告知书（acceptance、supplement、refusal、decision、delivery）");
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
    if (!nt->ev) {
        json_decref(nt->c);
        return ow_err_setk(&cx->err, OW_ECONFLICT, "no_such_step", "kind",
                           "办件尚未进行相应的办理环节，没有%s", k->title);
    }
    snprintf(nt->object_id, sizeof nt->object_id, "%lld", (long long)id);
    snprintf(nt->doc_kind, sizeof nt->doc_kind, "case.%s", k->kind);
    compose(cx, nt);
    if (k->rate) {
        /* the rating module's code for this case (a keyed hash: not guessable) */
        char tok[OW_RATING_TOKEN_CHARS + 1];
        ow_rating_case_token(cx, id, tok);
        nt->paras[nt->n++] =
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
