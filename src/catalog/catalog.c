/* catalog.c — service items (政务服务事项) and their guides (办事指南): rules,
 * editing, publishing with versions, search and coverage figures.
 *
 * Shape and why:
 *   - An item has a head (items + item_materials + item_steps) that an
 *     administrator edits, and immutable published versions (item_versions,
 *     the whole guide as JSON).  Cases filed under version N keep N even when
 *     the item is edited and published again; an edit to a published item is
 *     invisible to the public until it is published.
 *   - The state machine is a table (TRANSITIONS): draft/published/suspended,
 *     with publish and suspend.  Every change writes its audit row in the same
 *     transaction.
 *   - What the public finds is item_public, one row per published item with
 *     the list entry pre-rendered: search never touches the head tables.
 *     Queries of 3+ characters go to the FTS5 trigram index; 1–2 characters
 *     to item_grams, an exact-match index of every 1- and 2-character
 *     substring (trigram cannot see them, and a LIKE '%x%' scan would not
 *     stay fast with 10,000 items).  Search statements are static, with
 *     optional filters as "?N IS NULL OR …", so every request reuses a cached
 *     prepared statement.
 *   - Validation collects every problem (the CSV importer reports them all by
 *     row and column); the API reports the first, naming the field. */
#include "catalog/catalog.h"
#include "catalog/catalog_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/json.h"
#include "store/catalog_store.h"
#include "store/db.h"

/* ---------- vocabularies ---------- */

typedef ow_cat_vocab vocab;

/* Item types with the 2-digit power-type prefix of their code (GB/T 39554.1-style). */
static const vocab TYPE_NAMES[] = {
    {"licensing", "行政许可"},       {"collection", "行政征收"},     {"payment", "行政给付"},
    {"confirmation", "行政确认"},    {"reward", "行政奖励"},         {"adjudication", "行政裁决"},
    {"other_power", "其他行政权力"}, {"public_service", "公共服务"},
};
static const struct {
    const char *code, *name, *prefix;
} TYPES[] = {
    {"licensing", "行政许可", "01"},       {"collection", "行政征收", "04"},
    {"payment", "行政给付", "05"},         {"confirmation", "行政确认", "07"},
    {"reward", "行政奖励", "08"},          {"adjudication", "行政裁决", "09"},
    {"other_power", "其他行政权力", "10"}, {"public_service", "公共服务", "20"},
};
#define NTYPES (sizeof TYPES / sizeof TYPES[0])

/* Life events (主题) people look for things by. */
static const char *const THEMES[] = {
    "生育",     "入学",     "就业",     "婚姻",     "开办企业", "不动产",   "社保",
    "医保",     "公积金",   "交通出行", "养老",     "殡葬",     "残疾人",   "户籍",
    "出入境",   "社会救助", "退役军人", "纳税",     "工程建设", "经营许可", "卫生健康",
    "农业农村", "文化旅游", "生态环境", "安全生产", "证明开具",
};
#define NTHEMES (sizeof THEMES / sizeof THEMES[0])

static const vocab MODES[] = {
    {"immediate", "马上办"}, {"online", "网上办"}, {"nearby", "就近办"}, {"one_visit", "一次办"}};
static const vocab LEVELS[] = {
    {"district", "区级"}, {"township", "乡镇（街道）"}, {"agent_point", "村（社区）代办点"}};
static const vocab TARGETS[] = {{"person", "个人"}, {"enterprise", "法人"}, {"both", "个人和法人"}};
static const vocab DEPTHS[] = {{"none", "不可网办"}, {"apply", "网上申请"}, {"full", "全程网办"}};
static const vocab FORMS[] = {{"original", "原件"}, {"copy", "复印件"}, {"both", "原件和复印件"}};
static const vocab MEDIA[] = {{"paper", "纸质"}, {"electronic", "电子"}, {"both", "纸质和电子"}};
static const vocab REQUIRED[] = {{"yes", "必需"}, {"conditional", "依情形提供"}};
static const vocab ROLES[] = {{"agent", "代办员"},
                              {"clerk", "窗口受理人员"},
                              {"approver", "审批人员"},
                              {"supervisor", "督查人员"},
                              {"admin", "管理员"}};
static const vocab STATUSES[] = {
    {"draft", "草稿"}, {"published", "已发布"}, {"suspended", "已暂停"}};

#define VOCAB_N(v) (sizeof(v) / sizeof((v)[0]))

const ow_cat_vocab *ow_cat_vocab_of(ow_cat_kind kind, size_t *n) {
#define V(t)                                                                                       \
    *n = VOCAB_N(t);                                                                               \
    return t
    switch (kind) {
    case OW_CAT_TYPE:
        V(TYPE_NAMES);
    case OW_CAT_MODE:
        V(MODES);
    case OW_CAT_LEVEL:
        V(LEVELS);
    case OW_CAT_TARGET:
        V(TARGETS);
    case OW_CAT_DEPTH:
        V(DEPTHS);
    case OW_CAT_FORM:
        V(FORMS);
    case OW_CAT_MEDIUM:
        V(MEDIA);
    case OW_CAT_REQUIRED:
        V(REQUIRED);
    case OW_CAT_ROLE:
        V(ROLES);
    }
#undef V
    *n = 0;
    return NULL;
}

const char *ow_cat_code(ow_cat_kind kind, const char *s) {
    size_t n;
    const ow_cat_vocab *v = ow_cat_vocab_of(kind, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].code, s) || !strcmp(v[i].name, s)) return v[i].code;
    return NULL;
}

const char *ow_cat_name(ow_cat_kind kind, const char *code) {
    size_t n;
    const ow_cat_vocab *v = ow_cat_vocab_of(kind, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].code, code)) return v[i].name;
    return "";
}

static const char *vocab_name(const vocab *v, size_t n, const char *code) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].code, code)) return v[i].name;
    return NULL;
}

static int type_index(const char *code) {
    for (size_t i = 0; i < NTYPES; i++)
        if (!strcmp(TYPES[i].code, code)) return (int)i;
    return -1;
}

static bool theme_known(const char *t) {
    for (size_t i = 0; i < NTHEMES; i++)
        if (!strcmp(THEMES[i], t)) return true;
    return false;
}

/* Chinese names of fields, for messages a person can act on. */
static const vocab LABELS[] = {
    {"code", "事项编码"},
    {"name", "事项名称"},
    {"type", "事项类型"},
    {"department_id", "实施部门"},
    {"department_code", "实施部门"},
    {"window_id", "受理窗口"},
    {"window_code", "受理窗口"},
    {"implementing_body", "实施主体"},
    {"theme", "主题"},
    {"target", "服务对象"},
    {"keywords", "关键词"},
    {"basis", "设定依据"},
    {"conditions", "受理条件"},
    {"statutory_days", "法定时限"},
    {"committed_days", "承诺时限"},
    {"fee", "收费"},
    {"charged", "是否收费"},
    {"standard", "收费标准"},
    {"modes", "办理方式"},
    {"visits", "到现场次数"},
    {"levels", "办理层级"},
    {"hosted", "是否进驻大厅"},
    {"online_depth", "网办深度"},
    {"appointment", "预约办理"},
    {"delivery", "物流快递"},
    {"scope", "通办范围"},
    {"place", "办理地点"},
    {"hours", "办理时间"},
    {"consult_phone", "咨询电话"},
    {"complaint_phone", "投诉电话"},
    {"result_name", "办理结果名称"},
    {"remedies", "法律救济"},
    {"materials", "申请材料"},
    {"steps", "办理流程"},
    {"form", "材料形式"},
    {"copies", "份数"},
    {"medium", "载体"},
    {"required", "是否必需"},
    {"condition", "提供情形"},
    {"source", "材料来源"},
    {"blank_form", "空白表格"},
    {"sample", "示例样表"},
    {"license_type", "电子证照类型"},
    {"note", "备注"},
    {"role", "办理岗位"},
    {"org_id", "办理机构"},
    {"org_code", "办理机构"},
    {"days", "环节时限"},
    {"description", "环节说明"},
    {"basis_fee", "收费依据"},
};

static const char *label(const char *key) {
    const char *n = vocab_name(LABELS, VOCAB_N(LABELS), key);
    return n ? n : key;
}

/* ---------- issues ---------- */

void ow_catalog_issues_free(ow_catalog_issues *is) {
    if (!is) return;
    free(is->v);
    memset(is, 0, sizeof *is);
}

/* Record a problem: into the list when there is one, and into cx->err when it is the
 * first.  field is the full path ("materials[2].name"). */
#define issue ow_cat_issue
void ow_cat_issue(ow_ctx *cx, ow_catalog_issues *is, const char *field, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (cx->err.code == OW_OK) ow_err_set(&cx->err, OW_EINVAL, field, "%s", msg);
    if (!is) return;
    if (is->n >= OW_CATALOG_ISSUES_MAX) {
        is->dropped++;
        return;
    }
    if (is->n == is->cap) {
        int cap = is->cap ? is->cap * 2 : 16;
        ow_catalog_issue *v = realloc(is->v, sizeof *v * (size_t)cap);
        if (!v) abort();
        is->v = v;
        is->cap = cap;
    }
    ow_catalog_issue *x = &is->v[is->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->field, sizeof x->field, "%s", field);
    snprintf(x->message, sizeof x->message, "%s", msg);
}

/* ---------- authorization ---------- */

int ow_cat_require_admin(ow_ctx *cx) {
    if (cx->actor.system) return OW_OK;
    if (!ow_actor_signed_in(&cx->actor))
        return ow_err_setk(&cx->err, OW_EUNAUTH, "unauthenticated", "", "请先登录");
    if (strcmp(cx->actor.role, "admin"))
        return ow_err_setk(&cx->err, OW_EFORBIDDEN, "forbidden", "",
                           "只有系统管理员可以维护事项目录");
    return OW_OK;
}

/* ---------- JSON input ---------- */

/* A field path: "name" or "materials[2].name". */
static const char *path_of(ow_ctx *cx, const char *prefix, const char *key) {
    return prefix ? ow_sprintf(cx->arena, "%s.%s", prefix, key) : key;
}

static int get_str(ow_ctx *cx, const json_t *o, const char *prefix, const char *key,
                   size_t max_chars, const char **out) {
    json_t *v = json_object_get(o, key);
    *out = "";
    if (!v || json_is_null(v)) return OW_OK;
    const char *f = path_of(cx, prefix, key);
    if (!json_is_string(v)) return ow_err_set(&cx->err, OW_EINVAL, f, "%s应为文本", label(key));
    const char *s = json_string_value(v);
    if (json_string_length(v) != strlen(s) || !ow_utf8_valid_text(s))
        return ow_err_set(&cx->err, OW_EINVAL, f, "%s含有不允许的字符", label(key));
    if (ow_utf8_len(s) > max_chars)
        return ow_err_set(&cx->err, OW_EINVAL, f, "%s过长（最多 %zu 个字）", label(key), max_chars);
    *out = s;
    return OW_OK;
}

static int get_int(ow_ctx *cx, const json_t *o, const char *prefix, const char *key, int dflt,
                   int min, int max, int *out) {
    json_t *v = json_object_get(o, key);
    *out = dflt;
    if (!v || json_is_null(v)) return OW_OK;
    const char *f = path_of(cx, prefix, key);
    if (!json_is_integer(v)) return ow_err_set(&cx->err, OW_EINVAL, f, "%s应为整数", label(key));
    json_int_t i = json_integer_value(v);
    if (i < min || i > max)
        return ow_err_set(&cx->err, OW_EINVAL, f, "%s应在 %d 到 %d 之间", label(key), min, max);
    *out = (int)i;
    return OW_OK;
}

static int get_id(ow_ctx *cx, const json_t *o, const char *prefix, const char *key, int64_t *out) {
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v || json_is_null(v)) return OW_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return ow_err_set(&cx->err, OW_EINVAL, path_of(cx, prefix, key), "%s应为机构编号",
                          label(key));
    *out = json_integer_value(v);
    return OW_OK;
}

static int get_bool(ow_ctx *cx, const json_t *o, const char *key, bool dflt, bool *out) {
    json_t *v = json_object_get(o, key);
    *out = dflt;
    if (!v || json_is_null(v)) return OW_OK;
    if (!json_is_boolean(v))
        return ow_err_set(&cx->err, OW_EINVAL, key, "%s应为 true 或 false", label(key));
    *out = json_is_true(v);
    return OW_OK;
}

/* A list of codes from a vocabulary, as flags. */
static int get_flags(ow_ctx *cx, const json_t *o, const char *key, const vocab *v, size_t n,
                     bool *flags[], bool *present) {
    json_t *a = json_object_get(o, key);
    *present = a && !json_is_null(a);
    if (!*present) return OW_OK;
    if (!json_is_array(a)) return ow_err_set(&cx->err, OW_EINVAL, key, "%s应为列表", label(key));
    for (size_t i = 0; i < n; i++)
        *flags[i] = false;
    size_t idx;
    json_t *x;
    json_array_foreach(a, idx, x) {
        const char *s = json_is_string(x) ? json_string_value(x) : "";
        size_t k = 0;
        for (; k < n; k++)
            if (!strcmp(v[k].code, s)) break;
        if (k == n) {
            char allowed[160] = "";
            for (size_t j = 0; j < n; j++)
                snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s",
                         j ? "、" : "", v[j].code);
            return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s[%zu]", key, idx),
                              "%s只能是 %s", label(key), allowed);
        }
        *flags[k] = true;
    }
    return OW_OK;
}

#define TRY(x)                                                                                     \
    do {                                                                                           \
        int rc_ = (x);                                                                             \
        if (rc_) return rc_;                                                                       \
    } while (0)

#define TEXT_SHORT 200
#define TEXT_LONG 4000

int ow_catalog_item_from_json(ow_ctx *cx, const json_t *o, ow_item *it) {
    memset(it, 0, sizeof *it);
    if (!json_is_object(o))
        return ow_err_setk(&cx->err, OW_EINVAL, "invalid_json", "", "事项应为JSON对象");
    /* Lengths here are generous upper bounds against abuse; validation applies the rules. */
    TRY(get_str(cx, o, NULL, "code", 40, &it->code));
    TRY(get_str(cx, o, NULL, "name", 400, &it->name));
    TRY(get_str(cx, o, NULL, "type", 40, &it->type));
    TRY(get_id(cx, o, NULL, "department_id", &it->dept_id));
    TRY(get_str(cx, o, NULL, "department_code", 40, &it->dept_code));
    TRY(get_id(cx, o, NULL, "window_id", &it->window_id));
    TRY(get_str(cx, o, NULL, "window_code", 40, &it->window_code));
    TRY(get_str(cx, o, NULL, "implementing_body", TEXT_SHORT, &it->implementing_body));
    TRY(get_str(cx, o, NULL, "theme", 40, &it->theme));
    TRY(get_str(cx, o, NULL, "target", 40, &it->target));
    TRY(get_str(cx, o, NULL, "keywords", TEXT_SHORT, &it->keywords));
    TRY(get_str(cx, o, NULL, "basis", TEXT_LONG, &it->basis));
    TRY(get_str(cx, o, NULL, "conditions", TEXT_LONG, &it->conditions));
    TRY(get_int(cx, o, NULL, "statutory_days", -1, 0, 365, &it->statutory_days));
    TRY(get_int(cx, o, NULL, "committed_days", -1, 0, 365, &it->committed_days));
    json_t *fee = json_object_get(o, "fee");
    it->fee_standard = it->fee_basis = "";
    if (fee && !json_is_null(fee)) {
        if (!json_is_object(fee))
            return ow_err_set(&cx->err, OW_EINVAL, "fee",
                              "收费应为对象 {\"charged\",\"standard\",\"basis\"}");
        json_t *ch = json_object_get(fee, "charged");
        if (ch && !json_is_boolean(ch))
            return ow_err_set(&cx->err, OW_EINVAL, "fee.charged", "是否收费应为 true 或 false");
        it->fee = ch && json_is_true(ch);
        TRY(get_str(cx, fee, "fee", "standard", TEXT_SHORT, &it->fee_standard));
        TRY(get_str(cx, fee, "fee", "basis", TEXT_SHORT, &it->fee_basis));
    }
    bool present;
    bool *modes[] = {&it->mode_immediate, &it->mode_online, &it->mode_nearby, &it->mode_one_visit};
    TRY(get_flags(cx, o, "modes", MODES, VOCAB_N(MODES), modes, &present));
    TRY(get_int(cx, o, NULL, "visits", 1, 0, 9, &it->visits));
    bool *levels[] = {&it->level_district, &it->level_township, &it->level_agent_point};
    TRY(get_flags(cx, o, "levels", LEVELS, VOCAB_N(LEVELS), levels, &present));
    if (!present) it->level_district = true;
    TRY(get_bool(cx, o, "hosted", true, &it->hosted));
    TRY(get_str(cx, o, NULL, "online_depth", 20, &it->online_depth));
    TRY(get_bool(cx, o, "appointment", false, &it->appointment));
    TRY(get_bool(cx, o, "delivery", false, &it->delivery));
    TRY(get_str(cx, o, NULL, "scope", TEXT_SHORT, &it->scope));
    TRY(get_str(cx, o, NULL, "place", TEXT_SHORT, &it->place));
    TRY(get_str(cx, o, NULL, "hours", TEXT_SHORT, &it->hours));
    TRY(get_str(cx, o, NULL, "consult_phone", 60, &it->consult_phone));
    TRY(get_str(cx, o, NULL, "complaint_phone", 60, &it->complaint_phone));
    TRY(get_str(cx, o, NULL, "result_name", TEXT_SHORT, &it->result_name));
    TRY(get_str(cx, o, NULL, "remedies", TEXT_LONG, &it->remedies));

    json_t *ms = json_object_get(o, "materials");
    if (ms && !json_is_null(ms)) {
        if (!json_is_array(ms))
            return ow_err_set(&cx->err, OW_EINVAL, "materials", "申请材料应为列表");
        if (json_array_size(ms) > OW_ITEM_MATERIALS_MAX)
            return ow_err_set(&cx->err, OW_EINVAL, "materials", "申请材料最多 %d 项",
                              OW_ITEM_MATERIALS_MAX);
        it->nmaterials = (int)json_array_size(ms);
        it->materials = ow_alloc(cx->arena, sizeof *it->materials * (size_t)(it->nmaterials + 1));
        for (int i = 0; i < it->nmaterials; i++) {
            const json_t *m = json_array_get(ms, (size_t)i);
            const char *p = ow_sprintf(cx->arena, "materials[%d]", i);
            if (!json_is_object(m)) return ow_err_set(&cx->err, OW_EINVAL, p, "申请材料应为对象");
            ow_item_material *x = &it->materials[i];
            TRY(get_str(cx, m, p, "name", 400, &x->name));
            TRY(get_str(cx, m, p, "form", 20, &x->form));
            TRY(get_int(cx, m, p, "copies", 1, 0, 99, &x->copies));
            TRY(get_str(cx, m, p, "medium", 20, &x->medium));
            TRY(get_str(cx, m, p, "required", 20, &x->required));
            TRY(get_str(cx, m, p, "condition", TEXT_SHORT, &x->condition));
            TRY(get_str(cx, m, p, "source", TEXT_SHORT, &x->source));
            TRY(get_str(cx, m, p, "blank_form", TEXT_SHORT, &x->blank_form));
            TRY(get_str(cx, m, p, "sample", TEXT_SHORT, &x->sample));
            TRY(get_str(cx, m, p, "license_type", 60, &x->license_type));
            TRY(get_str(cx, m, p, "note", TEXT_SHORT, &x->note));
        }
    }
    json_t *ss = json_object_get(o, "steps");
    if (ss && !json_is_null(ss)) {
        if (!json_is_array(ss)) return ow_err_set(&cx->err, OW_EINVAL, "steps", "办理流程应为列表");
        if (json_array_size(ss) > OW_ITEM_STEPS_MAX)
            return ow_err_set(&cx->err, OW_EINVAL, "steps", "办理流程最多 %d 个环节",
                              OW_ITEM_STEPS_MAX);
        it->nsteps = (int)json_array_size(ss);
        it->steps = ow_alloc(cx->arena, sizeof *it->steps * (size_t)(it->nsteps + 1));
        for (int i = 0; i < it->nsteps; i++) {
            const json_t *s = json_array_get(ss, (size_t)i);
            const char *p = ow_sprintf(cx->arena, "steps[%d]", i);
            if (!json_is_object(s)) return ow_err_set(&cx->err, OW_EINVAL, p, "办理环节应为对象");
            ow_item_step *x = &it->steps[i];
            TRY(get_str(cx, s, p, "name", 100, &x->name));
            TRY(get_str(cx, s, p, "role", 20, &x->role));
            TRY(get_id(cx, s, p, "org_id", &x->org_id));
            TRY(get_str(cx, s, p, "org_code", 40, &x->org_code));
            TRY(get_int(cx, s, p, "days", 0, 0, 365, &x->days));
            TRY(get_str(cx, s, p, "description", TEXT_SHORT, &x->description));
        }
    }
    return ow_cat_modes_from_json(cx, o, it);
}

/* ---------- validation ---------- */

/* Resolve an org by id or code and check its kind; names it for the guide. */
static int resolve_org(ow_ctx *cx, int64_t *id, const char *code, const char *kind,
                       const char **code_out, const char **name_out, bool *found) {
    *found = false;
    int64_t oid = 0;
    const char *k = NULL, *c = NULL, *n = NULL;
    bool row = false;
    TRY(ow_catalog_store_org(cx->db, cx->arena, *id, code, &oid, &k, &c, &n, &row, &cx->err));
    if (row && (!kind || !strcmp(k, kind))) {
        *found = true;
        *id = oid;
        *code_out = c;
        *name_out = n;
    }
    return OW_OK;
}

static bool is_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool phone_ok(const char *s) {
    if (ow_utf8_len(s) > 40) return false;
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789-+ ()/,", *p)) return false;
    return true;
}

static bool in_vocab(const vocab *v, size_t n, const char *s) {
    return vocab_name(v, n, s) != NULL;
}

#define CHECK_LEN(field, s, max)                                                                   \
    do {                                                                                           \
        if (ow_utf8_len(s) > (max))                                                                \
            issue(cx, is, field, "%s过长（最多 %d 个字）", label(field), (int)(max));              \
    } while (0)

int ow_catalog_validate(ow_ctx *cx, ow_item *it, ow_catalog_issues *is) {
    ow_err_clear(&cx->err);
    /* the six elements that must match across a province: name, code, type, department,
     * implementing body, basis */
    size_t name_len = ow_utf8_len(it->name);
    if (!name_len)
        issue(cx, is, "name", "请填写事项名称");
    else if (name_len > OW_ITEM_NAME_MAX_CHARS)
        issue(cx, is, "name", "事项名称过长（最多 %d 个字）", OW_ITEM_NAME_MAX_CHARS);
    int ti = type_index(it->type);
    if (!*it->type)
        issue(cx, is, "type", "请选择事项类型");
    else if (ti < 0)
        issue(cx, is, "type", "事项类型“%s”不在清单中", it->type);
    /* code: power type (2) + main item (5) + sub item (3), optional "-" and a 2-digit
     * business item, e.g. 0700027000 or 0700027000-01 */
    size_t cl = strlen(it->code);
    if (!cl)
        issue(cx, is, "code", "请填写事项编码");
    else if (!((cl == 10 && is_digits(it->code, 10)) ||
               (cl == 13 && is_digits(it->code, 10) && it->code[10] == '-' &&
                is_digits(it->code + 11, 2))))
        issue(cx, is, "code",
              "事项编码格式不正确：应为10位数字（权力类型2位、主项5位、子项3位），可加“-"
              "”和2位业务办理项编码");
    else if (ti >= 0 && memcmp(it->code, TYPES[ti].prefix, 2))
        issue(cx, is, "code", "事项编码前两位应为事项类型“%s”的代码 %s", TYPES[ti].name,
              TYPES[ti].prefix);
    else {
        bool taken = false;
        TRY(ow_catalog_store_code_taken(cx->db, it->code, it->id, &taken, &cx->err));
        if (taken) issue(cx, is, "code", "事项编码 %s 已被其他事项使用", it->code);
    }
    bool found = false;
    const char *field = it->dept_id ? "department_id" : "department_code";
    if (!it->dept_id && !*(it->dept_code ? it->dept_code : "")) {
        issue(cx, is, "department_id", "请选择实施部门");
    } else {
        const char *dcode = "";
        TRY(resolve_org(cx, &it->dept_id, it->dept_code, "department", &dcode, &it->dept_name,
                        &found));
        if (!found)
            issue(cx, is, field, "实施部门不存在");
        else
            it->dept_code = dcode;
    }
    if (it->window_id || (it->window_code && *it->window_code)) {
        const char *wcode = "";
        TRY(resolve_org(cx, &it->window_id, it->window_code, "window", &wcode, &it->window_name,
                        &found));
        if (!found)
            issue(cx, is, it->window_code && *it->window_code ? "window_code" : "window_id",
                  "受理窗口不存在");
        else
            it->window_code = wcode;
    }
    CHECK_LEN("implementing_body", it->implementing_body, 100);
    if (*it->theme && !theme_known(it->theme))
        issue(cx, is, "theme", "主题“%s”不在主题清单中", it->theme);
    if (!*it->target)
        it->target = "person";
    else if (!in_vocab(TARGETS, VOCAB_N(TARGETS), it->target))
        issue(cx, is, "target", "服务对象应为 person、enterprise 或 both");
    CHECK_LEN("keywords", it->keywords, 100);
    if (!*it->basis) issue(cx, is, "basis", "请填写设定依据");
    if (it->statutory_days < 0) issue(cx, is, "statutory_days", "请填写法定时限（工作日）");
    if (it->committed_days < 0) issue(cx, is, "committed_days", "请填写承诺时限（工作日）");
    if (it->statutory_days >= 0 && it->committed_days > it->statutory_days)
        issue(cx, is, "committed_days", "承诺时限（%d 个工作日）不能超过法定时限（%d 个工作日）",
              it->committed_days, it->statutory_days);
    if (it->fee && !*it->fee_standard) issue(cx, is, "fee.standard", "收费事项请填写收费标准");
    if (it->fee && !*it->fee_basis) issue(cx, is, "fee.basis", "收费事项请填写收费依据");
    if (!*it->online_depth) it->online_depth = it->mode_online ? "apply" : "none";
    if (!in_vocab(DEPTHS, VOCAB_N(DEPTHS), it->online_depth))
        issue(cx, is, "online_depth", "网办深度应为 none、apply 或 full");
    else {
        bool online = strcmp(it->online_depth, "none") != 0;
        if (it->mode_online != online)
            issue(cx, is, "modes",
                  online ? "可网上办理的事项，办理方式应包含“网上办”"
                         : "网办深度为“不可网办”时，办理方式不能包含“网上办”");
        if (it->visits == 0 && strcmp(it->online_depth, "full"))
            issue(cx, is, "visits", "“零跑腿”（到现场0次）的事项须全程网办");
    }
    if (it->mode_immediate && it->committed_days > 0)
        issue(cx, is, "modes", "“马上办”事项的承诺时限应为0（即办件）");
    if (it->mode_one_visit && it->visits > 1)
        issue(cx, is, "visits", "“一次办”事项到现场次数不能超过1次");
    if (it->mode_nearby && !it->level_township && !it->level_agent_point)
        issue(cx, is, "levels", "“就近办”事项应能在乡镇（街道）便民服务中心或村（社区）代办点办理");
    if (!it->level_district && !it->level_township && !it->level_agent_point)
        issue(cx, is, "levels", "请至少选择一个办理层级");
    if (*it->consult_phone && !phone_ok(it->consult_phone))
        issue(cx, is, "consult_phone", "咨询电话格式不正确");
    if (*it->complaint_phone && !phone_ok(it->complaint_phone))
        issue(cx, is, "complaint_phone", "投诉电话格式不正确");
    CHECK_LEN("result_name", it->result_name, 100);

    for (int i = 0; i < it->nmaterials; i++) {
        ow_item_material *m = &it->materials[i];
        char p[40];
#define MF(k) (snprintf(p, sizeof p, "materials[%d].%s", i, k), p)
        size_t n = ow_utf8_len(m->name);
        if (!n)
            issue(cx, is, MF("name"), "第 %d 项申请材料缺少名称", i + 1);
        else if (n > 100)
            issue(cx, is, MF("name"), "第 %d 项申请材料名称过长（最多 100 个字）", i + 1);
        if (!*m->form)
            m->form = "original";
        else if (!in_vocab(FORMS, VOCAB_N(FORMS), m->form))
            issue(cx, is, MF("form"), "第 %d 项申请材料的形式应为 original、copy 或 both", i + 1);
        if (!*m->medium)
            m->medium = "paper";
        else if (!in_vocab(MEDIA, VOCAB_N(MEDIA), m->medium))
            issue(cx, is, MF("medium"), "第 %d 项申请材料的载体应为 paper、electronic 或 both",
                  i + 1);
        if (!*m->required)
            m->required = "yes";
        else if (!in_vocab(REQUIRED, VOCAB_N(REQUIRED), m->required))
            issue(cx, is, MF("required"), "第 %d 项申请材料是否必需应为 yes 或 conditional", i + 1);
        if (!strcmp(m->required, "conditional") && !*m->condition)
            issue(cx, is, MF("condition"), "第 %d 项申请材料依情形提供，请写明在什么情形下提供",
                  i + 1);
        if (m->copies == 0 && strcmp(m->medium, "electronic"))
            issue(cx, is, MF("copies"), "第 %d 项纸质申请材料的份数至少为1", i + 1);
#undef MF
    }
    if (it->nsteps == 0) issue(cx, is, "steps", "请至少填写一个办理环节");
    int step_days = 0;
    for (int i = 0; i < it->nsteps; i++) {
        ow_item_step *s = &it->steps[i];
        char p[40];
#define SF(k) (snprintf(p, sizeof p, "steps[%d].%s", i, k), p)
        if (!*s->name)
            issue(cx, is, SF("name"), "第 %d 个办理环节缺少名称", i + 1);
        else if (ow_utf8_len(s->name) > 30)
            issue(cx, is, SF("name"), "第 %d 个办理环节名称过长（最多 30 个字）", i + 1);
        if (!in_vocab(ROLES, VOCAB_N(ROLES), s->role))
            issue(cx, is, SF("role"),
                  "第 %d 个办理环节的办理岗位应为 agent、clerk、approver、supervisor 或 admin",
                  i + 1);
        if (s->org_id || (s->org_code && *s->org_code)) {
            const char *code = "";
            const char *f = s->org_id ? SF("org_id") : SF("org_code");
            char fcopy[40];
            snprintf(fcopy, sizeof fcopy, "%s", f);
            TRY(resolve_org(cx, &s->org_id, s->org_code, NULL, &code, &s->org_name, &found));
            if (!found)
                issue(cx, is, fcopy, "第 %d 个办理环节的办理机构不存在", i + 1);
            else
                s->org_code = code;
        } else {
            s->org_code = "";
            s->org_name = "";
        }
        step_days += s->days;
#undef SF
    }
    if (it->committed_days >= 0 && step_days > it->committed_days)
        issue(cx, is, "steps", "各环节时限之和（%d 个工作日）超过承诺时限（%d 个工作日）",
              step_days, it->committed_days);
    ow_cat_modes_validate(cx, it, is);
    if (cx->err.code && cx->err.code != OW_EINVAL) return cx->err.code;
    return cx->err.code ? OW_EINVAL : OW_OK;
}

/* ---------- writing the head ---------- */

static void bind_text(ow_stmt *st, int i, const char *s) {
    ow_bind_text_ref(st, i, s ? s : "");
}

/* Binds ?1..?35 in the column order of SQL_INSERT / SQL_UPDATE. */
static void bind_item(ow_stmt *st, const ow_item *it) {
    int k = 1;
    bind_text(st, k++, it->code);
    bind_text(st, k++, it->name);
    bind_text(st, k++, it->type);
    ow_bind_int64(st, k++, it->dept_id);
    if (it->window_id)
        ow_bind_int64(st, k++, it->window_id);
    else
        ow_bind_null(st, k++);
    bind_text(st, k++, it->implementing_body);
    bind_text(st, k++, it->theme);
    bind_text(st, k++, it->target);
    bind_text(st, k++, it->keywords);
    bind_text(st, k++, it->basis);
    bind_text(st, k++, it->conditions);
    ow_bind_int(st, k++, it->statutory_days);
    ow_bind_int(st, k++, it->committed_days);
    ow_bind_int(st, k++, it->fee);
    bind_text(st, k++, it->fee_standard);
    bind_text(st, k++, it->fee_basis);
    ow_bind_int(st, k++, it->mode_immediate);
    ow_bind_int(st, k++, it->mode_online);
    ow_bind_int(st, k++, it->mode_nearby);
    ow_bind_int(st, k++, it->mode_one_visit);
    ow_bind_int(st, k++, it->visits);
    ow_bind_int(st, k++, it->level_district);
    ow_bind_int(st, k++, it->level_township);
    ow_bind_int(st, k++, it->level_agent_point);
    ow_bind_int(st, k++, it->hosted);
    bind_text(st, k++, it->online_depth);
    ow_bind_int(st, k++, it->appointment);
    ow_bind_int(st, k++, it->delivery);
    bind_text(st, k++, it->scope);
    bind_text(st, k++, it->place);
    bind_text(st, k++, it->hours);
    bind_text(st, k++, it->consult_phone);
    bind_text(st, k++, it->complaint_phone);
    bind_text(st, k++, it->result_name);
    bind_text(st, k++, it->remedies);
}

#define ITEM_COLS                                                                                  \
    "code, name, type, dept_id, window_id, implementing_body, theme, target, keywords, basis, "    \
    "conditions, statutory_days, committed_days, fee, fee_standard, fee_basis, "                   \
    "mode_immediate, mode_online, mode_nearby, mode_one_visit, visits, level_district, "           \
    "level_township, level_agent_point, hosted, online_depth, appointment, delivery, scope, "      \
    "place, hours, consult_phone, complaint_phone, result_name, remedies"

#define ITEM_COLS_I                                                                                \
    "i.code, i.name, i.type, i.dept_id, i.window_id, i.implementing_body, i.theme, "               \
    "i.target, i.keywords, i.basis, i.conditions, i.statutory_days, i.committed_days, "            \
    "i.fee, i.fee_standard, i.fee_basis, i.mode_immediate, i.mode_online, i.mode_nearby, "         \
    "i.mode_one_visit, i.visits, i.level_district, i.level_township, i.level_agent_point, "        \
    "i.hosted, i.online_depth, i.appointment, i.delivery, i.scope, i.place, i.hours, "             \
    "i.consult_phone, i.complaint_phone, i.result_name, i.remedies"

static int save_children(ow_ctx *cx, int64_t id, const ow_item *it) {
    static const char *del_m = "DELETE FROM item_materials WHERE item_id = ?";
    static const char *del_s = "DELETE FROM item_steps WHERE item_id = ?";
    static const char *ins_m =
        "INSERT INTO item_materials(item_id, seq, name, form, copies, medium, required, "
        "condition, source, blank_form, sample, license_type, note) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char *ins_s =
        "INSERT INTO item_steps(item_id, seq, name, role, org_id, days, description) "
        "VALUES(?,?,?,?,?,?,?)";
    const char *dels[] = {del_m, del_s};
    for (int d = 0; d < 2; d++) {
        ow_stmt *st = ow_db_stmt(cx->db, dels[d], &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, id);
        if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "item children", &cx->err);
    }
    for (int i = 0; i < it->nmaterials; i++) {
        const ow_item_material *m = &it->materials[i];
        ow_stmt *st = ow_db_stmt(cx->db, ins_m, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, id);
        ow_bind_int(st, 2, i + 1);
        bind_text(st, 3, m->name);
        bind_text(st, 4, m->form);
        ow_bind_int(st, 5, m->copies);
        bind_text(st, 6, m->medium);
        bind_text(st, 7, m->required);
        bind_text(st, 8, m->condition);
        bind_text(st, 9, m->source);
        bind_text(st, 10, m->blank_form);
        bind_text(st, 11, m->sample);
        bind_text(st, 12, m->license_type);
        bind_text(st, 13, m->note);
        if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "item material", &cx->err);
    }
    for (int i = 0; i < it->nsteps; i++) {
        const ow_item_step *s = &it->steps[i];
        ow_stmt *st = ow_db_stmt(cx->db, ins_s, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, id);
        ow_bind_int(st, 2, i + 1);
        bind_text(st, 3, s->name);
        bind_text(st, 4, s->role);
        if (s->org_id)
            ow_bind_int64(st, 5, s->org_id);
        else
            ow_bind_null(st, 5);
        ow_bind_int(st, 6, s->days);
        bind_text(st, 7, s->description);
        if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "item step", &cx->err);
    }
    return OW_OK;
}

static json_t *audit_detail(const ow_item *it) {
    return json_pack("{s:s,s:s}", "code", it->code, "name", it->name);
}

static int audit(ow_ctx *cx, const char *action, int64_t id, json_t *detail) {
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
    int rc = ow_audit_append(cx, action, "item", idbuf, detail);
    json_decref(detail);
    return rc;
}

int ow_catalog_create(ow_ctx *cx, ow_item *it, int64_t *id_out) {
    TRY(ow_cat_require_admin(cx));
    it->id = 0;
    TRY(ow_catalog_validate(cx, it, NULL));
    static const char *sql = "INSERT INTO items(" ITEM_COLS ", created_at, updated_at, updated_by) "
                             "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
                             "?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,"
                             "?34,?35,?36,?36,?37)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    bind_item(st, it);
    ow_bind_int64(st, 36, ow_clock_now_ms(cx->clock));
    if (cx->actor.user_id)
        ow_bind_int64(st, 37, cx->actor.user_id);
    else
        ow_bind_null(st, 37);
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "item insert", &cx->err);
    int64_t id = ow_db_last_id(cx->db);
    TRY(save_children(cx, id, it));
    TRY(ow_catalog_store_set_case_modes(cx->db, id, it->case_modes, &cx->err));
    it->id = id;
    *id_out = id;
    return audit(cx, "catalog.item.create", id, audit_detail(it));
}

/* The state of an item: status, version, pending.  OW_ENOTFOUND when absent. */
static int item_state(ow_ctx *cx, int64_t id, char status[16], int *version, bool *pending) {
    bool found = false;
    TRY(ow_catalog_store_item_state(cx->db, id, status, version, pending, &found, &cx->err));
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "事项不存在");
    return OW_OK;
}

int ow_catalog_update(ow_ctx *cx, int64_t id, ow_item *it) {
    TRY(ow_cat_require_admin(cx));
    char status[16];
    int version;
    bool pending;
    TRY(item_state(cx, id, status, &version, &pending));
    it->id = id;
    TRY(ow_catalog_validate(cx, it, NULL));
    static const char *sql =
        "UPDATE items SET code=?1, name=?2, type=?3, dept_id=?4, window_id=?5, "
        "implementing_body=?6, theme=?7, target=?8, keywords=?9, basis=?10, conditions=?11, "
        "statutory_days=?12, committed_days=?13, fee=?14, fee_standard=?15, fee_basis=?16, "
        "mode_immediate=?17, mode_online=?18, mode_nearby=?19, mode_one_visit=?20, visits=?21, "
        "level_district=?22, level_township=?23, level_agent_point=?24, hosted=?25, "
        "online_depth=?26, appointment=?27, delivery=?28, scope=?29, place=?30, hours=?31, "
        "consult_phone=?32, complaint_phone=?33, result_name=?34, remedies=?35, pending=1, "
        "updated_at=?37, updated_by=?38 WHERE id=?36";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    bind_item(st, it);
    ow_bind_int64(st, 36, id);
    ow_bind_int64(st, 37, ow_clock_now_ms(cx->clock));
    if (cx->actor.user_id)
        ow_bind_int64(st, 38, cx->actor.user_id);
    else
        ow_bind_null(st, 38);
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "item update", &cx->err);
    TRY(save_children(cx, id, it));
    TRY(ow_catalog_store_set_case_modes(cx->db, id, it->case_modes, &cx->err));
    json_t *d = audit_detail(it);
    json_object_set_new(d, "status", json_string(status));
    return audit(cx, "catalog.item.update", id, d);
}

/* ---------- reading the head ---------- */

static const char *col_text(ow_ctx *cx, ow_stmt *st, int i) {
    const char *t = ow_col_text(st, i);
    return ow_strdup(cx->arena, t ? t : "");
}

int ow_catalog_get_head(ow_ctx *cx, int64_t id, ow_item *it) {
    static const char *sql =
        "SELECT " ITEM_COLS_I ", i.status, i.version, i.pending, i.suspend_reason, i.created_at, "
        "i.updated_at, "
        "d.code, d.name, w.code, w.name "
        "FROM items i JOIN orgs d ON d.id = i.dept_id LEFT JOIN orgs w ON w.id = i.window_id "
        "WHERE i.id = ?";
    static const char *mats =
        "SELECT name, form, copies, medium, required, condition, source, blank_form, sample, "
        "license_type, note FROM item_materials WHERE item_id = ? ORDER BY seq";
    static const char *steps =
        "SELECT s.name, s.role, coalesce(s.org_id, 0), s.days, s.description, "
        "coalesce(o.code, ''), coalesce(o.name, '') "
        "FROM item_steps s LEFT JOIN orgs o ON o.id = s.org_id WHERE s.item_id = ? ORDER BY s.seq";
    memset(it, 0, sizeof *it);
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_DONE) {
        ow_reset(st);
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "事项不存在");
    }
    if (rc != OW_ROW) return ow_db_fail(cx->db, "item select", &cx->err);
    int k = 0;
    it->id = id;
    it->code = col_text(cx, st, k++);
    it->name = col_text(cx, st, k++);
    it->type = col_text(cx, st, k++);
    it->dept_id = ow_col_int64(st, k++);
    it->window_id = ow_col_int64(st, k++);
    it->implementing_body = col_text(cx, st, k++);
    it->theme = col_text(cx, st, k++);
    it->target = col_text(cx, st, k++);
    it->keywords = col_text(cx, st, k++);
    it->basis = col_text(cx, st, k++);
    it->conditions = col_text(cx, st, k++);
    it->statutory_days = ow_col_int(st, k++);
    it->committed_days = ow_col_int(st, k++);
    it->fee = ow_col_int(st, k++);
    it->fee_standard = col_text(cx, st, k++);
    it->fee_basis = col_text(cx, st, k++);
    it->mode_immediate = ow_col_int(st, k++);
    it->mode_online = ow_col_int(st, k++);
    it->mode_nearby = ow_col_int(st, k++);
    it->mode_one_visit = ow_col_int(st, k++);
    it->visits = ow_col_int(st, k++);
    it->level_district = ow_col_int(st, k++);
    it->level_township = ow_col_int(st, k++);
    it->level_agent_point = ow_col_int(st, k++);
    it->hosted = ow_col_int(st, k++);
    it->online_depth = col_text(cx, st, k++);
    it->appointment = ow_col_int(st, k++);
    it->delivery = ow_col_int(st, k++);
    it->scope = col_text(cx, st, k++);
    it->place = col_text(cx, st, k++);
    it->hours = col_text(cx, st, k++);
    it->consult_phone = col_text(cx, st, k++);
    it->complaint_phone = col_text(cx, st, k++);
    it->result_name = col_text(cx, st, k++);
    it->remedies = col_text(cx, st, k++);
    it->status = col_text(cx, st, k++);
    it->version = ow_col_int(st, k++);
    it->pending = ow_col_int(st, k++);
    it->suspend_reason = col_text(cx, st, k++);
    it->created_at = ow_col_int64(st, k++);
    it->updated_at = ow_col_int64(st, k++);
    it->dept_code = col_text(cx, st, k++);
    it->dept_name = col_text(cx, st, k++);
    it->window_code = col_text(cx, st, k++);
    it->window_name = col_text(cx, st, k++);
    ow_reset(st);

    st = ow_db_stmt(cx->db, mats, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    it->materials = ow_alloc(cx->arena, sizeof *it->materials * (OW_ITEM_MATERIALS_MAX + 1));
    while ((rc = ow_step(st)) == OW_ROW && it->nmaterials < OW_ITEM_MATERIALS_MAX) {
        ow_item_material *m = &it->materials[it->nmaterials++];
        m->name = col_text(cx, st, 0);
        m->form = col_text(cx, st, 1);
        m->copies = ow_col_int(st, 2);
        m->medium = col_text(cx, st, 3);
        m->required = col_text(cx, st, 4);
        m->condition = col_text(cx, st, 5);
        m->source = col_text(cx, st, 6);
        m->blank_form = col_text(cx, st, 7);
        m->sample = col_text(cx, st, 8);
        m->license_type = col_text(cx, st, 9);
        m->note = col_text(cx, st, 10);
    }
    ow_reset(st);
    if (rc != OW_DONE && rc != OW_ROW) return ow_db_fail(cx->db, "materials", &cx->err);

    st = ow_db_stmt(cx->db, steps, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    it->steps = ow_alloc(cx->arena, sizeof *it->steps * (OW_ITEM_STEPS_MAX + 1));
    while ((rc = ow_step(st)) == OW_ROW && it->nsteps < OW_ITEM_STEPS_MAX) {
        ow_item_step *s = &it->steps[it->nsteps++];
        s->name = col_text(cx, st, 0);
        s->role = col_text(cx, st, 1);
        s->org_id = ow_col_int64(st, 2);
        s->days = ow_col_int(st, 3);
        s->description = col_text(cx, st, 4);
        s->org_code = col_text(cx, st, 5);
        s->org_name = col_text(cx, st, 6);
    }
    ow_reset(st);
    if (rc != OW_DONE && rc != OW_ROW) return ow_db_fail(cx->db, "steps", &cx->err);
    return ow_catalog_store_case_modes(cx->db, cx->arena, id, &it->case_modes, &cx->err);
}

/* ---------- rendering ---------- */

static json_t *codes_json(const vocab *v, const bool *flags, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        if (flags[i]) json_array_append_new(a, json_string(v[i].code));
    return a;
}

static json_t *org_json(int64_t id, const char *code, const char *name) {
    if (!id) return json_null();
    return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "code", code ? code : "", "name",
                     name ? name : "");
}

json_t *ow_catalog_item_to_json(ow_ctx *cx, const ow_item *it) {
    (void)cx;
    bool modes[] = {it->mode_immediate, it->mode_online, it->mode_nearby, it->mode_one_visit};
    bool levels[] = {it->level_district, it->level_township, it->level_agent_point};
    int ti = type_index(it->type);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(it->id));
    json_object_set_new(o, "code", json_string(it->code));
    json_object_set_new(o, "name", json_string(it->name));
    json_object_set_new(o, "type", json_string(it->type));
    json_object_set_new(o, "type_name", json_string(ti >= 0 ? TYPES[ti].name : ""));
    json_object_set_new(o, "department", org_json(it->dept_id, it->dept_code, it->dept_name));
    json_object_set_new(o, "window", org_json(it->window_id, it->window_code, it->window_name));
    json_object_set_new(o, "implementing_body",
                        json_string(*it->implementing_body ? it->implementing_body
                                                           : (it->dept_name ? it->dept_name : "")));
    json_object_set_new(o, "theme", json_string(it->theme));
    json_object_set_new(o, "target", json_string(it->target));
    json_object_set_new(o, "keywords", json_string(it->keywords));
    json_object_set_new(o, "basis", json_string(it->basis));
    json_object_set_new(o, "conditions", json_string(it->conditions));
    json_object_set_new(o, "statutory_days", json_integer(it->statutory_days));
    json_object_set_new(o, "committed_days", json_integer(it->committed_days));
    json_object_set_new(o, "case_kind",
                        json_string(it->committed_days == 0 ? "immediate" : "committed"));
    json_object_set_new(o, "fee",
                        json_pack("{s:b,s:s,s:s}", "charged", it->fee, "standard", it->fee_standard,
                                  "basis", it->fee_basis));
    json_object_set_new(o, "modes", codes_json(MODES, modes, VOCAB_N(MODES)));
    json_object_set_new(o, "visits", json_integer(it->visits));
    json_object_set_new(o, "levels", codes_json(LEVELS, levels, VOCAB_N(LEVELS)));
    json_object_set_new(o, "hosted", json_boolean(it->hosted));
    json_object_set_new(o, "online_depth", json_string(it->online_depth));
    json_object_set_new(o, "appointment", json_boolean(it->appointment));
    json_object_set_new(o, "delivery", json_boolean(it->delivery));
    json_object_set_new(o, "scope", json_string(it->scope));
    json_object_set_new(o, "place", json_string(it->place));
    json_object_set_new(o, "hours", json_string(it->hours));
    json_object_set_new(o, "consult_phone", json_string(it->consult_phone));
    json_object_set_new(o, "complaint_phone", json_string(it->complaint_phone));
    json_object_set_new(o, "result_name", json_string(it->result_name));
    json_object_set_new(o, "remedies", json_string(it->remedies));
    json_t *ms = json_array();
    for (int i = 0; i < it->nmaterials; i++) {
        const ow_item_material *m = &it->materials[i];
        json_array_append_new(ms, json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name",
                                            m->name, "form", m->form, "copies", m->copies, "medium",
                                            m->medium, "required", m->required, "condition",
                                            m->condition, "source", m->source, "blank_form",
                                            m->blank_form, "sample", m->sample, "license_type",
                                            m->license_type, "note", m->note));
    }
    json_object_set_new(o, "materials", ms);
    json_t *ss = json_array();
    for (int i = 0; i < it->nsteps; i++) {
        const ow_item_step *s = &it->steps[i];
        const char *rn = vocab_name(ROLES, VOCAB_N(ROLES), s->role);
        json_array_append_new(ss, json_pack("{s:s,s:s,s:s,s:o,s:i,s:s}", "name", s->name, "role",
                                            s->role, "role_name", rn ? rn : "", "org",
                                            org_json(s->org_id, s->org_code, s->org_name), "days",
                                            s->days, "description", s->description));
    }
    json_object_set_new(o, "steps", ss);
    ow_cat_modes_to_json(it, o);
    return o;
}

static json_t *with_state(json_t *o, const ow_item *it) {
    json_object_set_new(o, "status", json_string(it->status ? it->status : "draft"));
    json_object_set_new(o, "version", json_integer(it->version));
    json_object_set_new(o, "pending", json_boolean(it->pending));
    json_object_set_new(o, "suspend_reason",
                        json_string(it->suspend_reason ? it->suspend_reason : ""));
    char ts[32];
    ow_time_format_iso(it->updated_at, ts);
    json_object_set_new(o, "updated_at", json_string(ts));
    return o;
}

int ow_catalog_head_json(ow_ctx *cx, int64_t id, json_t **out) {
    TRY(ow_cat_require_admin(cx));
    ow_item it;
    TRY(ow_catalog_get_head(cx, id, &it));
    *out = with_state(ow_catalog_item_to_json(cx, &it), &it);
    return OW_OK;
}

/* The list entry of a published item, stored pre-rendered in item_public.summary. */
static json_t *summary_json(ow_ctx *cx, const ow_item *it, int version) {
    json_t *o = ow_catalog_item_to_json(cx, it);
    json_t *s = json_object();
    static const char *keep[] = {"id",        "code",           "name",           "type",
                                 "type_name", "department",     "theme",          "target",
                                 "modes",     "levels",         "visits",         "online_depth",
                                 "hosted",    "committed_days", "statutory_days", "case_kind"};
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        json_object_set(s, keep[i], json_object_get(o, keep[i]));
    json_object_set(s, "fee_charged", json_object_get(json_object_get(o, "fee"), "charged"));
    json_object_set_new(s, "version", json_integer(version));
    json_decref(o);
    return s;
}

/* ---------- publishing ---------- */

/* ASCII letters folded to lower case, as queries are. */
static char *fold(ow_ctx *cx, const char *s) {
    char *r = ow_strdup(cx->arena, s);
    for (char *p = r; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return r;
}

/* Insert every distinct 1- and 2-code-point substring of s with its rank for this item
 * (see item_grams in 0003_catalog.sql).  name is the folded name; from_keywords skips
 * grams the name already holds, so each (gram, item) appears once with its best rank. */
static int add_grams(ow_ctx *cx, const ow_item *it, const char *name, const char *s,
                     bool from_keywords) {
    const unsigned char *p = (const unsigned char *)fold(cx, s);
    const unsigned char *prev = NULL;
    size_t prev_len = 0, name_bytes = strlen(name);
    int name_len = (int)ow_utf8_len(name);
    while (*p) {
        size_t n = 1;
        while (p[n] && (p[n] & 0xC0) == 0x80)
            n++;
        bool space = n == 1 && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',');
        if (space) {
            prev = NULL;
            p += n;
            continue;
        }
        char g[16];
        for (int pass = 0; pass < 2; pass++) {
            size_t len;
            if (pass == 0) {
                memcpy(g, p, n);
                len = n;
            } else {
                if (!prev) break;
                memcpy(g, prev, prev_len);
                memcpy(g + prev_len, p, n);
                len = prev_len + n;
            }
            g[len] = '\0';
            const char *at = strstr(name, g);
            if (from_keywords && at) continue;
            int rank = !at ? 3 : (len == name_bytes ? 0 : at == name ? 1 : 2);
            TRY(ow_catalog_store_gram_insert(cx->db, g, (size_t)((int)len), rank, name_len, it->id,
                                             it->code, &cx->err));
        }
        prev = p;
        prev_len = n;
        p += n;
    }
    return OW_OK;
}

static int unlist(ow_ctx *cx, int64_t id) {
    return ow_catalog_store_unlist(cx->db, id, &cx->err);
}

/* Make version `version` of the item (whose head is it) the public one. */
static int list_public(ow_ctx *cx, const ow_item *it, int version) {
    TRY(unlist(cx, it->id));
    json_t *sum = summary_json(cx, it, version);
    char *text = ow_json_dump(sum);
    json_decref(sum);
    ow_catalog_listing l = {
        .item_id = it->id,
        .dept_id = it->dept_id,
        .version = version,
        .modes = (it->mode_immediate ? 1 : 0) | (it->mode_online ? 2 : 0) |
                 (it->mode_nearby ? 4 : 0) | (it->mode_one_visit ? 8 : 0),
        .levels = (it->level_district ? 1 : 0) | (it->level_township ? 2 : 0) |
                  (it->level_agent_point ? 4 : 0),
        .hosted = it->hosted,
        .visits = it->visits,
        .code = it->code,
        .name = it->name,
        .keywords = it->keywords,
        .theme = it->theme,
        .type = it->type,
        .target = it->target,
        .online_depth = it->online_depth,
    };
    TRY(ow_catalog_store_list_public(cx->db, &l, text, &cx->err));
    const char *name = fold(cx, it->name);
    TRY(add_grams(cx, it, name, it->name, false));
    return add_grams(cx, it, name, it->keywords, true);
}

/* The allowed transitions, at a glance (docs/style.md "Workflows"). */
typedef enum { T_PUBLISH, T_SUSPEND } transition;
static const struct {
    transition t;
    const char *from;
    const char *to;
} TRANSITIONS[] = {
    {T_PUBLISH, "draft", "published"},
    {T_PUBLISH, "published", "published"}, /* only with unpublished changes */
    {T_PUBLISH, "suspended", "published"},
    {T_SUSPEND, "published", "suspended"},
};

static bool allowed(transition t, const char *from) {
    for (size_t i = 0; i < sizeof TRANSITIONS / sizeof TRANSITIONS[0]; i++)
        if (TRANSITIONS[i].t == t && !strcmp(TRANSITIONS[i].from, from)) return true;
    return false;
}

static int set_state(ow_ctx *cx, int64_t id, const char *status, int version, const char *reason) {
    /* suspending keeps whatever edits were pending; publishing clears them */
    return ow_catalog_store_set_state(cx->db, id, status, version, reason,
                                      ow_clock_now_ms(cx->clock), &cx->err);
}

int ow_catalog_publish(ow_ctx *cx, int64_t id, int *version_out) {
    TRY(ow_cat_require_admin(cx));
    ow_item it;
    TRY(ow_catalog_get_head(cx, id, &it));
    if (!allowed(T_PUBLISH, it.status) || (!strcmp(it.status, "published") && !it.pending))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "status",
                           "该事项已发布且没有未发布的修改");
    char from[16];
    snprintf(from, sizeof from, "%s", it.status);
    int version = it.version;
    if (it.pending || version == 0) {
        /* the head may have been saved before a rule or an org changed: check again */
        TRY(ow_catalog_validate(cx, &it, NULL));
        version++;
        int64_t now = ow_clock_now_ms(cx->clock);
        it.version = version;
        json_t *guide = ow_catalog_item_to_json(cx, &it);
        char ts[32];
        ow_time_format_iso(now, ts);
        json_object_set_new(guide, "status", json_string("published"));
        json_object_set_new(guide, "version", json_integer(version));
        json_object_set_new(guide, "published_at", json_string(ts));
        char *text = ow_json_dump(guide);
        json_decref(guide);
        TRY(ow_catalog_store_version_insert(cx->db, id, version, now, cx->actor.user_id, text,
                                            &cx->err));
    }
    TRY(list_public(cx, &it, version));
    TRY(set_state(cx, id, "published", version, ""));
    if (version_out) *version_out = version;
    json_t *d = audit_detail(&it);
    json_object_set_new(d, "from", json_string(from));
    json_object_set_new(d, "version", json_integer(version));
    return audit(cx, "catalog.item.publish", id, d);
}

int ow_catalog_suspend(ow_ctx *cx, int64_t id, const char *reason) {
    TRY(ow_cat_require_admin(cx));
    if (!reason || !*reason)
        return ow_err_set(&cx->err, OW_EINVAL, "reason", "请填写暂停办理的原因");
    if (ow_utf8_len(reason) > 200)
        return ow_err_set(&cx->err, OW_EINVAL, "reason", "暂停原因过长（最多 200 个字）");
    char status[16];
    int version;
    bool pending;
    TRY(item_state(cx, id, status, &version, &pending));
    if (!allowed(T_SUSPEND, status))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "status",
                           "只有已发布的事项可以暂停办理（当前状态：%s）",
                           vocab_name(STATUSES, VOCAB_N(STATUSES), status));
    TRY(unlist(cx, id));
    TRY(ow_catalog_store_suspend(cx->db, id, reason, ow_clock_now_ms(cx->clock), &cx->err));
    (void)pending;
    return audit(cx, "catalog.item.suspend", id,
                 json_pack("{s:s,s:i}", "reason", reason, "version", version));
}

/* ---------- published guides and versions ---------- */

typedef struct guide_out {
    ow_ctx *cx;
    json_t **json;
    char **text;
    size_t *len;
} guide_out;

static int parse_guide(void *arg, const char *text, size_t len) {
    guide_out *g = arg;
    json_error_t je;
    *g->json = json_loadb(text, len, 0, &je);
    if (!*g->json)
        return ow_err_set(&g->cx->err, OW_EINTERNAL, "", "办事指南数据损坏：%s", je.text);
    return OW_OK;
}

/* The guide of the item's version, or of its published version when version is 0. */
static int load_guide(ow_ctx *cx, int64_t id, int version, json_t **out) {
    guide_out g = {.cx = cx, .json = out};
    bool found = false;
    TRY(ow_catalog_store_guide(cx->db, id, version, parse_guide, &g, &found, &cx->err));
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "事项不存在或未发布");
    return OW_OK;
}

int ow_catalog_published_json(ow_ctx *cx, int64_t id, json_t **out) {
    return load_guide(cx, id, 0, out);
}

static int copy_guide(void *arg, const char *text, size_t len) {
    guide_out *g = arg;
    *g->text = malloc(len + 1);
    if (!*g->text) return ow_err_set(&g->cx->err, OW_ENOMEM, "", "内存不足");
    memcpy(*g->text, text, len);
    (*g->text)[len] = '\0';
    *g->len = len;
    return OW_OK;
}

/* The published guide exactly as stored (it was written by json_dumps at publishing),
 * for the public detail page: no parse and re-serialise on the hot path. */
int ow_catalog_published_text(ow_ctx *cx, int64_t id, char **text, size_t *len) {
    guide_out g = {.cx = cx, .text = text, .len = len};
    bool found = false;
    TRY(ow_catalog_store_guide(cx->db, id, 0, copy_guide, &g, &found, &cx->err));
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "事项不存在或未发布");
    return OW_OK;
}

int ow_catalog_version_json(ow_ctx *cx, int64_t id, int version, json_t **out) {
    /* no version 0 or below is ever stored (and 0 asks the store for the published one) */
    int rc = version > 0 ? load_guide(cx, id, version, out) : OW_ENOTFOUND;
    if (rc == OW_ENOTFOUND) ow_err_set(&cx->err, OW_ENOTFOUND, "version", "该版本不存在");
    return rc;
}

typedef struct versions_out {
    json_t *a;
    const char *status;
    int version;
} versions_out;

static void version_json(void *arg, int v, int64_t published_at, const char *by) {
    versions_out *o = arg;
    char ts[32];
    ow_time_format_iso(published_at, ts);
    json_array_append_new(o->a, json_pack("{s:i,s:s,s:s,s:b}", "version", v, "published_at", ts,
                                          "published_by", by, "current",
                                          v == o->version && !strcmp(o->status, "published")));
}

int ow_catalog_versions(ow_ctx *cx, int64_t id, json_t **out) {
    TRY(ow_cat_require_admin(cx));
    char status[16];
    int version;
    bool pending;
    TRY(item_state(cx, id, status, &version, &pending));
    versions_out o = {.a = json_array(), .status = status, .version = version};
    int rc = ow_catalog_store_versions(cx->db, id, version_json, &o, &cx->err);
    if (rc) {
        json_decref(o.a);
        return rc;
    }
    *out = o.a;
    return OW_OK;
}

/* ---------- search ---------- */

/* Filters shared by the three search shapes: ?1 dept, ?2 theme, ?3 type, ?4 mode bit,
 * ?5 level bit, ?6 target; ?7 the text condition, ?8 the query for ranking. */
#define FILTERS                                                                                    \
    " (?1 IS NULL OR p.dept_id = ?1) AND (?2 IS NULL OR p.theme = ?2)"                             \
    " AND (?3 IS NULL OR p.type = ?3) AND (?4 IS NULL OR (p.modes & ?4) <> 0)"                     \
    " AND (?5 IS NULL OR (p.levels & ?5) <> 0)"                                                    \
    " AND (?6 IS NULL OR p.target = ?6 OR p.target = 'both')"
#define NAME_RANK                                                                                  \
    " CASE WHEN p.name = ?8 THEN 0 WHEN substr(p.name, 1, length(?8)) = ?8 THEN 1"                 \
    " WHEN instr(p.name, ?8) > 0 THEN 2 ELSE 3 END"

/* The list statements rank and page over the small item_public rows first, then read
 * only the page's summaries (item_summaries). */
#define PAGE_OF(inner, order)                                                                      \
    "SELECT s.summary FROM (" inner " ORDER BY " order " LIMIT ?9 OFFSET ?10) k"                   \
    " JOIN item_summaries s ON s.item_id = k.id ORDER BY " order
static const char *SQL_ALL_LIST =
    PAGE_OF("SELECT p.item_id AS id, 0 AS r, 0 AS b, 0 AS l, p.dept_sort AS ds, p.code AS c"
            " FROM item_public p WHERE" FILTERS " AND ?7 IS NULL AND ?8 IS NULL",
            "ds, c");
static const char *SQL_ALL_COUNT =
    "SELECT count(*) FROM item_public p WHERE" FILTERS " AND ?7 IS NULL AND ?8 IS NULL";
static const char *SQL_FTS_LIST =
    PAGE_OF("SELECT p.item_id AS id," NAME_RANK " AS r, bm25(item_fts, 10.0, 1.0) AS b,"
            " length(p.name) AS l, p.dept_sort AS ds, p.code AS c"
            " FROM item_fts f JOIN item_public p ON p.item_id = f.rowid"
            " WHERE item_fts MATCH ?7 AND" FILTERS,
            "r, b, l, ds, c");
static const char *SQL_FTS_COUNT =
    "SELECT count(*) FROM item_fts f JOIN item_public p ON p.item_id = f.rowid"
    " WHERE item_fts MATCH ?7 AND" FILTERS " AND ?8 IS NOT NULL";
/* PostgreSQL: the trigram index of item_public (db/migrations-pg) answers a substring
 * ILIKE, as fts5's trigram tokenizer answers a phrase; similarity() stands in for bm25. */
#define PG_TEXT " (p.name || ' ' || p.keywords) ILIKE '%' || ?7 || '%'"
static const char *SQL_FTS_LIST_PG = PAGE_OF("SELECT p.item_id AS id," NAME_RANK " AS r,"
                                             " -similarity(p.name || ' ' || p.keywords, ?8) AS b,"
                                             " length(p.name) AS l, p.dept_sort AS ds, p.code AS c"
                                             " FROM item_public p WHERE" PG_TEXT " AND" FILTERS,
                                             "r, b, l, ds, c");
static const char *SQL_FTS_COUNT_PG =
    "SELECT count(*) FROM item_public p WHERE" PG_TEXT " AND" FILTERS " AND ?8 IS NOT NULL";
static const char *SQL_FTS_COUNT_PLAIN_PG =
    "SELECT count(*) FROM item_public p WHERE" PG_TEXT " AND ?8 IS NOT NULL";
#undef PG_TEXT
static const char *SQL_GRAM_LIST =
    PAGE_OF("SELECT g.item_id AS id, g.rank AS r, 0 AS b, g.name_len AS l,"
            " g.dept_sort AS ds, g.code AS c"
            " FROM item_grams g JOIN item_public p ON p.item_id = g.item_id"
            " WHERE g.gram = ?7 AND" FILTERS " AND ?8 IS NOT NULL",
            "r, l, ds, c");
/* Without filters the counts need no join (the common case: a person typing a name). */
static const char *SQL_GRAM_COUNT_PLAIN =
    "SELECT count(*) FROM item_grams WHERE gram = ?7 AND ?8 IS NOT NULL";
static const char *SQL_FTS_COUNT_PLAIN =
    "SELECT count(*) FROM item_fts WHERE item_fts MATCH ?7 AND ?8 IS NOT NULL";
static const char *SQL_GRAM_COUNT =
    "SELECT count(*) FROM item_grams g JOIN item_public p ON p.item_id = g.item_id"
    " WHERE g.gram = ?7 AND" FILTERS " AND ?8 IS NOT NULL";

static int vocab_bit(const vocab *v, size_t n, const char *s) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].code, s)) return 1 << i;
    return 0;
}

int ow_cat_mode_bit(const char *mode) {
    return vocab_bit(MODES, VOCAB_N(MODES), mode);
}
int ow_cat_level_bit(const char *level) {
    return vocab_bit(LEVELS, VOCAB_N(LEVELS), level);
}

/* Normalise the query: drop whitespace (Chinese names have none), fold ASCII case. */
char *ow_cat_normalise_query(ow_ctx *cx, const char *q, size_t *chars) {
    char *out = ow_alloc(cx->arena, strlen(q) + 1);
    size_t j = 0;
    for (const char *p = q; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') continue;
        out[j++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    }
    out[j] = '\0';
    /* the ideographic space U+3000 (E3 80 80) is whitespace too */
    char *w;
    while ((w = strstr(out, "\xE3\x80\x80")))
        memmove(w, w + 3, strlen(w + 3) + 1);
    *chars = ow_utf8_len(out);
    return out;
}

static int bind_filters(ow_ctx *cx, ow_stmt *st, const ow_catalog_query *qy) {
    if (qy->dept_id) ow_bind_int64(st, 1, qy->dept_id);
    if (qy->theme && *qy->theme) bind_text(st, 2, qy->theme);
    if (qy->type && *qy->type) bind_text(st, 3, qy->type);
    if (qy->mode && *qy->mode) ow_bind_int(st, 4, vocab_bit(MODES, VOCAB_N(MODES), qy->mode));
    if (qy->level && *qy->level) ow_bind_int(st, 5, vocab_bit(LEVELS, VOCAB_N(LEVELS), qy->level));
    if (qy->target && *qy->target) bind_text(st, 6, qy->target);
    (void)cx;
    return OW_OK;
}

int ow_cat_check_filters(ow_ctx *cx, const ow_catalog_query *qy) {
    if (qy->theme && *qy->theme && !theme_known(qy->theme))
        return ow_err_set(&cx->err, OW_EINVAL, "theme", "主题“%s”不在主题清单中", qy->theme);
    if (qy->type && *qy->type && type_index(qy->type) < 0)
        return ow_err_set(&cx->err, OW_EINVAL, "type", "事项类型“%s”不在清单中", qy->type);
    if (qy->mode && *qy->mode && !in_vocab(MODES, VOCAB_N(MODES), qy->mode))
        return ow_err_set(&cx->err, OW_EINVAL, "mode",
                          "办理方式应为 immediate、online、nearby 或 one_visit");
    if (qy->level && *qy->level && !in_vocab(LEVELS, VOCAB_N(LEVELS), qy->level))
        return ow_err_set(&cx->err, OW_EINVAL, "level",
                          "办理层级应为 district、township 或 agent_point");
    if (qy->target && *qy->target && strcmp(qy->target, "person") &&
        strcmp(qy->target, "enterprise"))
        return ow_err_set(&cx->err, OW_EINVAL, "target", "服务对象应为 person 或 enterprise");
    if (qy->q && ow_utf8_len(qy->q) > 50)
        return ow_err_set(&cx->err, OW_EINVAL, "q", "搜索词过长（最多 50 个字）");
    if (qy->q && !ow_utf8_valid_text(qy->q))
        return ow_err_set(&cx->err, OW_EINVAL, "q", "搜索词含有不允许的字符");
    return OW_OK;
}

int ow_catalog_search(ow_ctx *cx, const ow_catalog_query *qy, json_t **items, int64_t *total) {
    TRY(ow_cat_check_filters(cx, qy));
    size_t chars = 0;
    const char *q = qy->q ? ow_cat_normalise_query(cx, qy->q, &chars) : "";
    const char *list_sql = SQL_ALL_LIST, *count_sql = SQL_ALL_COUNT;
    const char *cond = NULL;
    bool pg = ow_db_backend(cx->db) == OW_DB_POSTGRES;
    if (chars >= 3 && pg) {
        list_sql = SQL_FTS_LIST_PG;
        count_sql = SQL_FTS_COUNT_PG;
        /* a LIKE pattern's own characters, escaped (backslash is LIKE's escape) */
        ow_buf b;
        ow_buf_init(&b, cx->arena, strlen(q) * 2 + 1);
        for (const char *p = q; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\') ow_buf_putc(&b, '\\');
            ow_buf_putc(&b, *p);
        }
        cond = b.data;
    } else if (chars >= 3) {
        list_sql = SQL_FTS_LIST;
        count_sql = SQL_FTS_COUNT;
        /* one FTS5 phrase: with the trigram tokenizer it matches any substring */
        ow_buf b;
        ow_buf_init(&b, cx->arena, strlen(q) + 8);
        ow_buf_putc(&b, '"');
        for (const char *p = q; *p; p++) {
            if (*p == '"') ow_buf_putc(&b, '"');
            ow_buf_putc(&b, *p);
        }
        ow_buf_putc(&b, '"');
        cond = b.data;
    } else if (chars > 0) {
        list_sql = SQL_GRAM_LIST;
        count_sql = SQL_GRAM_COUNT;
        cond = q;
    }
    bool filtered = qy->dept_id || (qy->theme && *qy->theme) || (qy->type && *qy->type) ||
                    (qy->mode && *qy->mode) || (qy->level && *qy->level) ||
                    (qy->target && *qy->target);
    if (!filtered && count_sql == SQL_GRAM_COUNT) count_sql = SQL_GRAM_COUNT_PLAIN;
    if (!filtered && count_sql == SQL_FTS_COUNT) count_sql = SQL_FTS_COUNT_PLAIN;
    if (!filtered && count_sql == SQL_FTS_COUNT_PG) count_sql = SQL_FTS_COUNT_PLAIN_PG;
    ow_stmt *st = ow_db_stmt(cx->db, count_sql, &cx->err);
    if (!st) return OW_EDB;
    if (filtered) bind_filters(cx, st, qy);
    if (cond) {
        bind_text(st, 7, cond);
        bind_text(st, 8, q);
    }
    if (ow_step(st) != OW_ROW) return ow_db_fail(cx->db, "search count", &cx->err);
    *total = ow_col_int64(st, 0);
    ow_reset(st);

    json_t *a = json_array();
    *items = a;
    if (*total <= (int64_t)(qy->page - 1) * qy->per_page) return OW_OK;
    st = ow_db_stmt(cx->db, list_sql, &cx->err);
    if (!st) return OW_EDB;
    bind_filters(cx, st, qy);
    if (cond) {
        bind_text(st, 7, cond);
        bind_text(st, 8, q);
    }
    ow_bind_int(st, 9, qy->per_page);
    ow_bind_int64(st, 10, (int64_t)(qy->page - 1) * qy->per_page);
    int rc;
    while ((rc = ow_step(st)) == OW_ROW) {
        json_t *s =
            json_loadb((const char *)ow_col_blob(st, 0), (size_t)ow_col_bytes(st, 0), 0, NULL);
        if (s) json_array_append_new(a, s);
    }
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "search", &cx->err);
    return OW_OK;
}

int ow_catalog_admin_list(ow_ctx *cx, const ow_catalog_query *qy, json_t **items, int64_t *total) {
    static const char *SQL_COUNT =
        "SELECT count(*) FROM items i JOIN orgs d ON d.id = i.dept_id"
        " WHERE (?1 IS NULL OR i.dept_id = ?1) AND (?2 IS NULL OR i.status = ?2)"
        " AND (?3 IS NULL OR instr(i.name, ?3) > 0 OR instr(i.code, ?3) > 0)";
    static const char *SQL_LIST =
        "SELECT i.id, i.code, i.name, i.type, i.dept_id, d.code, d.name, i.status, i.version,"
        " i.pending, i.updated_at FROM items i JOIN orgs d ON d.id = i.dept_id"
        " WHERE (?1 IS NULL OR i.dept_id = ?1) AND (?2 IS NULL OR i.status = ?2)"
        " AND (?3 IS NULL OR instr(i.name, ?3) > 0 OR instr(i.code, ?3) > 0)"
        " ORDER BY i.updated_at DESC, i.id DESC LIMIT ?4 OFFSET ?5";
    TRY(ow_cat_require_admin(cx));
    const char *status = qy->status && strcmp(qy->status, "all") ? qy->status : NULL;
    if (status && !in_vocab(STATUSES, VOCAB_N(STATUSES), status))
        return ow_err_set(&cx->err, OW_EINVAL, "status",
                          "状态应为 draft、published、suspended 或 all");
    if (qy->q && ow_utf8_len(qy->q) > 50)
        return ow_err_set(&cx->err, OW_EINVAL, "q", "搜索词过长（最多 50 个字）");
    const char *q = qy->q && *qy->q ? qy->q : NULL;
    for (int pass = 0; pass < 2; pass++) {
        ow_stmt *st = ow_db_stmt(cx->db, pass ? SQL_LIST : SQL_COUNT, &cx->err);
        if (!st) return OW_EDB;
        if (qy->dept_id) ow_bind_int64(st, 1, qy->dept_id);
        if (status) bind_text(st, 2, status);
        if (q) bind_text(st, 3, q);
        if (!pass) {
            if (ow_step(st) != OW_ROW) return ow_db_fail(cx->db, "item count", &cx->err);
            *total = ow_col_int64(st, 0);
            ow_reset(st);
            continue;
        }
        ow_bind_int(st, 4, qy->per_page);
        ow_bind_int64(st, 5, (int64_t)(qy->page - 1) * qy->per_page);
        json_t *a = json_array();
        *items = a;
        int rc;
        while ((rc = ow_step(st)) == OW_ROW) {
            char ts[32];
            ow_time_format_iso(ow_col_int64(st, 10), ts);
            int ti = type_index(ow_col_text(st, 3));
            json_array_append_new(
                a,
                json_pack("{s:I,s:s,s:s,s:s,s:s,s:{s:I,s:s,s:s},s:s,s:i,s:b,s:s}", "id",
                          (json_int_t)ow_col_int64(st, 0), "code", ow_col_text(st, 1), "name",
                          ow_col_text(st, 2), "type", ow_col_text(st, 3), "type_name",
                          ti >= 0 ? TYPES[ti].name : "", "department", "id",
                          (json_int_t)ow_col_int64(st, 4), "code", ow_col_text(st, 5), "name",
                          ow_col_text(st, 6), "status", ow_col_text(st, 7), "version",
                          ow_col_int(st, 8), "pending", ow_col_int(st, 9) != 0, "updated_at", ts));
        }
        ow_reset(st);
        if (rc != OW_DONE) return ow_db_fail(cx->db, "item list", &cx->err);
    }
    return OW_OK;
}

/* ---------- coverage ---------- */

static double rate(int64_t part, int64_t whole) {
    return whole ? (double)(int64_t)((double)part * 10000.0 / (double)whole + 0.5) / 100.0 : 0.0;
}

static json_t *coverage_entry(const int64_t c[8]) {
    /* c: total, hosted, online, full_online, immediate, one_visit, zero_visit, nearby */
    return json_pack("{s:I,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I},s:{s:f,s:f,s:f,s:f,s:f,s:f,s:f}}",
                     "items", (json_int_t)c[0], "counts", "hosted", (json_int_t)c[1], "online",
                     (json_int_t)c[2], "full_online", (json_int_t)c[3], "immediate",
                     (json_int_t)c[4], "one_visit", (json_int_t)c[5], "zero_visit",
                     (json_int_t)c[6], "nearby", (json_int_t)c[7], "rates", "hosted",
                     rate(c[1], c[0]), "online", rate(c[2], c[0]), "full_online", rate(c[3], c[0]),
                     "immediate", rate(c[4], c[0]), "one_visit", rate(c[5], c[0]), "zero_visit",
                     rate(c[6], c[0]), "nearby", rate(c[7], c[0]));
}

typedef struct coverage_out {
    int64_t all[8];
    json_t *depts;
} coverage_out;

static void coverage_dept(void *arg, int64_t dept_id, const char *code, const char *name,
                          const int64_t c[8]) {
    coverage_out *o = arg;
    for (int i = 0; i < 8; i++)
        o->all[i] += c[i];
    json_t *e = coverage_entry(c);
    json_object_set_new(e, "department", org_json(dept_id, code, name));
    json_array_append_new(o->depts, e);
}

int ow_catalog_coverage(ow_ctx *cx, json_t **out) {
    coverage_out o = {.depts = json_array()};
    int rc = ow_catalog_store_coverage(cx->db, coverage_dept, &o, &cx->err);
    if (rc) {
        json_decref(o.depts);
        return rc;
    }
    json_t *res = coverage_entry(o.all);
    json_object_set_new(res, "departments", o.depts);
    *out = res;
    return OW_OK;
}

/* ---------- vocabularies ---------- */

static json_t *vocab_json(const vocab *v, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "code", v[i].code, "name", v[i].name));
    return a;
}

int ow_catalog_vocabularies(ow_ctx *cx, json_t **out) {
    static const char *sql = "SELECT id, kind, code, name FROM orgs"
                             " WHERE kind IN ('department', 'window') AND active = 1"
                             " ORDER BY sort, code";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    json_t *depts = json_array(), *windows = json_array();
    int rc;
    while ((rc = ow_step(st)) == OW_ROW) {
        bool dept = !strcmp(ow_col_text(st, 1), "department");
        json_array_append_new(
            dept ? depts : windows,
            org_json(ow_col_int64(st, 0), ow_col_text(st, 2), ow_col_text(st, 3)));
    }
    ow_reset(st);
    if (rc != OW_DONE) {
        json_decref(depts);
        json_decref(windows);
        return ow_db_fail(cx->db, "vocabularies", &cx->err);
    }
    json_t *themes = json_array();
    for (size_t i = 0; i < NTHEMES; i++)
        json_array_append_new(themes, json_string(THEMES[i]));
    *out = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "themes", themes, "types",
        vocab_json(TYPE_NAMES, VOCAB_N(TYPE_NAMES)), "modes", vocab_json(MODES, VOCAB_N(MODES)),
        "levels", vocab_json(LEVELS, VOCAB_N(LEVELS)), "targets",
        vocab_json(TARGETS, VOCAB_N(TARGETS)), "online_depths", vocab_json(DEPTHS, VOCAB_N(DEPTHS)),
        "forms", vocab_json(FORMS, VOCAB_N(FORMS)), "media", vocab_json(MEDIA, VOCAB_N(MEDIA)),
        "roles", vocab_json(ROLES, VOCAB_N(ROLES)), "statuses",
        vocab_json(STATUSES, VOCAB_N(STATUSES)), "departments", depts, "windows", windows);
    return OW_OK;
}

/* ---------- demo catalog ---------- */

/* Create the item (or replace the head of the one with the same code) and publish it
 * unless it says "status":"draft". */
static int upsert_and_publish(ow_ctx *cx, ow_item *it, bool publish, bool *created) {
    static const char *sql = "SELECT id FROM items WHERE code = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    bind_text(st, 1, it->code);
    int64_t id = 0;
    int rc = ow_step(st);
    if (rc == OW_ROW) id = ow_col_int64(st, 0);
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(cx->db, "item by code", &cx->err);
    *created = id == 0;
    if (id)
        TRY(ow_catalog_update(cx, id, it));
    else
        TRY(ow_catalog_create(cx, it, &id));
    return publish ? ow_catalog_publish(cx, id, NULL) : OW_OK;
}

int ow_cat_upsert(ow_ctx *cx, ow_item *it, bool publish, bool *created) {
    return upsert_and_publish(cx, it, publish, created);
}

int ow_catalog_load_json_file(ow_ctx *cx, const char *path, int *count) {
    TRY(ow_cat_require_admin(cx));
    json_error_t je;
    json_t *arr = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!arr)
        return ow_err_set(&cx->err, OW_EIO, "file", "无法读取事项文件 %s（第%d行：%s）", path,
                          je.line, je.text);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return ow_err_set(&cx->err, OW_EINVAL, "file", "事项文件 %s 应为JSON数组", path);
    }
    int rc = OW_OK;
    size_t i;
    json_t *o;
    *count = 0;
    json_array_foreach(arr, i, o) {
        ow_item it;
        rc = ow_catalog_item_from_json(cx, o, &it);
        bool created;
        const char *st = json_string_value(json_object_get(o, "status"));
        if (!rc) rc = upsert_and_publish(cx, &it, !(st && !strcmp(st, "draft")), &created);
        if (rc) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", cx->err.message);
            ow_err_set(&cx->err, rc, cx->err.field, "事项文件第 %zu 项（%s）：%s", i + 1,
                       it.code && *it.code ? it.code : "无编码", msg);
            break;
        }
        (*count)++;
    }
    json_decref(arr);
    return rc;
}

int ow_catalog_demo_seed(ow_ctx *cx, const char *demo_dir) {
    int n = 0;
    return ow_catalog_load_json_file(cx, ow_sprintf(cx->arena, "%s/catalog.json", demo_dir), &n);
}
