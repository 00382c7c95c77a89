/* bundle_demo.c — the demo district's one-thing bundles (init --demo): the utility
 * transfers the property bundle needs (data/demo/bundle_items.json, loaded after the demo
 * year of cases so that year keeps its items), then the five bundles of
 * data/demo/bundles.json composed through ow_bundle_put, as an administrator would. */
#include <string.h>

#include "app/app.h"
#include "bundle/bundle.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "store/catalog_store.h"

int ow_bundle_demo_seed(ow_ctx *cx) {
    const char *dir = cx->app->cfg.demo_dir;
    int n;
    int rc = ow_catalog_load_json_file(cx, ow_sprintf(cx->arena, "%s/bundle_items.json", dir), &n);
    if (rc) return rc;
    const char *path = ow_sprintf(cx->arena, "%s/bundles.json", dir);
    json_error_t je;
    json_t *arr = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return ow_err_set(&cx->err, OW_EIO, "file", "无法读取一件事文件 %s（第%d行：%s）", path,
                          je.line, je.text);
    }
    size_t i;
    json_t *b;
    json_array_foreach(arr, i, b) {
        /* items by code, as the demo files name them, become ids */
        size_t k;
        json_t *it;
        json_array_foreach(json_object_get(b, "items"), k, it) {
            const char *code = json_string_value(json_object_get(it, "code"));
            int64_t id = 0;
            if ((rc = ow_catalog_store_item_id_by_code(cx->db, code ? code : "", &id, &cx->err)))
                break;
            if (!id) {
                rc = ow_err_set(&cx->err, OW_ENOTFOUND, "code",
                                "一件事文件第 %zu 项：事项编码 %s 不存在", i + 1, code ? code : "");
                break;
            }
            json_object_set_new(it, "item_id", json_integer(id));
            json_object_del(it, "code");
        }
        int64_t bid;
        if (!rc) rc = ow_bundle_put(cx, 0, b, &bid);
        if (rc) break;
    }
    json_decref(arr);
    return rc;
}
