/* Runs every assessment, work-plan and inspection store function against PostgreSQL. */
#include <stdio.h>
#include <string.h>
#include "store/db.h"
#include "store/assessment_store.h"
#include "store/assessment_metrics_store.h"
#include "store/workplan_store.h"
#include "store/inspection_store.h"
#include "core/workdays.h"

static int fails = 0;
#define CHECK(what, call) do { ow_err e = {0}; int rc_ = (call); if (rc_ && rc_ != OW_ENOTFOUND) { printf("FAIL %s: %d %s\n", what, rc_, e.message); fails++; } else printf("ok   %s\n", what); } while (0)
static void fig(void *a, int64_t o, int64_t n, int64_t d) { (void)a; printf("     org %lld: %lld/%lld\n", (long long)o, (long long)n, (long long)d); }
static int rec(void *a, const ow_assess_rec *r) { (void)a; printf("     rec org %lld %s %lld %s\n", (long long)r->org_id, r->ref_type, (long long)r->ref_id, r->ref_no); return 0; }
static int any(void *a, const void *r) { (void)a; (void)r; return 0; }
static int units(void *a, int64_t id, const char *c, const char *n) { (void)a; (void)id; (void)c; (void)n; return 0; }
static int unitsk(void *a, int64_t id, const char *n, const char *k) { (void)a; (void)id; (void)k; (void)n; return 0; }
static int pubs(void *a, int64_t o, int m, const char *c, int n) { (void)a; (void)o; (void)m; (void)c; (void)n; return 0; }
static int recips(void *a, int64_t o, const char *n, int64_t r, const char *b) { (void)a; (void)o; (void)n; (void)r; (void)b; return 0; }
static int tunits(void *a, int64_t o, const char *n) { (void)a; (void)o; (void)n; return 0; }
static void wi(void) {}
static int win(void *a, const ow_assess_window *w) { (void)a; printf("     window %s %lld ratings %lld services\n", w->name, (long long)w->ratings, (long long)w->services); return 0; }

int main(void) {
    ow_err e = {0};
    ow_db *db;
    if (ow_db_open("host=/tmp/pgx port=55439 user=postgres dbname=postgres", OW_DB_WRITE, &db, &e)) { printf("open: %s\n", e.message); return 1; }
    ow_arena *a = ow_arena_new(1 << 16);
    ow_assess_span s;
    int32_t f, t;
    ow_date_parse("2026-07-01", &f);
    ow_date_parse("2026-09-30", &t);
    ow_assess_span_init(&s, f, t);
    const char *metrics[] = {"on_time_rate", "overdue_cases", "rating_satisfaction", "bad_rectified", "complaints_on_time", "online_rate", "full_online_rate", "one_visit_rate", "guide_complete", "publications", "key_area_empty", "info_requests_on_time", "inspection_rectified", "notices_on_time", "tasks_on_time"};
    const char *kinds[] = {"department", "township"};
    for (int k = 0; k < 2; k++)
        for (size_t m = 0; m < sizeof metrics / sizeof *metrics; m++) {
            char what[96];
            snprintf(what, sizeof what, "figures %s %s", metrics[m], kinds[k]);
            ow_err e2 = {0};
            int rc = ow_assess_store_figures(db, metrics[m], kinds[k], &s, fig, NULL, &e2);
            if (rc == OW_EINVAL) continue; /* not for this kind */
            if (rc) { printf("FAIL %s: %s\n", what, e2.message); fails++; } else printf("ok   %s\n", what);
            snprintf(what, sizeof what, "records %s %s", metrics[m], kinds[k]);
            rc = ow_assess_store_records(db, metrics[m], kinds[k], 0, &s, rec, NULL, &e2);
            if (rc) { printf("FAIL %s: %s\n", what, e2.message); fails++; } else printf("ok   %s\n", what);
            rc = ow_assess_store_records(db, metrics[m], kinds[k], 1, &s, rec, NULL, &e2);
            if (rc) { printf("FAIL %s (one unit): %s\n", what, e2.message); fails++; }
        }
    CHECK("windows", ow_assess_store_windows(db, &s, win, NULL, &e));
    int64_t id, sid, aid, oid, fid, bid, pid, tid, rid, iid;
    ow_assess_scheme_row sr = {.year = 2026, .unit_kind = "department", .name = "方案", .created_at = 1};
    CHECK("scheme insert", ow_assess_store_scheme_insert(db, &sr, &id, &e));
    CHECK("scheme insert again (conflict)", ow_assess_store_scheme_insert(db, &sr, &sid, &e) == OW_ECONFLICT ? 0 : -1);
    CHECK("scheme update", ow_assess_store_scheme_update(db, id, "新名", NULL, 2, &e));
    CHECK("scheme issue", ow_assess_store_scheme_issue(db, id, "我", 3, &e));
    ow_assess_scheme_row g;
    CHECK("scheme get", ow_assess_store_scheme_get(db, id, a, &g, &e));
    CHECK("scheme each", ow_assess_store_scheme_each(db, 2026, a, (int (*)(void *, const ow_assess_scheme_row *))any, NULL, &e));
    ow_assess_indicator_row ir[2] = {{.name = "按时", .metric = "on_time_rate", .rule = "rate", .weight = 60, .params = "{}"}, {.name = "人工", .metric = "manual", .rule = "manual", .weight = 40, .params = "{}"}};
    CHECK("indicators replace", ow_assess_store_indicators_replace(db, id, ir, 2, &e));
    int n;
    ow_assess_indicator_row out[4];
    CHECK("indicators", ow_assess_store_indicators(db, id, a, out, 4, &n, &e));
    int ver;
    CHECK("sheet version", ow_assess_store_sheet_next_version(db, id, "2026-Q3", &ver, &e));
    ow_assess_sheet_row sh = {.scheme_id = id, .period = "2026-Q3", .period_kind = "quarter", .from_date = "2026-07-01", .to_date = "2026-09-30", .cutoff = "2026-09-30", .version = ver, .scheme = "{}", .published_at = 4, .published_by = "我"};
    CHECK("sheet insert", ow_assess_store_sheet_insert(db, &sh, &sid, &e));
    ow_assess_sheet_row shg;
    CHECK("sheet get", ow_assess_store_sheet_get(db, sid, a, &shg, &e));
    CHECK("sheet each", ow_assess_store_sheet_each(db, 0, 2026, true, a, (int (*)(void *, const ow_assess_sheet_row *))any, NULL, &e));
    ow_assess_score_row sc = {.org_id = 1, .org_name = "民政局", .base = 90, .total = 90, .rank = 1};
    CHECK("score insert", ow_assess_store_score_insert(db, sid, &sc, &e));
    CHECK("scores", ow_assess_store_scores(db, sid, 0, a, (int (*)(void *, const ow_assess_score_row *))any, NULL, &e));
    ow_assess_item_row it = {.org_id = 1, .indicator_id = ir[0].id, .has_data = true, .value = 0.5, .num = 1, .den = 2, .score = 3, .note = "n"};
    CHECK("item insert", ow_assess_store_item_insert(db, sid, &it, &e));
    CHECK("items", ow_assess_store_items(db, sid, 1, a, (int (*)(void *, const ow_assess_item_row *))any, NULL, &e));
    ow_assess_record_row rr = {.org_id = 1, .indicator_id = ir[0].id, .seq = 1, .ref_type = "case", .ref_id = 1, .ref_no = "x"};
    CHECK("record insert", ow_assess_store_record_insert(db, sid, &rr, &e));
    int64_t cnt;
    CHECK("record count", ow_assess_store_record_count(db, sid, 1, ir[0].id, &cnt, &e));
    CHECK("records page", ow_assess_store_records_page(db, sid, 1, ir[0].id, 20, 0, (int (*)(void *, const ow_assess_record_row *))any, NULL, &e));
    ow_assess_adjustment_row ad = {.scheme_id = id, .indicator_id = ir[1].id, .org_id = 1, .fact_date = "2026-08-01", .points = -2.5, .reason = "事由", .entered_by = "我", .entered_by_id = 0, .created_at = 5};
    CHECK("adjustment insert", ow_assess_store_adjustment_insert(db, &ad, &aid, &e));
    ow_assess_adjustment_row adg;
    CHECK("adjustment get", ow_assess_store_adjustment_get(db, aid, a, &adg, &e));
    ow_assess_adjustment_filter af = {.scheme_id = id, .from = "2026-07-01", .to = "2026-09-30", .active_only = true};
    CHECK("adjustments", ow_assess_store_adjustments(db, &af, a, (int (*)(void *, const ow_assess_adjustment_row *))any, NULL, &e));
    CHECK("adjustment void", ow_assess_store_adjustment_void(db, aid, "错", 6, &e));
    ow_assess_file_row fr = {.owner_type = "adjustment", .owner_id = aid, .sha256 = "ab", .filename = "a.pdf", .content_type = "application/pdf", .size = 3, .created_at = 7};
    CHECK("file insert", ow_assess_store_file_insert(db, &fr, &fid, &e));
    CHECK("files", ow_assess_store_files(db, "adjustment", aid, a, (int (*)(void *, const ow_assess_file_row *))any, NULL, &e));
    ow_assess_file_row fg;
    CHECK("file get", ow_assess_store_file_get(db, "adjustment", aid, fid, a, &fg, &e));
    ow_assess_objection_row ob = {.sheet_id = sid, .scheme_id = id, .period = "2026-Q3", .org_id = 1, .reason = "理由", .filed_by = "他", .filed_at = 8};
    CHECK("objection insert", ow_assess_store_objection_insert(db, &ob, &oid, &e));
    CHECK("objection insert again (conflict)", ow_assess_store_objection_insert(db, &ob, &oid, &e) == OW_ECONFLICT ? 0 : -1);
    ow_assess_objection_row og;
    CHECK("objection get", ow_assess_store_objection_get(db, oid, a, &og, &e));
    int64_t found;
    CHECK("objection find", ow_assess_store_objection_find(db, id, "2026-Q3", 1, &found, &e));
    CHECK("objection answer", ow_assess_store_objection_answer(db, oid, "upheld", "答复", "我", 9, &e));
    CHECK("objections", ow_assess_store_objections(db, 0, "upheld", 0, a, (int (*)(void *, const ow_assess_objection_row *))any, NULL, &e));
    ow_assess_bulletin_rule rule;
    CHECK("rule get", ow_assess_store_rule_get(db, a, &rule, &e));
    rule.updated_by = "我";
    CHECK("rule put", ow_assess_store_rule_put(db, &rule, &e));
    ow_assess_bulletin_row br = {.kind = "monthly", .period = "2026-10", .number = "N", .title = "T", .content = "{}", .issued_at = 10, .issued_by = "我"};
    CHECK("bulletin insert", ow_assess_store_bulletin_insert(db, &br, &bid, &e));
    CHECK("bulletin recipient", ow_assess_store_bulletin_recipient(db, bid, 1, &e));
    ow_assess_bulletin_row bg;
    CHECK("bulletin get", ow_assess_store_bulletin_get(db, bid, 1, a, &bg, &e));
    CHECK("bulletin count", ow_assess_store_bulletin_count(db, "monthly", 1, &cnt, &e));
    CHECK("bulletins", ow_assess_store_bulletins(db, NULL, 0, 20, 0, a, (int (*)(void *, const ow_assess_bulletin_row *))any, NULL, &e));
    CHECK("bulletin read", ow_assess_store_bulletin_read(db, bid, 1, "他", 11, &e));
    CHECK("bulletin recipients", ow_assess_store_bulletin_recipients(db, bid, a, recips, NULL, &e));
    CHECK("units", ow_assess_store_units(db, "department", a, units, NULL, &e));
    const char *kind, *name;
    CHECK("org", ow_assess_store_org(db, 1, a, &kind, &name, &e));
    ow_plan_row pr = {.year = 2026, .title = "要点", .created_at = 1};
    CHECK("plan insert", ow_plan_store_insert(db, &pr, &pid, &e));
    CHECK("plan update", ow_plan_store_update(db, pid, "新", NULL, 2, &e));
    ow_task_row tr = {.plan_id = pid, .title = "任务", .lead_org_id = 1, .deadline = "2026-09-01", .created_at = 1};
    CHECK("task insert", ow_task_store_insert(db, &tr, &tid, &e));
    int64_t orgs[] = {2};
    CHECK("task units", ow_task_store_set_units(db, tid, orgs, 1, &e));
    CHECK("plan issue", ow_plan_store_issue(db, pid, "我", 3, &e));
    ow_plan_row pg;
    CHECK("plan get", ow_plan_store_get(db, pid, "2026-10-01", a, &pg, &e));
    CHECK("plans", ow_plan_store_each(db, 2026, "2026-10-01", a, (int (*)(void *, const ow_plan_row *))any, NULL, &e));
    CHECK("task update", ow_task_store_update(db, tid, NULL, "内容", 0, NULL, 4, &e));
    CHECK("task progress", ow_task_store_progress(db, tid, 50, NULL, "2026-08-01", NULL, NULL, 5, &e));
    CHECK("task progress done", ow_task_store_progress(db, tid, 100, "done", NULL, "2026-08-20", "2026-08-20", 6, &e));
    ow_task_row tg;
    CHECK("task get", ow_task_store_get(db, tid, a, &tg, &e));
    CHECK("task units each", ow_task_store_units(db, tid, a, tunits, NULL, &e));
    bool inv;
    CHECK("task involves", ow_task_store_involves(db, tid, 2, &inv, &e));
    ow_task_filter tf = {.org_id = 2, .state = "overdue", .today = "2026-10-01", .issued_only = true};
    CHECK("task count", ow_task_store_count(db, &tf, &cnt, &e));
    CHECK("task page", ow_task_store_page(db, &tf, 20, 0, a, (int (*)(void *, const ow_task_row *))any, NULL, &e));
    ow_task_report_row rp = {.task_id = tid, .org_id = 1, .kind = "progress", .percent = 50, .text = "进展", .report_date = "2026-08-01", .by_name = "他", .at = 7};
    CHECK("task report", ow_task_store_report_insert(db, &rp, &rid, &e));
    CHECK("task reports", ow_task_store_reports(db, tid, a, (int (*)(void *, const ow_task_report_row *))any, NULL, &e));
    CHECK("figures tasks again", ow_assess_store_figures(db, "tasks_on_time", "department", &s, fig, NULL, &e));
    CHECK("inspection units", ow_inspection_store_units(db, a, unitsk, NULL, &e));
    CHECK("inspection publications", ow_inspection_store_publications(db, "2026-01-01", "2026-12-31", pubs, NULL, &e));
    ow_inspection_row in = {.org_id = 1, .kind = "follow_up", .follows_id = 1, .year = 2026, .quarter = 1, .inspected_date = "2026-04-10", .rating = "good", .findings = "回头看", .result = "rectified", .inspector = "我", .created_at = 1};
    CHECK("inspection insert", ow_inspection_store_insert(db, &in, &iid, &e));
    ow_inspection_row ig;
    CHECK("inspection get", ow_inspection_store_get(db, iid, a, &ig, &e));
    CHECK("inspection rectify", ow_inspection_store_rectify(db, 1, "2026-04-01", NULL, 2, &e));
    CHECK("inspections", ow_inspection_store_each(db, 2026, 1, "follow_up", 0, a, (int (*)(void *, const ow_inspection_row *))any, NULL, &e));
    (void)wi;
    printf("%d failures\n", fails);
    ow_arena_free(a);
    ow_db_close(db);
    return fails != 0;
}
