/* json.c — see json.h. */
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/workdays.h"

/* Field names as a clerk reads them, for messages like "请填写手机号码".  Unknown
 * keys fall back to the key itself, which is still precise for API clients. */
static const char *labels[][2] = {
    {"username", "用户名"},
    {"password", "密码"},
    {"current_password", "当前密码"},
    {"new_password", "新密码"},
    {"name", "名称"},
    {"mobile", "手机号码"},
    {"id_number", "身份证号码"},
    {"uscc", "统一社会信用代码"},
    {"legal_representative", "法定代表人"},
    {"kind", "类型"},
    {"role", "角色"},
    {"org_id", "所属机构"},
    {"parent_id", "上级机构"},
    {"code", "编码"},
    {"address", "地址"},
    {"phone", "电话"},
    {"active", "启用状态"},
    {"reason", "理由"},
    {"comment", "意见"},
    {"action", "操作"},
    {"item_id", "事项"},
    {"department", "部门编号"},
    {"title", "标题"},
    {"content", "内容"},
    {"level", "评价等级"},
    {"tags", "评价标签"},
    {"case_id", "办件"},
    {"token", "评价凭证"},
    {"service_id", "窗口服务"},
    {"topic", "服务内容"},
    {"note", "说明"},
    {"outcome", "结论"},
    {"ledger_days", "整改期限"},
    {"result", "结果"},
    {"subject", "投诉对象"},
    {"about_org_id", "被投诉单位"},
    {"anonymous", "是否匿名"},
    {"contact_name", "联系人"},
    {"answer", "答复内容"},
    {"satisfaction", "满意程度"},
    {"feedback", "评价意见"},
    {"assigned_org_id", "承办单位"},
    {"reply", "回复内容"},
    {"reply_days", "回复期限"},
    {"ref_no", "编号"},
    {"query_code", "查询码"},
    {"window_code", "窗口编码"},
    /* disclosure (issue 9) */
    {"channel", "申请渠道"},
    {"applicant_type", "申请人类型"},
    {"email", "电子邮箱"},
    {"purpose", "用途"},
    {"delivery", "获取信息的方式"},
    {"received_date", "收到日期"},
    {"items", "补正事项"},
    {"workdays", "工作日数"},
    {"text", "补正内容"},
    {"approver", "批准人"},
    {"party", "征求意见对象"},
    {"date", "日期"},
    {"method", "计收方式"},
    {"pages", "页数"},
    {"body", "正文"},
    {"where", "获取方式"},
    {"agency", "负责公开的机关"},
    {"agency_contact", "联系方式"},
    {"notice_id", "告知书"},
    {"filed_date", "提起日期"},
    {"decided_date", "审结日期"},
    {"column", "栏目"},
    {"doc_number", "文号"},
    {"issued_date", "成文日期"},
    {"validity", "有效性"},
    {"repealed_date", "废止日期"},
    {"overview", "总体情况"},
    {"opening", "开篇说明"},
    {"report_date", "报告日期"},
    {"overview_active", "总体情况（一）主动公开"},
    {"overview_requests", "总体情况（二）依申请公开"},
    {"overview_management", "总体情况（三）政府信息管理"},
    {"overview_platform", "总体情况（四）平台建设"},
    {"overview_oversight", "总体情况（五）监督保障"},
    {"problems", "存在的主要问题及改进情况"},
    {"other", "其他需要报告的事项"},
    {"admin_fees_wan", "行政事业性收费金额"},
    {"year", "年度"},
    {"quarter", "季度"},
    {"rating", "督查等次"},
    {"findings", "发现的问题"},
    {"rectify_by", "整改期限"},
    {"rectified_date", "整改完成日期"},
    {"rectification_note", "整改情况"},
};

const char *ow_json_label(const char *key) {
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(labels[i][0], key)) return labels[i][1];
    return key;
}

json_t *ow_json_parse_object(const char *body, size_t n, ow_err *e) {
    json_error_t je;
    if (n == 0) {
        ow_err_setk(e, OW_EINVAL, "invalid_json", "", "请求内容为空，应为JSON对象");
        return NULL;
    }
    json_t *v = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        ow_err_setk(e, OW_EINVAL, "invalid_json", "", "请求内容不是有效的JSON（第%d行第%d列：%s）",
                    je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        ow_err_setk(e, OW_EINVAL, "invalid_json", "", "请求内容应为JSON对象");
        return NULL;
    }
    return v;
}

int ow_json_str(const json_t *obj, const char *key, bool required, size_t max_chars,
                const char **out, ow_err *e) {
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return ow_err_setk(e, OW_EINVAL, "missing_field", key, "请填写%s", ow_json_label(key));
        return OW_OK;
    }
    if (!json_is_string(v)) return ow_err_set(e, OW_EINVAL, key, "%s应为文本", ow_json_label(key));
    const char *s = json_string_value(v);
    if (json_string_length(v) != strlen(s) || !ow_utf8_valid_text(s))
        return ow_err_set(e, OW_EINVAL, key, "%s含有不允许的字符", ow_json_label(key));
    if (required && !*s)
        return ow_err_setk(e, OW_EINVAL, "missing_field", key, "请填写%s", ow_json_label(key));
    if (max_chars && ow_utf8_len(s) > max_chars)
        return ow_err_set(e, OW_EINVAL, key, "%s过长（最多 %zu 个字）", ow_json_label(key),
                          max_chars);
    *out = s;
    return OW_OK;
}

int ow_json_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
                int64_t *out, ow_err *e) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            return ow_err_setk(e, OW_EINVAL, "missing_field", key, "请填写%s", ow_json_label(key));
        return OW_OK;
    }
    if (!json_is_integer(v)) return ow_err_set(e, OW_EINVAL, key, "%s应为整数", ow_json_label(key));
    json_int_t i = json_integer_value(v);
    if (i < min || i > max)
        return ow_err_set(e, OW_EINVAL, key, "%s应在 %lld 到 %lld 之间", ow_json_label(key),
                          (long long)min, (long long)max);
    *out = i;
    return OW_OK;
}

int ow_json_bool(const json_t *obj, const char *key, bool required, bool *out, ow_err *e) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            return ow_err_setk(e, OW_EINVAL, "missing_field", key, "请填写%s", ow_json_label(key));
        return OW_OK;
    }
    if (!json_is_boolean(v))
        return ow_err_set(e, OW_EINVAL, key, "%s应为 true 或 false", ow_json_label(key));
    *out = json_is_true(v);
    return OW_OK;
}

/* jansson's %.*g with the changes its dtostr makes: a ".0" where the text would read
 * back as an integer, no "+" and no leading zeros in the exponent. */
static void put_real(ow_buf *b, double v) {
    char s[64];
    int n = snprintf(s, sizeof s - 3, "%.10g", v);
    if (n < 0 || n >= (int)sizeof s - 3) n = 0;
    for (int i = 0; i < n; i++)
        if (s[i] == ',') s[i] = '.'; /* a decimal comma from the C library's locale */
    if (!strchr(s, '.') && !strchr(s, 'e')) {
        memcpy(s + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(s, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-') start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)(s + n - end) + 1);
            n -= (int)(end - start);
        }
    }
    ow_buf_append(b, s, (size_t)n);
}

static bool put_value(ow_buf *b, const json_t *v, int depth) {
    if (depth > 64) return false; /* nothing of ours nests this deep: a cycle */
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        ow_buf_putc(b, '{');
        bool first = true;
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it)) {
            if (!first) ow_buf_putc(b, ',');
            first = false;
            ow_json_put_strn(b, json_object_iter_key(it), json_object_iter_key_len(it));
            ow_buf_putc(b, ':');
            if (!put_value(b, json_object_iter_value(it), depth + 1)) return false;
        }
        ow_buf_putc(b, '}');
        return true;
    }
    case JSON_ARRAY: {
        ow_buf_putc(b, '[');
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n; i++) {
            if (i) ow_buf_putc(b, ',');
            if (!put_value(b, json_array_get(v, i), depth + 1)) return false;
        }
        ow_buf_putc(b, ']');
        return true;
    }
    case JSON_STRING:
        ow_json_put_strn(b, json_string_value(v), json_string_length(v));
        return true;
    case JSON_INTEGER:
        ow_json_put_int(b, json_integer_value(v));
        return true;
    case JSON_REAL:
        put_real(b, json_real_value(v));
        return true;
    case JSON_TRUE:
        OW_JSON_PUT_LIT(b, "true");
        return true;
    case JSON_FALSE:
        OW_JSON_PUT_LIT(b, "false");
        return true;
    case JSON_NULL:
        OW_JSON_PUT_LIT(b, "null");
        return true;
    }
    return false;
}

void ow_json_put_value(ow_buf *b, const json_t *v) {
    if (!v || !put_value(b, v, 0)) OW_JSON_PUT_LIT(b, "null");
}

/* Why not json_dumps: jansson 2.14 guards every object and array it prints against
 * reference cycles by printing the container's address with snprintf("%p") into a key
 * and inserting it into a hash table (a malloc and a free each), and then copies its
 * finished buffer once more.  For a case with its timeline and steps (2.4 KB) that was
 * 30 µs, a quarter of the request thread's time per submit, against about 4 µs here.
 * The text is the same, byte for byte (tests/unit/test_core.c compares the two); our
 * values are built as trees, and a depth limit stands in for the cycle check. */
char *ow_json_dump(const json_t *v) {
    if (!v || !(json_is_object(v) || json_is_array(v))) return NULL; /* as json_dumps */
    ow_arena *a = ow_arena_new(8192);
    ow_buf b;
    ow_buf_init(&b, a, 4096);
    char *out = NULL;
    if (put_value(&b, v, 0)) {
        out = malloc(b.len + 1);
        if (out) memcpy(out, b.data, b.len + 1);
    }
    ow_arena_free(a);
    return out;
}

json_t *ow_json_error(const ow_err *e) {
    json_t *err = json_pack("{s:s}", "code", e->kind[0] ? e->kind : ow_err_default_kind(e->code));
    if (e->field[0]) json_object_set_new(err, "field", json_string(e->field));
    json_object_set_new(err, "message", json_string(e->message[0] ? e->message : "请求处理失败"));
    return json_pack("{s:o}", "error", err);
}

json_t *ow_json_date(int32_t d) {
    if (d == OW_DATE_NONE) return json_null();
    char s[11];
    ow_date_format(d, s);
    return json_string(s);
}

void ow_json_put_int(ow_buf *b, int64_t v) {
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    ow_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

void ow_json_put_bool(ow_buf *b, bool v) {
    if (v)
        OW_JSON_PUT_LIT(b, "true");
    else
        OW_JSON_PUT_LIT(b, "false");
}

void ow_json_put_date(ow_buf *b, int32_t d) {
    if (d == OW_DATE_NONE) {
        OW_JSON_PUT_LIT(b, "null");
        return;
    }
    char s[13];
    s[0] = '"';
    ow_date_format(d, s + 1);
    s[11] = '"';
    ow_buf_append(b, s, 12);
}

/* Length of the valid UTF-8 sequence at p (1–4), or 0 when it is not one: overlong forms,
 * surrogates and code points past U+10FFFF are refused, as jansson refuses them. */
static size_t utf8_seq(const unsigned char *p, size_t avail) {
    unsigned c = p[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (n > avail) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void ow_json_put_str(ow_buf *b, const char *str) {
    ow_json_put_strn(b, str, strlen(str));
}

void ow_json_put_strn(ow_buf *b, const char *str, size_t len) {
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)str, *run = s, *end = s + len;
    ow_buf_putc(b, '"');
    for (;;) {
        unsigned c = s < end ? *s : 0;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            s++;
            continue;
        }
        size_t n = c >= 0x80 ? utf8_seq(s, (size_t)(end - s)) : 0;
        if (n) { /* valid multi-byte UTF-8 goes out as it is */
            s += n;
            continue;
        }
        ow_buf_append(b, run, (size_t)(s - run));
        if (s == end) break;
        char esc[7] = {'\\', 0};
        size_t k = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            if (c >= 0x80) { /* not UTF-8: the replacement character */
                memcpy(esc + 1, "uFFFD", 5);
            } else {
                memcpy(esc + 1, "u00", 3);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
            }
            k = 6;
        }
        ow_buf_append(b, esc, k);
        run = ++s;
    }
    ow_buf_putc(b, '"');
}
