/* rules.c — the 2019 政府信息公开条例 as plain functions (docs/disclosure-rules.md).
 *
 * Nothing here touches the database: the receipt date per channel (Art. 31), the
 * reply deadline (Art. 33) with its one extension, the supplement (补正, Art. 30) that
 * restarts the clock from the receipt of the supplement, the consultation of third
 * parties and other agencies (Art. 32, 33) and the wait for a fee that do not count,
 * the lights, the information-processing fees (国办函〔2020〕109号) and the table of
 * reply outcomes with their notices and annual-report rows.  request.c stores the
 * dates and calls these; the unit tests check them on hand-worked dates. */
#include <string.h>

#include "disclosure/disclosure.h"

int ow_dis_receipt_date(const char *channel, bool signed_letter, int32_t handed_in,
                        int32_t signed_for, int32_t confirmed, int32_t *out, ow_err *e) {
    *out = OW_DATE_NONE;
    if (!channel) return ow_err_set(e, OW_EINVAL, "channel", "请选择申请渠道");
    if (!strcmp(channel, "in_person")) {
        if (handed_in == OW_DATE_NONE)
            return ow_err_set(e, OW_EINVAL, "received_date", "当面提交的申请须填写提交日期");
        *out = handed_in;
    } else if (!strcmp(channel, "post")) {
        if (signed_letter) {
            if (signed_for == OW_DATE_NONE)
                return ow_err_set(e, OW_EINVAL, "received_date", "邮寄的申请须填写签收日期");
            *out = signed_for;
        } else {
            if (confirmed == OW_DATE_NONE)
                return ow_err_set(e, OW_EINVAL, "received_date",
                                  "平常信函须填写与申请人确认收到申请的日期");
            *out = confirmed;
        }
    } else if (!strcmp(channel, "online") || !strcmp(channel, "data_message")) {
        if (confirmed == OW_DATE_NONE)
            return ow_err_set(e, OW_EINVAL, "received_date",
                              "网上或数据电文申请须填写双方确认收到的日期");
        *out = confirmed;
    } else {
        return ow_err_set(e, OW_EINVAL, "channel", "申请渠道应为网上、当面、邮寄或数据电文");
    }
    return OW_OK;
}

int ow_dis_due(ow_calendar *cal, const ow_dis_clock *c, int32_t *due, ow_err *e) {
    *due = OW_DATE_NONE;
    if (c->received == OW_DATE_NONE) return OW_OK; /* not received yet: no clock */
    int32_t start = c->received;
    if (c->supplement_asked != OW_DATE_NONE) {
        if (c->supplement_received == OW_DATE_NONE) return OW_OK; /* waiting: clock stopped */
        start = c->supplement_received;                           /* Art. 30: counts anew */
    }
    int n = OW_DIS_REPLY_WORKDAYS + (c->extended ? OW_DIS_EXTENSION_WORKDAYS : 0);
    return ow_cal_due_with_pauses(cal, start, n, c->pauses, c->npauses, due, e);
}

int ow_dis_supplement_ask_by(ow_calendar *cal, int32_t received, int32_t *out, ow_err *e) {
    return ow_cal_add_workdays(cal, received, OW_DIS_SUPPLEMENT_ASK_WORKDAYS, out, e);
}

int ow_dis_supplement_due(ow_calendar *cal, int32_t asked, int workdays, int32_t *out, ow_err *e) {
    if (workdays < 1 || workdays > 60)
        return ow_err_set(e, OW_EINVAL, "supplement_workdays", "补正期限应为 1 到 60 个工作日");
    return ow_cal_add_workdays(cal, asked, workdays, out, e);
}

int ow_dis_third_party_due(ow_calendar *cal, int32_t sent, int32_t *out, ow_err *e) {
    return ow_cal_add_workdays(cal, sent, OW_DIS_THIRD_PARTY_WORKDAYS, out, e);
}

int ow_dis_fee_due(ow_calendar *cal, int32_t notice, int32_t *out, ow_err *e) {
    return ow_cal_add_workdays(cal, notice, OW_DIS_FEE_PAY_WORKDAYS, out, e);
}

static bool concluded_state(const char *s) {
    return !strcmp(s, "replied") || !strcmp(s, "closed") || !strcmp(s, "withdrawn");
}

int ow_dis_light(ow_calendar *cal, const char *state, int32_t due, int32_t concluded, int32_t today,
                 const char **light, int *workdays_left, ow_err *e) {
    *workdays_left = 0;
    if (concluded_state(state)) {
        *light =
            due != OW_DATE_NONE && concluded != OW_DATE_NONE && concluded > due ? "late" : "done";
        return OW_OK;
    }
    if (!strcmp(state, "submitted")) {
        *light = "new";
        return OW_OK;
    }
    if (due == OW_DATE_NONE || !strcmp(state, "supplement") || !strcmp(state, "consulting") ||
        !strcmp(state, "fee")) {
        *light = "paused";
        return OW_OK;
    }
    if (today > due) {
        int over = 0;
        int rc = ow_cal_count_workdays(cal, due, today, &over, e);
        if (rc) return rc;
        *workdays_left = -over;
        *light = "red";
        return OW_OK;
    }
    int left = 0;
    int rc = ow_cal_count_workdays(cal, today, due, &left, e);
    if (rc) return rc;
    *workdays_left = left;
    *light = left <= OW_DIS_DUE_SOON_WORKDAYS ? "yellow" : "green";
    return OW_OK;
}

int64_t ow_dis_fee_count_yuan(int k) {
    if (k <= OW_DIS_FEE_FREE_REQUESTS_PER_MONTH) return 0;
    if (k <= 30) return 100;
    return 200 + 100 * (int64_t)((k - 31) / 10);
}

int64_t ow_dis_fee_pages_yuan(int pages) {
    static const struct {
        int from, to; /* inclusive page band; to 0 = open-ended */
        int64_t yuan;
    } bands[] = {{31, 100, 10}, {101, 200, 20}, {201, 0, 40}};
    int64_t total = 0;
    for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++) {
        if (pages < bands[i].from) break;
        int hi = bands[i].to && pages > bands[i].to ? bands[i].to : pages;
        total += (int64_t)(hi - bands[i].from + 1) * bands[i].yuan;
    }
    return total;
}

#define REG "《中华人民共和国政府信息公开条例》"

/* Every outcome a reply can have.  `group`/`sub` are the rows of the annual report's
 * table (三、本年度办理结果): (一) 予以公开 … (六) 其他处理.  The last three are set by
 * actions (the supplement or the fee lapsed, the applicant withdrew), not chosen as a
 * reply; request.c checks that. */
static const ow_dis_outcome outcomes[] = {
    {"disclosed", "予以公开", 1, 0, "disclosed", "政府信息公开告知书", REG "第三十六条第（二）项",
     false},
    {"disclosed_published", "予以公开（已主动公开）", 1, 0, "disclosed", "政府信息公开告知书",
     REG "第三十六条第（一）项", true},
    {"partial", "部分公开", 2, 0, "partial", "政府信息部分公开告知书", REG "第三十七条", true},
    {"refused_secret", "不予公开：属于国家秘密", 3, 1, "refused", "政府信息不予公开告知书",
     REG "第十四条、第三十六条第（三）项", true},
    {"refused_law", "不予公开：其他法律行政法规禁止公开", 3, 2, "refused", "政府信息不予公开告知书",
     REG "第十四条、第三十六条第（三）项", true},
    {"refused_safety", "不予公开：危及“三安全一稳定”", 3, 3, "refused", "政府信息不予公开告知书",
     REG "第十四条、第三十六条第（三）项", true},
    {"refused_third_party", "不予公开：保护第三方合法权益", 3, 4, "refused",
     "政府信息不予公开告知书", REG "第十五条、第三十六条第（三）项", true},
    {"refused_internal", "不予公开：属于三类内部事务信息", 3, 5, "refused",
     "政府信息不予公开告知书", REG "第十六条第一款、第三十六条第（三）项", true},
    {"refused_process", "不予公开：属于四类过程性信息", 3, 6, "refused", "政府信息不予公开告知书",
     REG "第十六条第二款、第三十六条第（三）项", true},
    {"refused_enforcement", "不予公开：属于行政执法案卷", 3, 7, "refused", "政府信息不予公开告知书",
     REG "第十六条第二款、第三十六条第（三）项", true},
    {"refused_query", "不予公开：属于行政查询事项", 3, 8, "refused", "政府信息不予公开告知书",
     REG "第三十六条第（三）项", true},
    {"unavailable_not_exist", "无法提供：本机关不掌握相关政府信息（信息不存在）", 4, 1, "not_exist",
     "政府信息不存在告知书", REG "第三十六条第（四）项", false},
    {"unavailable_not_ours", "无法提供：本机关不掌握相关政府信息（非本机关）", 4, 1, "not_ours",
     "非本机关政府信息告知书", REG "第三十六条第（五）项", true},
    {"unavailable_needs_making", "无法提供：没有现成信息需要另行制作", 4, 2, "unavailable",
     "政府信息无法提供告知书", REG "第三十八条", true},
    {"unavailable_unclear", "无法提供：补正后申请内容仍不明确", 4, 3, "unavailable",
     "政府信息无法提供告知书", REG "第三十条", true},
    {"not_handled_petition", "不予处理：信访举报投诉类申请", 5, 1, "not_handled",
     "政府信息公开申请不予处理告知书", REG "第三十九条第一款", true},
    {"not_handled_repeat", "不予处理：重复申请", 5, 2, "repeat", "不予重复处理告知书",
     REG "第三十六条第（六）项", true},
    {"not_handled_publication", "不予处理：要求提供公开出版物", 5, 3, "not_handled",
     "政府信息公开申请不予处理告知书", REG "第三十九条第二款", true},
    {"not_handled_mass", "不予处理：无正当理由大量反复申请", 5, 4, "not_handled",
     "政府信息公开申请不予处理告知书", REG "第三十五条", true},
    {"not_handled_confirm", "不予处理：要求行政机关确认或重新出具已获取信息", 5, 5, "not_handled",
     "政府信息公开申请不予处理告知书", REG "第二条、第三十九条第一款", true},
    {"other_no_supplement", "其他处理：申请人无正当理由逾期不补正", 6, 1, "abandoned",
     "政府信息公开申请不再处理告知书", REG "第三十条", false},
    {"other_no_fee", "其他处理：申请人逾期未缴纳信息处理费", 6, 2, "abandoned",
     "政府信息公开申请不再处理告知书", REG "第四十二条、《政府信息公开信息处理费管理办法》", false},
    {"other_special_law", "其他处理：依特别规定办理", 6, 3, "special_law", "政府信息公开申请告知书",
     REG "第三十六条第（七）项", true},
    {"other_withdrawn", "其他处理：申请人撤回申请", 6, 3, "", "", "", false},
};

const ow_dis_outcome *ow_dis_outcome_find(const char *key) {
    if (!key) return NULL;
    for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
        if (!strcmp(outcomes[i].key, key)) return &outcomes[i];
    return NULL;
}

const ow_dis_outcome *ow_dis_outcomes(size_t *n) {
    *n = sizeof outcomes / sizeof outcomes[0];
    return outcomes;
}
