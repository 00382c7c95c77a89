/* bundle_app.c — one application for a bundle (see bundle.h): filing its child cases,
 * following them, the one delivery, the one rating, the lights.
 *
 * The bundle hears of its children through the cases module's follower hook, in the
 * transaction of the child's step: an approval passes the license it issued on to the
 * children waiting for it (attached, then accepted by the system, as a clerk would once
 * the material is in), a denial applies the bundle's rule to the siblings, and every step
 * settles the application's state.  The system acts on a child only for what the bundle
 * decided beforehand (its dependencies and its rule); a waiting child cannot be accepted
 * by anyone before its material has come, so the order the bundle sets holds even at the
 * window.  Children are terminated by withdrawing them (the cases module's only way to
 * end an undecided case) with the bundle's reason. */
#include "bundle/bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "bundle/bundle_int.h"
#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/workdays.h"
#include "rating/rating.h"
#include "store/bundle_store.h"
#include "supervision/supervision.h"
#include "wallet/wallet.h"

#define IDEM_MAX_CHARS 48 /* leaves room for "#NN" in the children's keys (cases.h) */

static bool role_is(const ow_ctx *cx, const char *r) {
    return !strcmp(cx->actor.role, r);
}

static int64_t now_ms(ow_ctx *cx) {
    return ow_clock_now_ms(cx->clock);
}

/* Act as the system for what the bundle decided beforehand; puts the actor back. */
typedef struct sys_turn {
    ow_actor saved;
} sys_turn;
static void sys_begin(ow_ctx *cx, sys_turn *t) {
    t->saved = cx->actor;
    cx->actor.system = true;
}
static void sys_end(ow_ctx *cx, sys_turn *t) {
    cx->actor = t->saved;
}

static bool undecided_state(const char *s) {
    return !strcmp(s, "submitted") || !strcmp(s, "supplement") || !strcmp(s, "review") ||
           !strcmp(s, "suspended");
}

static int load_app(ow_ctx *cx, int64_t id, ow_bundle_app_row *a) {
    bool found;
    int rc = ow_bundle_store_app_get(cx->db, cx->arena, id, a, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "一件事申请不存在");
    return OW_OK;
}

/* A child's case state as the system sees it ("" when the case cannot be read). */
static int child_state(ow_ctx *cx, int64_t case_id, char state[16]) {
    sys_turn t;
    sys_begin(cx, &t);
    ow_case_attach_view v;
    int rc = ow_cases_attach_view(cx, case_id, &v);
    sys_end(cx, &t);
    if (rc) return rc;
    snprintf(state, 16, "%s", v.state);
    return OW_OK;
}

/* ======================= applying ======================= */

static const char *form_value(const json_t *form, const char *key) {
    const char *v = json_string_value(json_object_get(form, key));
    return v && *v ? v : NULL;
}

/* The child's 申请事由: the bundle's name and this item's answers. */
static const char *child_title(ow_ctx *cx, const ow_bundle_def *d, int i, const json_t *form) {
    ow_buf bb;
    ow_buf *b = &bb;
    ow_buf_init(b, cx->arena, 256);
    ow_buf_puts(b, d->row.name);
    ow_buf_puts(b, "：");
    ow_buf_puts(b, d->items[i].it.name);
    size_t k;
    json_t *f;
    bool opened = false;
    json_array_foreach(d->items[i].fields, k, f) {
        const char *key = json_string_value(json_object_get(f, "key"));
        const char *v = form_value(form, key);
        if (!v || !strcmp(key, "mobile") || !strcmp(key, "address")) continue;
        ow_buf_puts(b, opened ? "；" : "（");
        opened = true;
        ow_buf_puts(b, json_string_value(json_object_get(f, "label")));
        ow_buf_puts(b, "：");
        ow_buf_puts(b, v);
    }
    const char *t = b->data;
    /* the case keeps 200 characters: cut at a character, never inside one */
    size_t chars = 0, at = 0;
    for (size_t j = 0; t[j]; j++)
        if (((unsigned char)t[j] & 0xC0) != 0x80) {
            if (chars == 199) {
                at = j;
                break;
            }
            chars++;
        }
    if (at)
        t = ow_sprintf(cx->arena, "%.*s…", (int)at, t);
    else if (opened)
        t = ow_sprintf(cx->arena, "%s）", t);
    return t;
}

static int check_form(ow_ctx *cx, const ow_bundle_def *d, const json_t *form) {
    if (form && !json_is_object(form))
        return ow_err_set(&cx->err, OW_EINVAL, "form", "申请表应为对象");
    json_t *fields = ow_bundle_form_json(d);
    int rc = OW_OK;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)form, key, v) {
        bool known = false;
        size_t k;
        json_t *f;
        json_array_foreach(fields, k, f) {
            if (!strcmp(json_string_value(json_object_get(f, "key")), key)) known = true;
        }
        const char *at = ow_sprintf(cx->arena, "form.%s", key);
        if (!known) {
            rc = ow_err_set(&cx->err, OW_EINVAL, at, "一件事的申请表中没有“%s”这一项", key);
            goto out;
        }
        if (!json_is_string(v) || !ow_utf8_valid_text(json_string_value(v)) ||
            ow_utf8_len(json_string_value(v)) > OW_BUNDLE_FIELD_MAX_CHARS) {
            rc = ow_err_set(&cx->err, OW_EINVAL, at, "填写的内容应为文字（最多 %d 个字）",
                            OW_BUNDLE_FIELD_MAX_CHARS);
            goto out;
        }
    }
    size_t k;
    json_t *f;
    json_array_foreach(fields, k, f) {
        const char *fk = json_string_value(json_object_get(f, "key"));
        if (json_is_true(json_object_get(f, "required")) && !form_value(form, fk)) {
            rc = ow_err_setk(&cx->err, OW_EINVAL, "missing_field",
                             ow_sprintf(cx->arena, "form.%s", fk), "请填写%s",
                             json_string_value(json_object_get(f, "label")));
            goto out;
        }
    }
out:
    json_decref(fields);
    return rc;
}

static bool in_list(const char *const *v, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

/* What prepare checked and made ready, for commit on the writer (cx->arena). */
struct ow_bundle_prep {
    const char *key;
    bool online;
    ow_bundle_row row;
    int n;
    ow_bundle_item_row *items;
    ow_case_item *its;
    ow_case_submit_prep **children;
    const json_t *wallet; /* borrowed from the request's body */
    const char *form;     /* the answers as JSON text */
    int32_t today, due;
};

int ow_bundle_apply_prepare(ow_ctx *cx, int64_t bundle_id, const json_t *in, ow_bundle_prep **out) {
    *out = NULL;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    bool online = role_is(cx, "citizen") || role_is(cx, "enterprise");
    bool desk = role_is(cx, "clerk") || role_is(cx, "agent");
    if (!online && !desk)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有申请人本人或窗口、便民服务中心、代办点工作人员可以提交申请");
    const char *key = NULL, *id_number = NULL, *uscc = NULL, *name = NULL, *mobile = NULL;
    int rc;
    if ((rc = ow_json_str(in, "idempotency_key", false, IDEM_MAX_CHARS, &key, &cx->err)) ||
        (rc = ow_json_str(in, "id_number", false, 18, &id_number, &cx->err)) ||
        (rc = ow_json_str(in, "uscc", false, 18, &uscc, &cx->err)) ||
        (rc = ow_json_str(in, "name", false, 50, &name, &cx->err)) ||
        (rc = ow_json_str(in, "mobile", false, 20, &mobile, &cx->err)))
        return rc;
    ow_bundle_def d;
    if ((rc = ow_bundle_load(cx, bundle_id, &d))) return rc;
    ow_bundle_prep *p = ow_alloc(cx->arena, sizeof *p);
    p->key = key;
    p->online = online;
    p->row = d.row;
    p->n = d.n;
    p->items = ow_alloc(cx->arena, (size_t)d.n * sizeof *p->items);
    p->its = ow_alloc(cx->arena, (size_t)d.n * sizeof *p->its);
    p->children = ow_alloc(cx->arena, (size_t)d.n * sizeof *p->children);
    json_t *merged = NULL;
    if (!d.row.active) {
        rc = ow_err_setk(&cx->err, OW_ECONFLICT, "bundle_inactive", "id",
                         "一件事“%s”已停用，请分别申请各事项", d.row.name);
        goto out;
    }
    const json_t *form = json_object_get(in, "form");
    if ((rc = check_form(cx, &d, form))) goto out;

    /* the merged materials the applicant hands in (each once) and wallet items */
    merged = ow_bundle_materials_json(&d);
    const json_t *mats = json_object_get(in, "materials");
    int nm = 0;
    const char **names = NULL;
    if (mats && !json_is_array(mats)) {
        rc = ow_err_set(&cx->err, OW_EINVAL, "materials", "材料应为名称列表");
        goto out;
    }
    if (mats) {
        names = ow_alloc(cx->arena, (json_array_size(mats) + 1) * sizeof *names);
        size_t k;
        json_t *m;
        json_array_foreach(mats, k, m) {
            const char *at = ow_sprintf(cx->arena, "materials[%zu]", k);
            const char *s = json_string_value(m);
            bool known = false;
            size_t j;
            json_t *g;
            json_array_foreach(merged, j, g) {
                if (s && !strcmp(json_string_value(json_object_get(g, "name")), s)) known = true;
            }
            if (!known) {
                rc = ow_err_set(&cx->err, OW_EINVAL, at, "材料“%s”不在一件事的材料清单中",
                                s ? s : "");
                goto out;
            }
            names[nm++] = s;
        }
    }
    const json_t *wallet = json_object_get(in, "wallet");
    if (wallet && !json_is_array(wallet)) {
        rc = ow_err_set(&cx->err, OW_EINVAL, "wallet", "卡包材料应为列表");
        goto out;
    }
    size_t k;
    json_t *w;
    json_array_foreach((json_t *)wallet, k, w) {
        const char *at = ow_sprintf(cx->arena, "wallet[%zu]", k);
        const char *mname;
        int64_t lid;
        if ((rc = ow_json_str(w, "material", true, 100, &mname, &cx->err)) ||
            (rc = ow_json_int(w, "license_id", true, 1, INT64_MAX, &lid, &cx->err))) {
            ow_bundle_err_under(cx, at, rc);
            goto out;
        }
        bool known = false;
        size_t j;
        json_t *g;
        json_array_foreach(merged, j, g) {
            if (!strcmp(json_string_value(json_object_get(g, "name")), mname) &&
                json_is_null(json_object_get(g, "fed_by")))
                known = true;
        }
        if (!known) {
            rc = ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.material", at),
                            "材料“%s”不在一件事需要申请人提交的材料清单中", mname);
            goto out;
        }
    }
    p->wallet = wallet;

    p->today = ow_date_today_shanghai(now_ms(cx));
    rc = ow_cal_add_workdays(cx->app->calendar, p->today, d.row.committed_days, &p->due, &cx->err);
    if (rc) {
        rc = ow_calendar_explain(&cx->err, rc, "committed_days");
        goto out;
    }
    char *ftext = ow_json_dump(form ? form : json_object());
    p->form = ow_strdup(cx->arena, ftext ? ftext : "{}");
    free(ftext);
    /* each child checked and made ready here, on the request thread: the writer only
     * numbers and inserts (as the cases module's own submit does) */
    for (int i = 0; i < d.n; i++) {
        const ow_bundle_item *bi = &d.items[i];
        p->items[i] = bi->row;
        p->its[i] = bi->it;
        const char **cm = ow_alloc(cx->arena, (size_t)(bi->it.nmaterials + 1) * sizeof *cm);
        int ncm = 0;
        for (int m = 0; m < bi->it.nmaterials; m++) {
            const char *mn = bi->it.materials[m].name;
            if (bi->row.waits_for && !strcmp(mn, bi->row.via_material)) continue;
            if (in_list(names, nm, mn)) cm[ncm++] = mn;
        }
        ow_case_apply_in *ci = ow_alloc(cx->arena, sizeof *ci);
        *ci = (ow_case_apply_in){
            .item_id = bi->it.item_id,
            .id_number = id_number,
            .uscc = uscc,
            .name = name,
            .mobile = form_value(form, "mobile") ? form_value(form, "mobile") : mobile,
            .address = form_value(form, "address"),
            .title = child_title(cx, &d, i, form),
            .materials = cm,
            .nmaterials = ncm,
            .idem_key = key ? ow_sprintf(cx->arena, "%s#%d", key, i + 1) : NULL,
        };
        if ((rc = ow_cases_submit_prepare(cx, ci, &p->children[i]))) {
            /* the child's error is the application's, under its item */
            if (cx->err.field[0] && strcmp(cx->err.field, "id_number") &&
                strcmp(cx->err.field, "uscc") && strcmp(cx->err.field, "name") &&
                strcmp(cx->err.field, "mobile") && strcmp(cx->err.field, "address"))
                ow_bundle_err_under(cx, ow_sprintf(cx->arena, "items[%d]", i), rc);
            else if ((!strcmp(cx->err.field, "mobile") && form_value(form, "mobile")) ||
                     !strcmp(cx->err.field, "address"))
                ow_bundle_err_under(cx, "form", rc); /* the form gave it */
            goto out;
        }
    }
    *out = p;
out:
    json_decref(merged);
    ow_bundle_def_free(&d);
    return rc;
}

int ow_bundle_apply_commit(ow_ctx *cx, ow_bundle_prep *p, int64_t *app_id, bool *created) {
    *app_id = 0;
    *created = false;
    int rc;
    if (p->key) {
        if ((rc = ow_bundle_store_app_idem(cx->db, cx->actor.user_id, p->key, app_id, &cx->err)))
            return rc;
        if (*app_id) return OW_OK; /* the double click: the application already filed */
    }
    int y, mo, dd;
    ow_date_ymd(p->today, &y, &mo, &dd);
    char day[9];
    snprintf(day, sizeof day, "%04d%02d%02d", y, mo, dd);
    int64_t seq;
    if ((rc = ow_bundle_store_next_no(cx->db, day, &seq, &cx->err))) return rc;
    ow_bundle_app_row a = {.bundle_id = p->row.id,
                           .bundle_name = p->row.name,
                           .on_denial = p->row.on_denial,
                           .applicant_user_id = p->online ? cx->actor.user_id : 0,
                           .filed_by = cx->actor.user_id,
                           .applicant_name = "",
                           .id_masked = "",
                           .channel = p->online              ? "online"
                                      : role_is(cx, "clerk") ? "window"
                                                             : "agent",
                           .form = p->form,
                           .state = "open",
                           .received_date = p->today,
                           .due_date = p->due,
                           .submitted_at = now_ms(cx)};
    snprintf(a.app_no, sizeof a.app_no, "YJS-%s-%04lld", day, (long long)seq);
    /* the row first (the children point at it); applicant facts from the first child */
    if ((rc = ow_bundle_store_app_insert(cx->db, &a, p->key, app_id, &cx->err))) return rc;
    a.id = *app_id;
    for (int i = 0; i < p->n; i++) {
        int64_t case_id;
        bool made;
        if ((rc = ow_cases_submit_commit(cx, p->children[i], &case_id, &made))) {
            ow_bundle_err_under(cx, ow_sprintf(cx->arena, "items[%d]", i), rc);
            return rc;
        }
        ow_bundle_child_row cr = {.app_id = a.id,
                                  .seq = i + 1,
                                  .case_id = case_id,
                                  .item_id = p->items[i].item_id,
                                  .waits_for = p->items[i].waits_for,
                                  .via_material = p->items[i].via_material};
        if ((rc = ow_bundle_store_child_insert(cx->db, &cr, &cx->err))) return rc;
        if (i == 0) {
            ow_case_attach_view v;
            if ((rc = ow_cases_attach_view(cx, case_id, &v))) return rc;
            a.applicant_name = ow_strdup(cx->arena, v.applicant_name);
            a.id_masked = ow_strdup(cx->arena, v.id_masked);
        }
        /* wallet items: attached once to every child whose guide asks for them */
        size_t k;
        json_t *w;
        json_array_foreach((json_t *)p->wallet, k, w) {
            const char *mname = json_string_value(json_object_get(w, "material"));
            int64_t lid = json_integer_value(json_object_get(w, "license_id")), mid;
            if (ow_case_item_material(&p->its[i], mname) < 0) continue;
            if (p->items[i].waits_for && !strcmp(mname, p->items[i].via_material)) continue;
            if ((rc = ow_wallet_attach(cx, case_id, mname, lid, 0, &mid))) {
                ow_bundle_err_under(cx, ow_sprintf(cx->arena, "wallet[%zu]", k), rc);
                return rc;
            }
        }
    }
    if ((rc = ow_bundle_store_app_set_applicant(cx->db, a.id, a.applicant_name, a.id_masked,
                                                &cx->err)))
        return rc;
    json_t *detail = json_pack("{s:s,s:I,s:s,s:i}", "app_no", a.app_no, "bundle_id",
                               (json_int_t)p->row.id, "bundle", p->row.name, "children", p->n);
    rc = ow_audit_append(cx, "bundle.apply", "bundle_app",
                         ow_sprintf(cx->arena, "%lld", (long long)a.id), detail);
    json_decref(detail);
    if (!rc) *created = true;
    return rc;
}

int ow_bundle_apply(ow_ctx *cx, int64_t bundle_id, const json_t *in, int64_t *app_id,
                    bool *created) {
    *app_id = 0;
    *created = false;
    const char *key = NULL;
    int rc;
    /* an answered double click needs none of the checks */
    if (ow_actor_signed_in(&cx->actor) &&
        !ow_json_str(in, "idempotency_key", false, IDEM_MAX_CHARS, &key, &cx->err) && key) {
        if ((rc = ow_bundle_store_app_idem(cx->db, cx->actor.user_id, key, app_id, &cx->err)))
            return rc;
        if (*app_id) return OW_OK;
    }
    ow_err_clear(&cx->err);
    ow_bundle_prep *p;
    if ((rc = ow_bundle_apply_prepare(cx, bundle_id, in, &p))) return rc;
    return ow_bundle_apply_commit(cx, p, app_id, created);
}

/* ======================= reading ======================= */

/* May the actor see application a?  The applicant, who filed it, supervisors and admins;
 * staff who may see one of its children (the intake centre's clerks, the departments
 * holding them), as the cases module decides for each. */
static int may_view(ow_ctx *cx, const ow_bundle_app_row *a, bool *ok) {
    *ok = true;
    const ow_actor *ac = &cx->actor;
    if (ac->system || role_is(cx, "supervisor") || role_is(cx, "admin")) return OW_OK;
    if (ac->user_id && (ac->user_id == a->applicant_user_id || ac->user_id == a->filed_by))
        return OW_OK;
    *ok = false;
    if (role_is(cx, "citizen") || role_is(cx, "enterprise")) return OW_OK;
    ow_bundle_child_row *ch;
    int n, rc = ow_bundle_store_children(cx->db, cx->arena, a->id, &ch, &n, &cx->err);
    if (rc) return rc;
    for (int i = 0; i < n && !*ok; i++)
        if ((rc = ow_cases_may_view_id(cx, ch[i].case_id, ok))) return rc;
    return OW_OK;
}

/* The application if the actor may see it; OW_ENOTFOUND otherwise, as if there were none. */
static int load_visible(ow_ctx *cx, int64_t id, ow_bundle_app_row *a) {
    int rc = load_app(cx, id, a);
    if (rc) return rc;
    bool ok;
    if ((rc = may_view(cx, a, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "一件事申请不存在");
    return OW_OK;
}

static ow_light_rule light_rule(const ow_ctx *cx) {
    return (ow_light_rule){cx->app->cfg.light_warn_days, cx->app->cfg.light_warn_percent};
}

/* A light as JSON: {light, days_left} (null light when the period does not run). */
static void put_light(ow_ctx *cx, json_t *o, int32_t start, int32_t due, bool running) {
    if (!running || due == OW_DATE_NONE || start == OW_DATE_NONE) {
        json_object_set_new(o, "light", json_null());
        return;
    }
    ow_light_rule r = light_rule(cx);
    ow_light l;
    int left;
    if (ow_light_of(cx, &r, start, due, ow_date_today_shanghai(now_ms(cx)), &l, &left)) {
        ow_err_clear(&cx->err); /* a year missing from the calendar: no light, not an error */
        json_object_set_new(o, "light", json_null());
        return;
    }
    json_object_set_new(o, "light", json_string(ow_light_name(l)));
    json_object_set_new(o, "days_left", json_integer(left));
}

static int32_t date_of(const json_t *v) {
    int32_t d;
    const char *s = json_string_value(v);
    return s && !ow_date_parse(s, &d) ? d : OW_DATE_NONE;
}

/* One child with its progress, read as the system (the application's view was allowed). */
static int child_json(ow_ctx *cx, const ow_bundle_child_row *c, const ow_bundle_child_row *all,
                      json_t **out) {
    sys_turn t;
    sys_begin(cx, &t);
    json_t *cj;
    int rc = ow_cases_get_json(cx, c->case_id, &cj);
    sys_end(cx, &t);
    if (rc) return rc;
    const json_t *item = json_object_get(cj, "item");
    const json_t *dl = json_object_get(cj, "deadline");
    const char *state = json_string_value(json_object_get(cj, "state"));
    json_t *o = json_pack(
        "{s:i,s:I,s:O,s:{s:I,s:O},s:O,s:O,s:O,s:O,s:O,s:O}", "seq", c->seq, "case_id",
        (json_int_t)c->case_id, "case_no", json_object_get(cj, "case_no"), "item", "id",
        (json_int_t)c->item_id, "name", json_object_get(item, "name"), "department",
        json_object_get(cj, "department"), "state", json_object_get(cj, "state"), "state_name",
        json_object_get(cj, "state_name"), "current_step", json_object_get(cj, "current_step"),
        "result", json_object_get(cj, "result"), "due", json_object_get(dl, "due"));
    if (c->waits_for) {
        json_object_set_new(o, "waits_for", json_integer(c->waits_for));
        json_object_set_new(o, "via_material", json_string(c->via_material));
        json_object_set_new(o, "license_fed", json_boolean(c->license_id != 0));
        (void)all;
    } else {
        json_object_set_new(o, "waits_for", json_null());
    }
    bool running = state && (undecided_state(state));
    int32_t start = date_of(json_object_get(dl, "clock_start"));
    if (start == OW_DATE_NONE) start = date_of(json_object_get(cj, "received_date"));
    put_light(cx, o, start, date_of(json_object_get(dl, "due")), running);
    json_decref(cj);
    *out = o;
    return OW_OK;
}

static json_t *app_head_json(ow_ctx *cx, const ow_bundle_app_row *a) {
    json_t *form = json_loads(a->form, 0, NULL);
    json_t *o = json_pack(
        "{s:I,s:s,s:{s:I,s:s},s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s},s:s,s:o,s:o,s:o,s:o,s:s,s:o,"
        "s:o,s:o}",
        "id", (json_int_t)a->id, "app_no", a->app_no, "bundle", "id", (json_int_t)a->bundle_id,
        "name", a->bundle_name, "on_denial", a->on_denial, "on_denial_name",
        ow_bundle_rule_name(a->on_denial), "state", a->state, "state_name",
        ow_bundle_state_name(a->state), "stop_reason", a->stop_reason, "applicant", "name",
        a->applicant_name, "id_number", a->id_masked, "channel", a->channel, "submitted_at",
        ow_sup_time_json(a->submitted_at, false), "received_date", ow_json_date(a->received_date),
        "due_date", ow_json_date(a->due_date), "delivered_at",
        ow_sup_time_json(a->delivered_at, !a->delivered_at), "delivery", a->delivery, "rating",
        a->rating_level ? json_integer(a->rating_level) : json_null(), "rated_at",
        ow_sup_time_json(a->rated_at, !a->rated_at), "concluded_at",
        ow_sup_time_json(a->concluded_at, !a->concluded_at));
    json_object_set_new(o, "form", form ? form : json_object());
    bool running = !strcmp(a->state, "open") || !strcmp(a->state, "ready");
    put_light(cx, o, a->received_date, a->due_date, running);
    return o;
}

int ow_bundle_app_json(ow_ctx *cx, int64_t id, json_t **out) {
    *out = NULL;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    ow_bundle_app_row a;
    int rc = load_visible(cx, id, &a);
    if (rc) return rc;
    ow_bundle_child_row *ch;
    int n;
    if ((rc = ow_bundle_store_children(cx->db, cx->arena, a.id, &ch, &n, &cx->err))) return rc;
    json_t *o = app_head_json(cx, &a);
    json_t *kids = json_array();
    bool pending = false, acceptable = false, rateable = !a.rating_level;
    for (int i = 0; i < n; i++) {
        json_t *k;
        if ((rc = child_json(cx, &ch[i], ch, &k))) {
            json_decref(kids);
            json_decref(o);
            return rc;
        }
        const char *st = json_string_value(json_object_get(k, "state"));
        if (ch[i].waits_for) {
            const json_t *from = json_array_get(kids, (size_t)(ch[i].waits_for - 1));
            json_object_set(k, "waits_for_item",
                            json_object_get(json_object_get(from, "item"), "name"));
        }
        if (!strcmp(st, "approved")) pending = true;
        if (!strcmp(st, "submitted") && (!ch[i].waits_for || ch[i].license_id)) acceptable = true;
        json_array_append_new(kids, k);
    }
    json_object_set_new(o, "children", kids);
    /* what the actor may do now, as the case view says it */
    json_t *acts = json_array();
    bool window = role_is(cx, "clerk");
    if (window && acceptable && !strcmp(a.state, "open"))
        json_array_append_new(acts, json_string("accept"));
    if (window && pending && strcmp(a.state, "open"))
        json_array_append_new(acts, json_string("deliver"));
    bool applicant = cx->actor.user_id && cx->actor.user_id == a.applicant_user_id;
    if (applicant && rateable &&
        (!strcmp(a.state, "concluded") || !strcmp(a.state, "terminated")) && !pending)
        json_array_append_new(acts, json_string("rate"));
    json_object_set_new(o, "actions", acts);
    *out = o;
    return OW_OK;
}

int ow_bundle_app_list_json(ow_ctx *cx, const char *state, int page, int per_page, json_t **items,
                            int64_t *total) {
    *items = NULL;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    ow_bundle_app_filter f = {.state = state, .page = page, .per_page = per_page};
    if (role_is(cx, "citizen") || role_is(cx, "enterprise"))
        f.user_id = cx->actor.user_id;
    else if (!role_is(cx, "clerk") && !role_is(cx, "supervisor") && !role_is(cx, "admin"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "一件事申请由窗口、监察和管理员查看；部门请在办件中处理");
    if (state && strcmp(state, "active") && !*ow_bundle_state_name(state))
        return ow_err_set(&cx->err, OW_EINVAL, "state",
                          "状态应为 active、open、ready、concluded 或 terminated");
    ow_bundle_app_row *rows;
    int n;
    int rc = ow_bundle_store_app_list(cx->db, cx->arena, &f, &rows, &n, total, &cx->err);
    if (rc) return rc;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = app_head_json(cx, &rows[i]);
        json_object_del(o, "form");
        json_array_append_new(arr, o);
    }
    *items = arr;
    return OW_OK;
}

int ow_bundle_lights_json(ow_ctx *cx, json_t **out) {
    *out = NULL;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    if (!role_is(cx, "supervisor") && !role_is(cx, "admin") && !role_is(cx, "clerk"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有监察、窗口和管理员可以查看一件事亮灯");
    ow_bundle_app_filter f = {.state = "active", .page = 1, .per_page = 200};
    ow_bundle_app_row *rows;
    int n;
    int64_t total;
    int rc = ow_bundle_store_app_list(cx->db, cx->arena, &f, &rows, &n, &total, &cx->err);
    if (rc) return rc;
    int counts[3] = {0};
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = app_head_json(cx, &rows[i]);
        json_object_del(o, "form");
        const char *l = json_string_value(json_object_get(o, "light"));
        if (l) counts[!strcmp(l, "red") ? 2 : !strcmp(l, "yellow") ? 1 : 0]++;
        /* each child's light beside the bundle's */
        ow_bundle_child_row *ch;
        int nc;
        if ((rc = ow_bundle_store_children(cx->db, cx->arena, rows[i].id, &ch, &nc, &cx->err))) {
            json_decref(o);
            json_decref(arr);
            return rc;
        }
        json_t *kids = json_array();
        for (int k = 0; k < nc; k++) {
            json_t *kj;
            if ((rc = child_json(cx, &ch[k], ch, &kj))) {
                json_decref(kids);
                json_decref(o);
                json_decref(arr);
                return rc;
            }
            json_array_append_new(kids, kj);
        }
        json_object_set_new(o, "children", kids);
        json_array_append_new(arr, o);
    }
    *out = json_pack("{s:{s:i,s:i,s:i},s:I,s:o}", "totals", "green", counts[0], "yellow", counts[1],
                     "red", counts[2], "open", (json_int_t)total, "items", arr);
    return OW_OK;
}

/* ======================= the window: accept, deliver ======================= */

static int window_only(ow_ctx *cx) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    if (!role_is(cx, "clerk") && !cx->actor.system)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有综合窗口工作人员可以进行此操作");
    return OW_OK;
}

int ow_bundle_accept(ow_ctx *cx, int64_t id, int *n) {
    *n = 0;
    int rc = window_only(cx);
    if (rc) return rc;
    ow_bundle_app_row a;
    if ((rc = load_visible(cx, id, &a))) return rc;
    if (strcmp(a.state, "open"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "一件事申请当前为“%s”，不能受理", ow_bundle_state_name(a.state));
    ow_bundle_child_row *ch;
    int nc;
    if ((rc = ow_bundle_store_children(cx->db, cx->arena, a.id, &ch, &nc, &cx->err))) return rc;
    for (int i = 0; i < nc; i++) {
        if (ch[i].waits_for && !ch[i].license_id) continue; /* accepted when its material comes */
        char st[16];
        if ((rc = child_state(cx, ch[i].case_id, st))) return rc;
        if (strcmp(st, "submitted")) continue;
        ow_case_action_in in = {.action = "accept", .comment = "一件事一次受理"};
        if ((rc = ow_cases_transition(cx, ch[i].case_id, &in))) {
            /* the child's refusal names the child: the clerk sees which item stopped */
            ow_bundle_err_under(cx, ow_sprintf(cx->arena, "children[%d]", i), rc);
            return rc;
        }
        (*n)++;
    }
    if (!*n)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "nothing_to_accept", "action",
                           "没有可以受理的事项（已受理，或在等待前一事项的办理结果）");
    return OW_OK;
}

int ow_bundle_deliver(ow_ctx *cx, int64_t id, const char *delivery, const char *tracking_no) {
    int rc = window_only(cx);
    if (rc) return rc;
    ow_bundle_app_row a;
    if ((rc = load_visible(cx, id, &a))) return rc;
    if (!strcmp(a.state, "open"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_ready", "action",
                           "一件事中还有事项在办理，全部办结后一次出件");
    ow_bundle_child_row *ch;
    int nc, n = 0;
    if ((rc = ow_bundle_store_children(cx->db, cx->arena, a.id, &ch, &nc, &cx->err))) return rc;
    for (int i = 0; i < nc; i++) {
        char st[16];
        if ((rc = child_state(cx, ch[i].case_id, st))) return rc;
        if (strcmp(st, "approved")) continue;
        ow_case_action_in in = {.action = "deliver",
                                .delivery = delivery,
                                .tracking_no = tracking_no,
                                .comment = "一件事一次出件"};
        if ((rc = ow_cases_transition(cx, ch[i].case_id, &in))) return rc;
        n++;
    }
    if (!n)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "nothing_to_deliver", "action",
                           "一件事没有待出件的办理结果");
    /* the children's steps settled the state (the follower); the delivery is the bundle's */
    if ((rc = load_app(cx, id, &a))) return rc;
    a.delivery = delivery;
    a.delivered_at = now_ms(cx);
    a.updated_at = a.delivered_at;
    if ((rc = ow_bundle_store_app_update(cx->db, &a, &cx->err))) return rc;
    json_t *d = json_pack("{s:s,s:s,s:i}", "app_no", a.app_no, "delivery", delivery, "children", n);
    rc = ow_audit_append(cx, "bundle.deliver", "bundle_app",
                         ow_sprintf(cx->arena, "%lld", (long long)a.id), d);
    json_decref(d);
    return rc;
}

/* ======================= the rating ======================= */

int ow_bundle_rate(ow_ctx *cx, int64_t id, int level, const char *comment, const char **tags,
                   int ntags) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    ow_bundle_app_row a;
    int rc = load_app(cx, id, &a);
    if (rc) return rc;
    if (!cx->actor.user_id || cx->actor.user_id != a.applicant_user_id) {
        bool ok;
        if ((rc = may_view(cx, &a, &ok))) return rc;
        if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "一件事申请不存在");
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有申请人本人可以评价");
    }
    if (a.rating_level)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_rated", "level", "这件事已经评价过了");
    if (strcmp(a.state, "concluded") && strcmp(a.state, "terminated"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_concluded", "id", "一件事办结后才能评价");
    ow_bundle_child_row *ch;
    int nc, n = 0;
    if ((rc = ow_bundle_store_children(cx->db, cx->arena, a.id, &ch, &nc, &cx->err))) return rc;
    ow_rating_in in = {.level = level, .comment = comment, .tags = tags, .ntags = ntags};
    for (int i = 0; i < nc; i++) {
        char st[16];
        if ((rc = child_state(cx, ch[i].case_id, st))) return rc;
        if (!strcmp(st, "approved"))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "not_concluded", "id",
                               "办理结果领取后才能评价");
        if (!strcmp(st, "withdrawn")) continue; /* terminated by the bundle: nothing to rate */
        int64_t rid;
        if ((rc = ow_rating_case(cx, ch[i].case_id, NULL, &in, &rid))) return rc;
        n++;
    }
    a.rating_level = level;
    a.rated_at = now_ms(cx);
    a.updated_at = a.rated_at;
    if ((rc = ow_bundle_store_app_update(cx->db, &a, &cx->err))) return rc;
    json_t *d = json_pack("{s:s,s:i,s:i}", "app_no", a.app_no, "level", level, "children", n);
    rc = ow_audit_append(cx, "bundle.rate", "bundle_app",
                         ow_sprintf(cx->arena, "%lld", (long long)a.id), d);
    json_decref(d);
    return rc;
}

/* ======================= following the children ======================= */

/* The application's state from its children, stored when it changed. */
static int settle(ow_ctx *cx, ow_bundle_app_row *a) {
    ow_bundle_child_row *ch;
    int n;
    int rc = ow_bundle_store_children(cx->db, cx->arena, a->id, &ch, &n, &cx->err);
    if (rc) return rc;
    const char **states = ow_alloc(cx->arena, (size_t)(n ? n : 1) * sizeof *states);
    for (int i = 0; i < n; i++) {
        char *st = ow_alloc(cx->arena, 16);
        if ((rc = child_state(cx, ch[i].case_id, st))) return rc;
        states[i] = st;
    }
    bool stopped = a->stop_reason && *a->stop_reason;
    const char *next = ow_bundle_state_of(states, n, stopped);
    if (!strcmp(next, a->state)) return OW_OK;
    char from[16];
    snprintf(from, sizeof from, "%s", a->state);
    snprintf(a->state, sizeof a->state, "%s", next);
    a->updated_at = now_ms(cx);
    if ((!strcmp(next, "concluded") || !strcmp(next, "terminated")) && !a->concluded_at)
        a->concluded_at = a->updated_at;
    if (!strcmp(next, "terminated") && !stopped) a->stop_reason = "各事项均未获准予，一件事终止";
    if ((rc = ow_bundle_store_app_update(cx->db, a, &cx->err))) return rc;
    json_t *d = json_pack("{s:s,s:s,s:s}", "app_no", a->app_no, "from", from, "to", next);
    rc = ow_audit_append(cx, "bundle.state", "bundle_app",
                         ow_sprintf(cx->arena, "%lld", (long long)a->id), d);
    json_decref(d);
    return rc;
}

/* End a sibling that cannot or may not go on: withdrawn with the bundle's reason. */
static int terminate_child(ow_ctx *cx, const ow_bundle_child_row *c, const char *reason) {
    char st[16];
    int rc = child_state(cx, c->case_id, st);
    if (rc) return rc;
    if (!undecided_state(st)) return OW_OK;
    sys_turn t;
    sys_begin(cx, &t);
    ow_case_action_in in = {.action = "withdraw", .reason = reason};
    rc = ow_cases_transition(cx, c->case_id, &in);
    sys_end(cx, &t);
    return rc;
}

/* A child ended without its result (denied, refused, withdrawn): its dependants end, and
 * under stop every undecided sibling. */
static int child_failed(ow_ctx *cx, ow_bundle_app_row *a, const ow_bundle_child_row *me,
                        const char *item_name, bool denied, const char *why) {
    ow_bundle_child_row *ch;
    int n;
    int rc = ow_bundle_store_children(cx->db, cx->arena, a->id, &ch, &n, &cx->err);
    if (rc) return rc;
    bool stop = denied && !strcmp(a->on_denial, "stop");
    if (stop && (!a->stop_reason || !*a->stop_reason)) {
        /* recorded first, so the siblings' own steps find the bundle stopped */
        a->stop_reason = ow_sprintf(cx->arena, "“%s”%s，按一件事规则整件终止", item_name, why);
        a->updated_at = now_ms(cx);
        if ((rc = ow_bundle_store_app_update(cx->db, a, &cx->err))) return rc;
    }
    for (int i = 0; i < n; i++) {
        if (ch[i].seq == me->seq) continue;
        bool waits = ch[i].waits_for == me->seq;
        if (!ow_bundle_terminates(a->on_denial, denied, waits)) continue;
        const char *reason =
            waits ? ow_sprintf(cx->arena, "前一事项“%s”%s，无法取得材料“%s”，一件事终止办理此项",
                               item_name, why, ch[i].via_material)
                  : ow_sprintf(cx->arena, "一件事中“%s”%s，按一件事规则终止办理", item_name, why);
        if ((rc = terminate_child(cx, &ch[i], reason))) return rc;
    }
    return OW_OK;
}

static int on_approved(ow_ctx *cx, const ow_case_approved *c) {
    ow_bundle_child_row me;
    bool found;
    int rc = ow_bundle_store_child_of_case(cx->db, cx->arena, c->case_id, &me, &found, &cx->err);
    if (rc || !found) return rc;
    ow_bundle_child_row *ch;
    int n;
    if ((rc = ow_bundle_store_children(cx->db, cx->arena, me.app_id, &ch, &n, &cx->err))) return rc;
    bool any = false;
    for (int i = 0; i < n; i++)
        if (ch[i].waits_for == me.seq && !ch[i].license_id) any = true;
    if (!any) return OW_OK;
    /* the wallet, registered before the bundle, has issued the license in this step */
    int64_t lid;
    char type[64];
    if ((rc = ow_wallet_license_of_case(cx, c->case_id, &lid, type, sizeof type))) return rc;
    if (!lid) return OW_OK; /* the view shows the child still waiting */
    for (int i = 0; i < n; i++) {
        if (ch[i].waits_for != me.seq || ch[i].license_id) continue;
        char st[16];
        if ((rc = child_state(cx, ch[i].case_id, st))) return rc;
        if (strcmp(st, "submitted") && strcmp(st, "supplement")) continue;
        if ((rc = ow_bundle_store_child_fed(cx->db, ch[i].app_id, ch[i].seq, lid, &cx->err)))
            return rc;
        sys_turn t;
        sys_begin(cx, &t);
        int64_t mid;
        rc = ow_wallet_attach(cx, ch[i].case_id, ch[i].via_material, lid, 0, &mid);
        if (!rc && !strcmp(st, "submitted")) {
            ow_case_action_in in = {
                .action = "accept",
                .comment = ow_sprintf(cx->arena, "前一事项“%s”办结，%s已自动归集，自动受理",
                                      c->item_name, type)};
            rc = ow_cases_transition(cx, ch[i].case_id, &in);
            /* another material still owed: the window accepts it once it is in */
            if (rc == OW_ECONFLICT && !strcmp(cx->err.kind, "materials_incomplete")) {
                ow_err_clear(&cx->err);
                rc = OW_OK;
            }
        }
        sys_end(cx, &t);
        if (rc) return rc;
    }
    return OW_OK;
}

static int on_stepped(ow_ctx *cx, const ow_case_stepped *s) {
    ow_bundle_child_row me;
    bool found;
    int rc = ow_bundle_store_child_of_case(cx->db, cx->arena, s->case_id, &me, &found, &cx->err);
    if (rc || !found) return rc;
    ow_bundle_app_row a;
    if ((rc = load_app(cx, me.app_id, &a))) return rc;
    /* the bundle's order: a waiting child is accepted only once its material has come */
    bool starts = !strcmp(s->action, "accept") ||
                  (!strcmp(s->from, "submitted") &&
                   (!strcmp(s->action, "approve") || !strcmp(s->action, "deny")));
    if (starts && me.waits_for && !me.license_id) {
        ow_bundle_child_row *ch;
        int n;
        if ((rc = ow_bundle_store_children(cx->db, cx->arena, a.id, &ch, &n, &cx->err))) return rc;
        ow_case_attach_view v;
        sys_turn t;
        sys_begin(cx, &t);
        rc = ow_cases_attach_view(cx, ch[me.waits_for - 1].case_id, &v);
        sys_end(cx, &t);
        if (rc) return rc;
        return ow_err_setk(&cx->err, OW_ECONFLICT, "bundle_waiting", "action",
                           "一件事“%s”中，此项须等待“%s”办结，其结果将自动作为材料“%s”归集后受理",
                           a.bundle_name, v.item_name, me.via_material);
    }
    bool denied = !strcmp(s->action, "deny") || !strcmp(s->action, "refuse");
    bool withdrawn = !strcmp(s->action, "withdraw");
    if (denied || withdrawn) {
        ow_case_attach_view v;
        sys_turn t;
        sys_begin(cx, &t);
        rc = ow_cases_attach_view(cx, s->case_id, &v);
        sys_end(cx, &t);
        if (rc) return rc;
        const char *why = !strcmp(s->action, "deny")     ? "不予许可"
                          : !strcmp(s->action, "refuse") ? "不予受理"
                                                         : "已撤回";
        if ((rc = child_failed(cx, &a, &me, v.item_name, denied, why))) return rc;
        if ((rc = load_app(cx, me.app_id, &a))) return rc;
    }
    return settle(cx, &a);
}

void ow_bundle_setup(ow_app *app) {
    static const ow_case_follower F = {.approved = on_approved, .stepped = on_stepped};
    ow_cases_follow(app, &F);
}
