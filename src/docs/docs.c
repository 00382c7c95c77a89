/* docs.c — A4 official documents as PDF (Cairo + Pango + libqrencode) and the register
 * of issued documents behind /verify/{code}.  See docs.h for the model of a document.
 *
 * Layout after GB/T 9704: the type area is 156 × 225 mm (margins 37/26/35/28 mm top,
 * right, bottom, left); the body is 3号 (16 pt) on 22 lines a page, Noto Serif CJK SC
 * standing in for 仿宋, indented two characters; the title 2号 (22 pt) in the bold serif
 * for 小标宋; first-level headings in the bold sans for 黑体, second-level in the bold
 * serif for 楷体, each on its own lines; the issuer centred over the date, the date four
 * characters in from the right margin; "— n —" page numbers, odd pages right, even left.
 * Pango sizes are points: the context is set to 72 dpi (Pango's default of 96 made every
 * size a third larger than asked).
 *
 * The page-breaking rules, which real documents keep and a naive flow broke:
 *   - the QR code and its verification code sit beside the signature, never apart;
 *   - the signature never stands alone: when it would fall on a page with less than two
 *     lines (or rows) of the body, the last two are moved onto its page (a forced break);
 *   - a document that runs onto a second page is tried with tighter line spacing (three
 *     levels, down to 14 pt on 22 pt lines) and kept on one page when a level fits;
 *   - headings are kept with what follows them; a table that fits on a page is not split,
 *     a longer one breaks between row groups (a merged label never split from its rows,
 *     unless it spans more than a page) and repeats its header rows.
 * The spacing and the breaks are chosen by passes that only measure — the same drawing on
 * a recording surface, a few milliseconds — and the PDF is written once: writing it (the
 * embedded CJK fonts) is most of a render's cost (notes in ow_docs_render).
 * Fonts come from fontconfig; Cairo embeds the subset of glyphs used, so the PDF reads
 * the same on a machine without CJK fonts. */
#include "docs/docs.h"
#include "docs/docs_api.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <iconv.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/workdays.h"
#include "core/blob.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/log.h"
#include "store/docs_store.h"
#include "store/files_store.h"

#define MM_PT (72.0 / 25.4)
#define PAGE_W_PT 595.276
#define PAGE_H_PT 841.890
#define MARGIN_TOP_PT (37 * MM_PT)
#define MARGIN_RIGHT_PT (26 * MM_PT)
#define MARGIN_BOTTOM_PT (35 * MM_PT)
#define MARGIN_LEFT_PT (28 * MM_PT)
#define QR_SIZE_PT 76.0
#define QR_CAPTION_PT 8.5
#define NOTE_PT 10.5
#define TABLE_PT 10.5
#define CELL_PAD_PT 2.5
/* A merged label spanning more rows than this may be split across pages. */
#define KEEP_SPAN_ROWS 12

/* Each a Pango family list: the subset made once per process (fonts_init below), then
 * the whole font for any character outside it. */
#define SERIF "OW Serif CJK SC,Noto Serif CJK SC"
#define SANS "OW Sans CJK SC,Noto Sans CJK SC"

/* ---------------- the fonts, subset once per process ----------------
 *
 * Profiled for issue 23 (bench/RESULTS-render.md): about half of a render was Cairo
 * copying each CJK font's whole CFF table (over 20 MB from Noto's .ttc) when it subsets
 * the font into the PDF — per document and per face, under a lock the threads share.
 * So the four faces used are subset once per process with HarfBuzz's subsetter to the
 * characters of GB 2312 (7,445, with ASCII, Latin-1 and the CJK and fullwidth
 * punctuation): a CFF table a fifth as large, the same glyphs, metrics and PostScript
 * name.  The subset goes under its own family name (OW Serif/Sans CJK SC) so fontconfig
 * never takes it for the whole font; the whole font stays second in every family list,
 * so a character outside GB 2312 (a rare name) is still drawn, from it.  The files are
 * cached under $OW_FONT_CACHE or /tmp/onewindow-fonts-UID, named after the source's
 * size and time.  Should any of it fail, documents are drawn from the whole fonts as
 * before (a log line says so). */
typedef struct subset_face {
    const char *family, *style, *own_family;
    int weight; /* FC_WEIGHT_* */
} subset_face;
static const subset_face SUBSET_FACES[] = {
    {"Noto Serif CJK SC", "Regular", "OW Serif CJK SC", FC_WEIGHT_REGULAR},
    {"Noto Serif CJK SC", "Bold", "OW Serif CJK SC", FC_WEIGHT_BOLD},
    {"Noto Sans CJK SC", "Regular", "OW Sans CJK SC", FC_WEIGHT_REGULAR},
    {"Noto Sans CJK SC", "Bold", "OW Sans CJK SC", FC_WEIGHT_BOLD},
};

/* A 'name' table (format 0, Windows Unicode English) with family, style, full name and
 * the PostScript name: the subset's own family, the source's PostScript name. */
static hb_blob_t *name_table(const char *family, const char *style, const char *ps) {
    char full[128];
    snprintf(full, sizeof full, "%s %s", family, style);
    const char *str[] = {family, style, full, ps};
    const int ids[] = {1, 2, 4, 6};
    size_t n = 4, strings = 0;
    for (size_t i = 0; i < n; i++)
        strings += 2 * strlen(str[i]);
    size_t head = 6 + 12 * n, total = head + strings;
    unsigned char *t = calloc(1, total);
    if (!t) return NULL;
#define PUT16(p, v) ((p)[0] = (unsigned char)((v) >> 8), (p)[1] = (unsigned char)(v))
    PUT16(t, 0);
    PUT16(t + 2, n);
    PUT16(t + 4, head);
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char *r = t + 6 + 12 * i;
        size_t len = 2 * strlen(str[i]);
        PUT16(r, 3);          /* Windows */
        PUT16(r + 2, 1);      /* Unicode BMP */
        PUT16(r + 4, 0x0409); /* English */
        PUT16(r + 6, ids[i]);
        PUT16(r + 8, len);
        PUT16(r + 10, off);
        for (size_t k = 0; str[i][k]; k++)
            PUT16(t + head + off + 2 * k, (unsigned char)str[i][k]);
        off += len;
    }
#undef PUT16
    return hb_blob_create((const char *)t, (unsigned)total, HB_MEMORY_MODE_WRITABLE, t, free);
}

/* The source face subset to GB 2312 and renamed, written to path (atomically). */
static bool write_subset(const char *src, int index, const subset_face *sf, const char *path) {
    bool ok = false;
    hb_blob_t *blob = hb_blob_create_from_file(src);
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    hb_face_t *sub = NULL, *built = NULL;
    hb_blob_t *out = NULL, *name = NULL;
    iconv_t cd = iconv_open("UTF-32LE", "GB2312");
    if (!in || cd == (iconv_t)-1) goto done;
    hb_set_t *u = hb_subset_input_unicode_set(in);
    hb_set_add_range(u, 0x20, 0x7E);
    hb_set_add_range(u, 0xA0, 0xFF);
    hb_set_add_range(u, 0x2000, 0x206F);
    hb_set_add_range(u, 0x3000, 0x303F);
    hb_set_add_range(u, 0xFF00, 0xFFEF);
    for (int hi = 0xA1; hi <= 0xF7; hi++)
        for (int lo = 0xA1; lo <= 0xFE; lo++) {
            char gb[2] = {(char)hi, (char)lo}, u32[4];
            char *ip = gb, *op = u32;
            size_t il = 2, ol = 4;
            if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || ol) continue;
            hb_set_add(u, (hb_codepoint_t)(unsigned char)u32[0] |
                              (hb_codepoint_t)(unsigned char)u32[1] << 8 |
                              (hb_codepoint_t)(unsigned char)u32[2] << 16);
        }
    if (!(sub = hb_subset_or_fail(face, in))) goto done;
    char ps[128];
    unsigned ps_len = sizeof ps;
    if (!hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &ps_len,
                             ps) ||
        !ps_len)
        goto done;
    if (!(name = name_table(sf->own_family, sf->style, ps))) goto done;
    /* the subsetter's face is a builder that cannot list its tables: read it back */
    hb_blob_t *sub_blob = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    sub = hb_face_create(sub_blob, 0);
    hb_blob_destroy(sub_blob);
    built = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned ntags = 64, start = 0, got;
    do {
        got = ntags;
        hb_face_get_table_tags(sub, start, &got, tags);
        for (unsigned i = 0; i < got; i++) {
            hb_blob_t *tb = tags[i] == HB_TAG('n', 'a', 'm', 'e')
                                ? hb_blob_reference(name)
                                : hb_face_reference_table(sub, tags[i]);
            hb_face_builder_add_table(built, tags[i], tb);
            hb_blob_destroy(tb);
        }
        start += got;
    } while (got == ntags);
    out = hb_face_reference_blob(built);
    unsigned len;
    const char *data = hb_blob_get_data(out, &len);
    if (len < 4096) goto done;
    char tmp[640];
    snprintf(tmp, sizeof tmp, "%.600s.%d.tmp", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) goto done;
    ok = fwrite(data, 1, len, f) == len;
    ok = !fclose(f) && ok;
    ok = ok && !rename(tmp, path);
    if (!ok) unlink(tmp);
done:
    if (cd != (iconv_t)-1) iconv_close(cd);
    hb_blob_destroy(out);
    hb_blob_destroy(name);
    hb_face_destroy(built);
    hb_face_destroy(sub);
    if (in) hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return ok;
}

static void fonts_init(void) {
    char dir[300];
    const char *env = getenv("OW_FONT_CACHE");
    if (env && *env)
        snprintf(dir, sizeof dir, "%s", env);
    else
        snprintf(dir, sizeof dir, "/tmp/onewindow-fonts-%d", (int)getuid());
    if (mkdir(dir, 0700) && errno != EEXIST) {
        ow_log_warn("document fonts not subset", "\"dir\":\"%s\",\"errno\":%d", dir, errno);
        return;
    }
    int added = 0;
    for (size_t i = 0; i < sizeof SUBSET_FACES / sizeof SUBSET_FACES[0]; i++) {
        const subset_face *sf = &SUBSET_FACES[i];
        FcPattern *pat = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, sf->family, FC_WEIGHT,
                                        FcTypeInteger, sf->weight, (char *)0);
        FcConfigSubstitute(NULL, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *m = FcFontMatch(NULL, pat, &res);
        FcChar8 *file = NULL, *fam = NULL;
        int index = 0;
        struct stat st;
        char path[600];
        bool ok = m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
                  FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch &&
                  !strcmp((const char *)fam, sf->family) &&
                  FcPatternGetInteger(m, FC_INDEX, 0, &index) == FcResultMatch &&
                  !stat((const char *)file, &st);
        if (ok) {
            snprintf(path, sizeof path, "%s/%s-%s-%lld-%lld-%d.otf", dir,
                     sf->family[5] == 'S' && sf->family[6] == 'e' ? "serif" : "sans", sf->style,
                     (long long)st.st_size, (long long)st.st_mtime, index);
            struct stat cached;
            ok = (!stat(path, &cached) && cached.st_size > 4096) ||
                 write_subset((const char *)file, index, sf, path);
            ok = ok && FcConfigAppFontAddFile(NULL, (const FcChar8 *)path);
        }
        if (m) FcPatternDestroy(m);
        FcPatternDestroy(pat);
        if (!ok) {
            ow_log_warn("document font not subset", "\"family\":\"%s\",\"style\":\"%s\"",
                        sf->family, sf->style);
            continue;
        }
        added++;
    }
    (void)added;
}

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;

/* One level of spacing: 0 is GB/T 9704's 22 lines of 16 pt; the others are tried, in
 * order, to keep a document that barely overflows on one page. */
typedef struct level {
    double body_pt, pitch_pt, title_pt;
} level;
static const level LEVELS[] = {
    {16, 225 * MM_PT / 22, 22}, {16, 26, 22}, {15, 24, 20}, {14, 22, 20}};
#define NLEVELS ((int)(sizeof LEVELS / sizeof LEVELS[0]))

typedef struct out_buf {
    unsigned char *p;
    size_t len, cap;
    bool oom;
} out_buf;

static cairo_status_t out_write(void *closure, const unsigned char *data, unsigned int n) {
    out_buf *b = closure;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

/* One pass over the document: where it draws, with which spacing, and what it found. */
typedef struct render {
    cairo_t *cr;
    PangoContext *pc;
    const level *lv;
    double y;
    int page;
    double left, right, top, bottom, width;
    int unit;              /* body lines and table row groups drawn so far */
    int page_units;        /* of them on the current page */
    int break_before;      /* start a new page before this unit; -1 = none */
    int heading_units;     /* units of a heading drawn just before a table, kept with it */
    struct tgeo *measured; /* a table laid out by the heading before it, for its drawing */
    /* found */
    int last_unit;   /* the last unit before the signature */
    bool sign_alone; /* the signature had to go to a page of its own */
    int sign_page, qr_page, sign_lines;
} render;

static PangoFontDescription *font(const char *family, bool bold, double pt) {
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_size(fd, (int)(pt * PANGO_SCALE));
    return fd;
}

static PangoLayout *new_layout(render *r, const char *family, bool bold, double pt,
                               double width_pt) {
    PangoLayout *lay = pango_layout_new(r->pc);
    PangoFontDescription *fd = font(family, bold, pt);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, (int)(width_pt * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    return lay;
}

static void show_layout(render *r, PangoLayout *lay, double x, double y) {
    cairo_move_to(r->cr, x, y);
    pango_cairo_show_layout(r->cr, lay);
}

static double layout_height(PangoLayout *lay) {
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    return h / (double)PANGO_SCALE;
}

static double layout_width(PangoLayout *lay) {
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    return w / (double)PANGO_SCALE;
}

/* "— n —" in 4号 (14 pt), 7 mm under the type area: odd pages right, even pages left,
 * one character in. */
static void page_footer(render *r) {
    char num[32];
    snprintf(num, sizeof num, "— %d —", r->page);
    PangoLayout *lay = new_layout(r, SERIF, false, 14, r->width - 14);
    pango_layout_set_alignment(lay, r->page % 2 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    pango_layout_set_text(lay, num, -1);
    show_layout(r, lay, r->left + (r->page % 2 ? 0 : 14), r->bottom + 7 * MM_PT);
    g_object_unref(lay);
}

static void new_page(render *r) {
    page_footer(r);
    cairo_show_page(r->cr);
    r->page++;
    r->page_units = 0;
    r->y = r->top;
}

/* Before drawing a unit of height h: a forced break, or no room left. */
static void unit_room(render *r, double h) {
    if (r->page_units && (r->unit == r->break_before || r->y + h > r->bottom + 0.01)) new_page(r);
}

static void unit_done(render *r) {
    r->unit++;
    r->page_units++;
}

/* Draw a layout line by line from r->y; each line takes `pitch` (or its own height when
 * taller) and is one unit. */
static void flow(render *r, PangoLayout *lay, double x, double pitch) {
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    do {
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        double h = log.height / (double)PANGO_SCALE, adv = h > pitch ? h : pitch;
        unit_room(r, adv);
        int baseline = pango_layout_iter_get_baseline(it);
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        cairo_move_to(r->cr, x + log.x / (double)PANGO_SCALE,
                      r->y + (adv - h) / 2 + (baseline - log.y) / (double)PANGO_SCALE);
        pango_cairo_show_layout_line(r->cr, line);
        r->y += adv;
        unit_done(r);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

typedef struct text_style {
    const char *family;
    bool bold;
    double pt;
    double indent_chars;
    PangoAlignment align;
} text_style;

static PangoLayout *text_layout(render *r, const text_style *ts, const char *text) {
    PangoLayout *lay = new_layout(r, ts->family, ts->bold, ts->pt, r->width);
    pango_layout_set_alignment(lay, ts->align);
    pango_layout_set_indent(lay, (int)(ts->indent_chars * ts->pt * PANGO_SCALE));
    pango_layout_set_text(lay, text, -1);
    return lay;
}

static int layout_lines(PangoLayout *lay) {
    return pango_layout_get_line_count(lay);
}

static void text_block(render *r, const text_style *ts, const char *text) {
    PangoLayout *lay = text_layout(r, ts, text);
    flow(r, lay, r->left, r->lv->pitch_pt);
    g_object_unref(lay);
}

/* ---------------- tables ---------------- */

typedef struct tgeo {
    const ow_doc_table *t;
    int R, C;
    int *owner;        /* per cell: index of the span covering it, or -1 */
    double *x;         /* C + 1 column edges */
    double *h;         /* R row heights */
    int *group;        /* per row: the last row that must stay on its page */
    PangoLayout **lay; /* per anchor cell, laid out once a pass */
    double pt, total;
    const char *family;
} tgeo;

static unsigned cell_flags(const ow_doc_table *t, int row, int col) {
    if (t->flags) return t->flags[row * t->cols + col];
    if (row < t->header_rows) return OW_CELL_HEAD;
    return col == 0 ? OW_CELL_LEFT : 0;
}

static const char *cell_text(const ow_doc_table *t, int row, int col) {
    const char *s = t->cells[row * t->cols + col];
    return s ? s : "";
}

/* The anchor cell (top-left of its span, or a plain cell): rows × cols it covers. */
static bool cell_anchor(const tgeo *g, int row, int col, int *rs, int *cs) {
    int o = g->owner[row * g->C + col];
    if (o < 0) {
        *rs = *cs = 1;
        return true;
    }
    const ow_doc_span *sp = &g->t->spans[o];
    if (sp->row != row || sp->col != col) return false;
    *rs = sp->rows;
    *cs = sp->cols;
    return true;
}

static PangoLayout *cell_layout(render *r, const tgeo *g, int row, int col, int cs) {
    unsigned fl = cell_flags(g->t, row, col);
    double w = g->x[col + cs] - g->x[col] - 2 * CELL_PAD_PT;
    PangoLayout *lay = new_layout(r, g->family, fl & OW_CELL_HEAD, g->pt, w > 1 ? w : 1);
    pango_layout_set_alignment(lay, fl & OW_CELL_LEFT ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
    pango_layout_set_text(lay, cell_text(g->t, row, col), -1);
    return lay;
}

static void tgeo_free(tgeo *g) {
    if (!g) return;
    if (g->lay)
        for (int i = 0; i < g->R * g->C; i++)
            if (g->lay[i]) g_object_unref(g->lay[i]);
    free(g->owner), free(g->x), free(g->h), free(g->group), free(g->lay);
    free(g);
}

/* Lay a table out: column edges, every anchor cell's text, row heights (a merged cell
 * taller than its rows makes its last row taller), the row groups that stay together. */
static tgeo *tgeo_new(render *r, const ow_doc_table *t) {
    tgeo *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    int R = g->R = t->rows, C = g->C = t->cols;
    g->t = t;
    g->pt = t->font_pt > 0 ? t->font_pt : TABLE_PT;
    g->family = t->serif ? SERIF : SANS;
    g->owner = calloc((size_t)(R * C), sizeof *g->owner);
    g->x = calloc((size_t)C + 1, sizeof *g->x);
    g->h = calloc((size_t)R, sizeof *g->h);
    g->group = calloc((size_t)R, sizeof *g->group);
    g->lay = calloc((size_t)(R * C), sizeof *g->lay);
    if (!g->owner || !g->x || !g->h || !g->group || !g->lay) {
        tgeo_free(g);
        return NULL;
    }
    for (int i = 0; i < R * C; i++)
        g->owner[i] = -1;
    for (size_t s = 0; s < t->nspans; s++)
        for (int rr = t->spans[s].row; rr < t->spans[s].row + t->spans[s].rows; rr++)
            for (int cc = t->spans[s].col; cc < t->spans[s].col + t->spans[s].cols; cc++)
                g->owner[rr * C + cc] = (int)s;
    double total = 0;
    for (int c = 0; c < C; c++)
        total += t->col_widths ? t->col_widths[c] : 1.0;
    g->x[0] = r->left;
    for (int c = 0; c < C; c++)
        g->x[c + 1] = g->x[c] + r->width * (t->col_widths ? t->col_widths[c] : 1.0) / total;
    double line = g->pt * 1.45 + 2 * CELL_PAD_PT;
    for (int row = 0; row < R; row++) {
        g->h[row] = line;
        for (int col = 0; col < C; col++) {
            int rs, cs;
            if (!cell_anchor(g, row, col, &rs, &cs)) continue;
            g->lay[row * C + col] = cell_layout(r, g, row, col, cs);
            double need = layout_height(g->lay[row * C + col]) + 2 * CELL_PAD_PT;
            if (rs == 1 && need > g->h[row]) g->h[row] = need;
        }
    }
    for (size_t s = 0; s < t->nspans; s++) {
        const ow_doc_span *sp = &t->spans[s];
        if (sp->rows < 2) continue;
        double need = layout_height(g->lay[sp->row * C + sp->col]) + 2 * CELL_PAD_PT, have = 0;
        for (int rr = sp->row; rr < sp->row + sp->rows; rr++)
            have += g->h[rr];
        if (need > have) g->h[sp->row + sp->rows - 1] += need - have;
    }
    /* row groups: the rows of a merged cell stay together (unless it is very long), and
     * the header rows stay with the first body row */
    for (int row = 0; row < R; row++)
        g->group[row] = row;
    for (size_t s = 0; s < t->nspans; s++) {
        const ow_doc_span *sp = &t->spans[s];
        if (sp->rows > 1 && sp->rows <= KEEP_SPAN_ROWS)
            for (int rr = sp->row; rr < sp->row + sp->rows; rr++)
                if (g->group[rr] < sp->row + sp->rows - 1) g->group[rr] = sp->row + sp->rows - 1;
    }
    if (t->header_rows > 0 && t->header_rows < R)
        for (int rr = 0; rr < t->header_rows; rr++)
            if (g->group[rr] < t->header_rows) g->group[rr] = t->header_rows;
    /* groups overlap when spans chain: carry each row's end forward */
    for (int row = 0; row < R; row++) {
        int end = g->group[row];
        for (int rr = row; rr <= end && rr < R; rr++)
            if (g->group[rr] > end) end = g->group[rr];
        for (int rr = row; rr <= end && rr < R; rr++)
            g->group[rr] = end;
        row = end;
    }
    for (int row = 0; row < R; row++)
        g->total += g->h[row];
    return g;
}

/* Draw the cells of rows [from, to] that lie on this page, at y; rows of a span outside
 * [from, to] are not drawn (the span's segment is), its text goes in its tallest segment. */
static void table_draw_rows(render *r, const tgeo *g, int from, int to, double y,
                            const int *text_page, int page_no) {
    double ys[OW_DOCS_MAX_TABLE_CELLS + 1];
    int n = to - from + 1;
    ys[0] = y;
    for (int i = 0; i < n; i++)
        ys[i + 1] = ys[i] + g->h[from + i];
    cairo_set_line_width(r->cr, 0.6);
    for (int row = 0; row < g->R; row++)
        for (int col = 0; col < g->C; col++) {
            int rs, cs;
            if (!cell_anchor(g, row, col, &rs, &cs)) continue;
            int a = row > from ? row : from, b = row + rs - 1 < to ? row + rs - 1 : to;
            if (a > b) continue; /* not on this page */
            double top = ys[a - from], bot = ys[b - from + 1];
            double x0 = g->x[col], x1 = g->x[col + cs];
            cairo_rectangle(r->cr, x0, top, x1 - x0, bot - top);
            cairo_stroke(r->cr);
            int o = g->owner[row * g->C + col];
            if (o >= 0 && text_page && text_page[o] != page_no) continue;
            PangoLayout *lay = g->lay[row * g->C + col];
            show_layout(r, lay, x0 + CELL_PAD_PT, top + (bot - top - layout_height(lay)) / 2);
        }
}

static double rows_height(const tgeo *g, int from, int to) {
    double h = 0;
    for (int i = from; i <= to; i++)
        h += g->h[i];
    return h;
}

/* The table's layout: the one a heading measured for it just before, or a new one. */
static tgeo *table_layout(render *r, const ow_doc_table *t) {
    if (r->measured && r->measured->t == t) {
        tgeo *g = r->measured;
        r->measured = NULL;
        return g;
    }
    tgeo_free(r->measured);
    r->measured = NULL;
    return tgeo_new(r, t);
}

static int draw_table(render *r, const ow_doc_table *t, ow_err *e) {
    tgeo *gp = table_layout(r, t);
    int *row_page = gp ? calloc((size_t)gp->R, sizeof(int)) : NULL;
    double *row_y = gp ? calloc((size_t)gp->R, sizeof(double)) : NULL;
    int *text_page = calloc(t->nspans + 1, sizeof(int));
    double *best = calloc(t->nspans + 1, sizeof(double));
    if (!gp || !row_page || !row_y || !text_page || !best) {
        tgeo_free(gp);
        free(row_page), free(row_y), free(text_page), free(best);
        return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    }
    const tgeo *g = gp;
    double total = g->total, page_h = r->bottom - r->top;
    /* a table that fits on a page starts on a fresh one rather than split — unless its
     * heading is on this page: the heading's rule has kept the two together, or found
     * they cannot be, and then the table runs on below it */
    if (total <= page_h && r->y + total > r->bottom && r->page_units > r->heading_units)
        new_page(r);
    int hr = t->header_rows < g->R ? t->header_rows : 0;
    double head_h = hr ? rows_height(g, 0, hr - 1) : 0;
    /* plan: which page (relative to this one) and where each row goes */
    int page = 0;
    double y = r->y;
    int units = r->unit, page_units = r->page_units, break_before = r->break_before;
    for (int row = 0; row < g->R;) {
        int end = g->group[row];
        double gh = rows_height(g, row, end);
        bool at_top = page_units == 0;
        if (!at_top && (units == break_before || y + gh > r->bottom + 0.01)) {
            page++;
            y = r->top + (row >= hr ? head_h : 0);
            page_units = 0;
        }
        for (int rr = row; rr <= end; rr++) {
            row_page[rr] = page;
            row_y[rr] = y;
            y += g->h[rr];
        }
        units++;
        page_units++;
        row = end + 1;
    }
    /* the text of a span broken over pages goes in its tallest piece */
    for (size_t s = 0; s < t->nspans; s++) {
        const ow_doc_span *sp = &t->spans[s];
        best[s] = -1;
        for (int p = row_page[sp->row]; p <= row_page[sp->row + sp->rows - 1]; p++) {
            double seg = 0;
            for (int rr = sp->row; rr < sp->row + sp->rows; rr++)
                if (row_page[rr] == p) seg += g->h[rr];
            if (seg > best[s]) {
                best[s] = seg;
                text_page[s] = p;
            }
        }
    }
    for (int p = 0; p <= page; p++) {
        if (p) {
            new_page(r);
            if (hr && p > row_page[0]) table_draw_rows(r, g, 0, hr - 1, r->top, NULL, -1);
        }
        int from = -1, to = -1;
        for (int rr = 0; rr < g->R; rr++)
            if (row_page[rr] == p) {
                if (from < 0) from = rr;
                to = rr;
            }
        if (from >= 0) {
            table_draw_rows(r, g, from, to, row_y[from], text_page, p);
            r->y = row_y[to] + g->h[to];
        }
    }
    /* account the units as the plan did */
    for (int row = 0; row < g->R; row = g->group[row] + 1)
        unit_done(r);
    r->page_units = page_units;
    r->y += 6;
    tgeo_free(gp);
    free(row_page), free(row_y), free(text_page), free(best);
    return OW_OK;
}

/* How tall a table is (to keep a heading with a table that will not be split); the
 * layout is kept for the table's drawing, which follows. */
static double table_height(render *r, const ow_doc_table *t) {
    tgeo_free(r->measured);
    r->measured = tgeo_new(r, t);
    return r->measured ? r->measured->total : 0;
}

/* ---------------- QR code and signature ---------------- */

/* The QR code with a four-module quiet zone, black modules as filled squares. */
static int draw_qr(render *r, const char *payload, double x0, double y0, ow_err *e) {
    QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return ow_err_set(e, OW_EINTERNAL, "qr", "二维码生成失败");
    int w = q->width, quiet = 4;
    double m = QR_SIZE_PT / (w + 2 * quiet);
    cairo_set_source_rgb(r->cr, 1, 1, 1);
    cairo_rectangle(r->cr, x0, y0, QR_SIZE_PT, QR_SIZE_PT);
    cairo_fill(r->cr);
    cairo_set_source_rgb(r->cr, 0, 0, 0);
    for (int yy = 0; yy < w; yy++)
        for (int xx = 0; xx < w; xx++)
            if (q->data[yy * w + xx] & 1)
                cairo_rectangle(r->cr, x0 + (xx + quiet) * m, y0 + (yy + quiet) * m, m, m);
    cairo_fill(r->cr);
    QRcode_free(q);
    return OW_OK;
}

/* One blank line, then the signature: the issuer centred over the date, the date four
 * characters in from the right margin; the QR code at the left with its caption under
 * it.  All of it on one page. */
static int draw_signature(render *r, const ow_doc_notice *n, ow_err *e) {
    const level *lv = r->lv;
    double body = lv->body_pt, pitch = lv->pitch_pt;
    bool qr = n->qr_payload && *n->qr_payload;
    PangoLayout *issuer = new_layout(r, SERIF, false, body, r->width);
    pango_layout_set_text(issuer, n->issuer, -1);
    PangoLayout *date = NULL;
    if (n->sign_date && *n->sign_date) {
        date = new_layout(r, SERIF, false, body, r->width);
        pango_layout_set_text(date, n->sign_date, -1);
    }
    PangoLayout *cap = NULL;
    double cap_h = 0, cap_w = r->width * 0.42;
    if (qr && n->qr_caption && *n->qr_caption) {
        cap = new_layout(r, SANS, false, QR_CAPTION_PT, cap_w);
        pango_layout_set_text(cap, n->qr_caption, -1);
        cap_h = layout_height(cap) + 3;
    }
    double sign_h = (date ? 2 : 1) * pitch, qr_h = qr ? QR_SIZE_PT + cap_h : 0;
    double block = sign_h > qr_h ? sign_h : qr_h;
    if (r->page_units && r->y + pitch + block > r->bottom + 0.01) new_page(r);
    /* alone, or with a single line, on a page after the first: too little (see the top) */
    if (r->page > 1 && r->page_units < 2) r->sign_alone = true;
    r->last_unit = r->unit - 1;
    r->sign_lines = r->page_units;
    double y0 = r->page_units ? r->y + pitch : r->y;
    /* the date's box, then the issuer centred over it (kept inside the margin) */
    double inset = 4 * body;
    double dw = date ? layout_width(date) : 0, iw = layout_width(issuer);
    double centre = date ? r->right - inset - dw / 2 : r->right - inset - iw / 2;
    double ix = centre - iw / 2;
    if (ix + iw > r->right) ix = r->right - iw;
    double sy = y0 + (block - sign_h) / 2;
    double ih = layout_height(issuer);
    show_layout(r, issuer, ix, sy + (pitch - ih) / 2);
    if (date)
        show_layout(r, date, r->right - inset - dw, sy + pitch + (pitch - layout_height(date)) / 2);
    int rc = OW_OK;
    if (qr) {
        double qy = y0 + (block - qr_h) / 2;
        rc = draw_qr(r, n->qr_payload, r->left, qy, e);
        if (cap) show_layout(r, cap, r->left, qy + QR_SIZE_PT + 3);
        r->qr_page = r->page;
    }
    r->sign_page = r->page;
    r->y = y0 + block;
    g_object_unref(issuer);
    if (date) g_object_unref(date);
    if (cap) g_object_unref(cap);
    return rc;
}

/* ---------------- one pass ---------------- */

static bool valid_table(const ow_doc_table *t) {
    if (!t || t->rows < 1 || t->cols < 1 || t->cols > OW_DOCS_MAX_TABLE_COLS ||
        t->rows * t->cols > OW_DOCS_MAX_TABLE_CELLS || !t->cells)
        return false;
    for (size_t s = 0; s < t->nspans; s++) {
        const ow_doc_span *sp = &t->spans[s];
        if (sp->row < 0 || sp->col < 0 || sp->rows < 1 || sp->cols < 1 ||
            sp->row + sp->rows > t->rows || sp->col + sp->cols > t->cols)
            return false;
    }
    return true;
}

static int render_pass(const ow_doc_notice *n, cairo_surface_t *s, int lvl, int break_before,
                       render *out, ow_err *e) {
    render r = {.cr = cairo_create(s),
                .lv = &LEVELS[lvl],
                .page = 1,
                .left = MARGIN_LEFT_PT,
                .right = PAGE_W_PT - MARGIN_RIGHT_PT,
                .top = MARGIN_TOP_PT,
                .bottom = PAGE_H_PT - MARGIN_BOTTOM_PT,
                .break_before = break_before,
                .last_unit = -1};
    r.width = r.right - r.left;
    r.y = r.top;
    r.pc = pango_cairo_create_context(r.cr);
    pango_cairo_context_set_resolution(r.pc, 72);
    pango_context_set_language(r.pc, pango_language_from_string("zh-cn"));
    /* the same metrics on the recording surface of a measuring pass as on the PDF */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(r.pc, fo);
    cairo_font_options_destroy(fo);
    cairo_set_source_rgb(r.cr, 0, 0, 0);

    const level *lv = r.lv;
    text_style title = {SERIF, true, lv->title_pt, 0, PANGO_ALIGN_CENTER};
    text_style plain = {SERIF, false, lv->body_pt, 0, PANGO_ALIGN_LEFT};
    text_style centred = {SERIF, false, lv->body_pt, 0, PANGO_ALIGN_CENTER};
    text_style para = {SERIF, false, lv->body_pt, 2, PANGO_ALIGN_LEFT};
    text_style h1 = {SANS, true, lv->body_pt, 2, PANGO_ALIGN_LEFT};
    text_style h2 = {SERIF, true, lv->body_pt, 2, PANGO_ALIGN_LEFT};
    text_style note = {SERIF, false, NOTE_PT, 2, PANGO_ALIGN_LEFT};

    PangoLayout *tl = text_layout(&r, &title, n->title);
    flow(&r, tl, r.left, lv->title_pt * 1.5);
    g_object_unref(tl);
    if (n->number && *n->number) text_block(&r, &centred, n->number);
    r.y += lv->pitch_pt / 2;
    if (n->recipient && *n->recipient) text_block(&r, &plain, n->recipient);
    for (size_t i = 0; i < n->nparagraphs; i++)
        text_block(&r, &para, n->paragraphs[i]);
    int rc = OW_OK;
    for (size_t i = 0; i < n->nblocks && !rc; i++) {
        const ow_doc_block *b = &n->blocks[i];
        if (b->kind == OW_DOC_TABLE) {
            rc = draw_table(&r, b->table, e);
            r.heading_units = 0;
            continue;
        }
        const text_style *ts = b->kind == OW_DOC_HEADING1   ? &h1
                               : b->kind == OW_DOC_HEADING2 ? &h2
                                                            : &para;
        if (b->kind != OW_DOC_PARA) {
            /* a heading stays with what follows: two lines of text, or the whole of a table
             * that will not be split, or its first rows */
            PangoLayout *lay = text_layout(&r, ts, b->text ? b->text : "");
            double need = layout_lines(lay) * lv->pitch_pt, next = 2 * lv->pitch_pt;
            g_object_unref(lay);
            if (i + 1 < n->nblocks && n->blocks[i + 1].kind == OW_DOC_TABLE) {
                double th = table_height(&r, n->blocks[i + 1].table);
                next = th <= r.bottom - r.top - need ? th : 3 * lv->pitch_pt;
            }
            need += next;
            if (r.page_units && r.y + need > r.bottom + 0.01) new_page(&r);
        }
        int before = r.unit;
        text_block(&r, ts, b->text ? b->text : "");
        r.heading_units = b->kind == OW_DOC_PARA ? 0 : r.unit - before;
    }
    if (!rc) rc = draw_signature(&r, n, e);
    if (!rc && n->note && *n->note) {
        r.y += lv->pitch_pt / 3;
        PangoLayout *lay = text_layout(&r, &note, n->note);
        flow(&r, lay, r.left, NOTE_PT * 1.6);
        g_object_unref(lay);
    }
    page_footer(&r);
    tgeo_free(r.measured);
    r.measured = NULL;
    cairo_status_t cst = cairo_status(r.cr);
    g_object_unref(r.pc);
    cairo_destroy(r.cr);
    if (!rc && cst != CAIRO_STATUS_SUCCESS)
        rc = ow_err_set(e, OW_EINTERNAL, "", "PDF 生成失败：%s", cairo_status_to_string(cst));
    *out = r;
    out->cr = NULL;
    out->pc = NULL;
    return rc;
}

/* A measuring pass: the same drawing on a recording surface that is thrown away. */
static int measure(const ow_doc_notice *n, int lvl, int break_before, render *out, ow_err *e) {
    cairo_rectangle_t page = {0, 0, PAGE_W_PT, PAGE_H_PT};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
    int rc = render_pass(n, s, lvl, break_before, out, e);
    cairo_surface_destroy(s);
    return rc;
}

/* The pass that writes the PDF. */
static int produce(const ow_doc_notice *n, int lvl, int break_before, out_buf *ob, render *res,
                   ow_err *e) {
    free(ob->p);
    *ob = (out_buf){0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(out_write, ob, PAGE_W_PT, PAGE_H_PT);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, n->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, n->issuer);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "onewindow");
    int rc = render_pass(n, s, lvl, break_before, res, e);
    cairo_surface_finish(s);
    cairo_status_t cst = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (!rc && (cst != CAIRO_STATUS_SUCCESS || ob->oom))
        rc = ow_err_set(e, ob->oom ? OW_ENOMEM : OW_EINTERNAL, "", "PDF 生成失败：%s",
                        cairo_status_to_string(cst));
    return rc;
}

int ow_docs_render(const ow_doc_notice *n, unsigned char **pdf, size_t *len, ow_doc_layout *layout,
                   ow_err *e) {
    *pdf = NULL;
    *len = 0;
    if (!n->title || !*n->title) return ow_err_set(e, OW_EINVAL, "title", "文书标题不能为空");
    if (!n->issuer || !*n->issuer) return ow_err_set(e, OW_EINVAL, "issuer", "发文机关不能为空");
    if (n->nparagraphs > OW_DOCS_MAX_PARAGRAPHS)
        return ow_err_set(e, OW_EINVAL, "paragraphs", "正文段落过多（最多 %d 段）",
                          OW_DOCS_MAX_PARAGRAPHS);
    if (n->nblocks > OW_DOCS_MAX_BLOCKS)
        return ow_err_set(e, OW_EINVAL, "blocks", "正文内容过多（最多 %d 块）", OW_DOCS_MAX_BLOCKS);
    for (size_t i = 0; i < n->nblocks; i++)
        if (n->blocks[i].kind == OW_DOC_TABLE && !valid_table(n->blocks[i].table))
            return ow_err_set(e, OW_EINVAL, "tables", "表格过大或合并单元格超出表格");

    /* Measuring is cheap (a recording surface: the layout without the PDF's fonts, which
     * cost most of a render), so the spacing and the page break are chosen first and the
     * PDF is written once.  Measured for issue 26 (CPU time of ow_docs_render_notice in
     * process, 60 renders, on this project's shared 2-core machine): a two-paragraph
     * notice 55–60 ms, as before this renderer; a five-paragraph notice tightened onto one
     * page 65 ms (130 ms while its PDF was written twice; 61–65 ms for the old renderer's
     * two pages). */
    pthread_once(&fonts_once, fonts_init);
    out_buf ob = {0};
    render res, m;
    int lvl = 0, brk = -1;
    int rc = measure(n, 0, -1, &m, e);
    /* just over one page: try tighter spacing before letting it run on */
    for (int l = 1; !rc && m.page == 2 && l < NLEVELS; l++) {
        render t;
        if ((rc = measure(n, l, -1, &t, e))) break;
        if (t.page == 1) {
            lvl = l;
            m = t;
        }
    }
    /* the signature alone on its page: bring the last two lines with it */
    if (!rc && m.sign_alone && m.last_unit >= 1) brk = m.last_unit - 1;
    if (!rc) rc = produce(n, lvl, brk, &ob, &res, e);
    /* the PDF laid out as measured; should it ever differ, the rule still holds */
    if (!rc && res.sign_alone && brk < 0 && res.last_unit >= 1) {
        brk = res.last_unit - 1;
        rc = produce(n, lvl, brk, &ob, &res, e);
    }
    if (rc) {
        free(ob.p);
        return rc;
    }
    if (layout)
        *layout = (ow_doc_layout){.pages = res.page,
                                  .sign_page = res.sign_page,
                                  .qr_page = res.qr_page,
                                  .sign_lines = res.sign_lines,
                                  .level = lvl};
    *pdf = ob.p;
    *len = ob.len;
    return OW_OK;
}

int ow_docs_render_notice(const ow_doc_notice *n, unsigned char **pdf, size_t *len, ow_err *e) {
    return ow_docs_render(n, pdf, len, NULL, e);
}

void ow_docs_chinese_date(const char *iso_date, char *out, size_t out_size) {
    int32_t d;
    if (!iso_date || ow_date_parse(iso_date, &d)) {
        snprintf(out, out_size, "%s", iso_date ? iso_date : "");
        return;
    }
    int y, m, dd;
    ow_date_ymd(d, &y, &m, &dd);
    snprintf(out, out_size, "%d年%d月%d日", y, m, dd);
}

/* ======================= register ======================= */

static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

int ow_docs_register(ow_ctx *cx, const ow_doc_record *r, char code[OW_DOCS_CODE_CHARS + 1]) {
    unsigned char rnd[OW_DOCS_CODE_CHARS];
    randombytes_buf(rnd, sizeof rnd);
    for (int i = 0; i < OW_DOCS_CODE_CHARS; i++)
        code[i] = code_alphabet[rnd[i] & 31];
    code[OW_DOCS_CODE_CHARS] = '\0';
    ow_doc_row d = {.code = code,
                    .kind = r->kind,
                    .title = r->title,
                    .issuer = r->issuer,
                    .number = r->number ? r->number : "",
                    .recipient = r->recipient_masked ? r->recipient_masked : "",
                    .issued_date = r->issued_date,
                    .object_type = r->object_type,
                    .object_id = r->object_id,
                    .sha256 = r->content_hash ? r->content_hash : "",
                    .created_at = ow_clock_now_ms(cx->clock),
                    .valid_until = r->valid_until,
                    .replaces = r->replaces,
                    .correction_reason = r->correction_reason};
    int rc = ow_docs_store_insert(cx->db, &d, &cx->err);
    if (rc) return rc;
    return OW_OK;
}

int ow_docs_revoke(ow_ctx *cx, const char *code, const char *reason) {
    bool found;
    int rc = ow_docs_store_revoke(cx->db, code, reason ? reason : "", &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "code", "核验码不存在");
    return OW_OK;
}

int ow_docs_find(ow_ctx *cx, const char *kind, const char *object_type, const char *object_id,
                 char code[OW_DOCS_CODE_CHARS + 1]) {
    return ow_docs_store_find(cx->db, kind, object_type, object_id, code, OW_DOCS_CODE_CHARS + 1,
                              &cx->err);
}

int ow_docs_next_number(ow_ctx *cx, const char *prefix, int year, char *out, size_t out_size) {
    int n;
    int rc = ow_docs_store_next_number(cx->db, prefix, year, &n, &cx->err);
    if (rc) return rc;
    snprintf(out, out_size, "%s〔%d〕%d号", prefix, year, n);
    return OW_OK;
}

int ow_docs_verify_json(ow_ctx *cx, const char *code, json_t **out) {
    if (!code || strlen(code) != OW_DOCS_CODE_CHARS ||
        strspn(code, code_alphabet) != OW_DOCS_CODE_CHARS)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "code", "核验码不存在，该文书不是本平台出具的");
    ow_doc_row d;
    bool found;
    int rc = ow_docs_store_get(cx->db, cx->arena, code, &d, &found, &cx->err);
    if (rc) return rc;
    if (!found)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "code", "核验码不存在，该文书不是本平台出具的");
    *out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "code", code, "kind", d.kind, "title",
                     d.title, "issuer", d.issuer, "number", d.number, "recipient", d.recipient,
                     "issued_date", d.issued_date, "valid", !d.revoked);
    /* current or not: revoked, or past its validity (Shanghai date, ISO strings compare) */
    const char *until = d.valid_until;
    char today[11];
    ow_date_format(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), today);
    const char *status = d.revoked                              ? "revoked"
                         : *d.replaced_by                       ? "replaced"
                         : (*until && strcmp(until, today) < 0) ? "expired"
                                                                : "valid";
    json_object_set_new(*out, "status", json_string(status));
    json_object_set_new(*out, "valid", json_boolean(!strcmp(status, "valid")));
    /* a license always says how long it is valid: null = 长期 (docs/api.md) */
    if (*until)
        json_object_set_new(*out, "valid_until", json_string(until));
    else if (!strcmp(d.kind, "license"))
        json_object_set_new(*out, "valid_until", json_null());
    if (d.revoked && *d.revoke_reason)
        json_object_set_new(*out, "revoke_reason", json_string(d.revoke_reason));
    if (*d.pdf_sha256) json_object_set_new(*out, "pdf_sha256", json_string(d.pdf_sha256));
    /* a correction and the document it replaces: both shown, each naming the other */
    const char *links[][2] = {{"replaces", d.replaces}, {"replaced_by", d.replaced_by}};
    for (int i = 0; i < 2; i++) {
        if (!*links[i][1]) continue;
        ow_doc_row o;
        bool f;
        if ((rc = ow_docs_store_get(cx->db, cx->arena, links[i][1], &o, &f, &cx->err))) {
            json_decref(*out);
            *out = NULL;
            return rc;
        }
        if (f)
            json_object_set_new(*out, links[i][0],
                                json_pack("{s:s,s:s,s:s,s:s}", "code", links[i][1], "number",
                                          o.number, "title", o.title, "issued_date",
                                          o.issued_date));
    }
    if (*d.replaces && *d.correction_reason)
        json_object_set_new(*out, "correction_reason", json_string(d.correction_reason));
    return OW_OK;
}

/* ======================= frozen documents ======================= */

int ow_docs_frozen(ow_ctx *cx, const char *code, char sha[65], int64_t *size, const char **title) {
    ow_doc_row d;
    bool found;
    sha[0] = '\0';
    *size = 0;
    int rc = ow_docs_store_get(cx->db, cx->arena, code, &d, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "code", "核验码不存在");
    snprintf(sha, 65, "%s", d.pdf_sha256);
    *size = d.pdf_size;
    if (title) *title = d.title;
    return OW_OK;
}

int ow_docs_keep_pdf(ow_ctx *cx, const unsigned char *pdf, size_t len, char sha[65]) {
    return ow_blob_put(cx->app->cfg.data_dir, pdf, len, sha, &cx->err);
}

int ow_docs_freeze(ow_ctx *cx, const char *code, const char *sha, int64_t size, char frozen_sha[65],
                   bool *won) {
    int64_t now = ow_clock_now_ms(cx->clock);
    *won = false;
    int rc = ow_files_store_blob_insert(cx->db, sha, size, "application/pdf", now, &cx->err);
    if (!rc) rc = ow_docs_store_freeze(cx->db, code, sha, size, now, won, &cx->err);
    if (rc) return rc;
    if (*won) {
        snprintf(frozen_sha, 65, "%s", sha);
        return OW_OK;
    }
    int64_t n;
    if ((rc = ow_docs_frozen(cx, code, frozen_sha, &n, NULL))) return rc;
    if (!frozen_sha[0]) return ow_err_set(&cx->err, OW_EINTERNAL, "", "文书未能保存：%s", code);
    return OW_OK;
}

int ow_docs_open_pdf(ow_ctx *cx, const char *sha, int *fd, uint64_t *size) {
    char path[800];
    ow_files_blob_path(cx->app->cfg.data_dir, sha, path, sizeof path);
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (*fd < 0 || fstat(*fd, &st)) {
        if (*fd >= 0) close(*fd);
        *fd = -1;
        ow_log_error("frozen document missing", "\"sha256\":\"%s\"", sha);
        return ow_err_set(&cx->err, OW_EIO, "", "已出具的文书文件缺失：%s", sha);
    }
    *size = (uint64_t)st.st_size;
    return OW_OK;
}

int ow_docs_correct(ow_ctx *cx, const char *code, const char *reason,
                    char new_code[OW_DOCS_CODE_CHARS + 1], const char **new_number) {
    if (!reason || !*reason)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "reason", "请填写更正理由");
    if (ow_utf8_len(reason) > 200)
        return ow_err_set(&cx->err, OW_EINVAL, "reason", "更正理由过长（最多 200 个字）");
    ow_doc_row d;
    bool found;
    int rc = ow_docs_store_get(cx->db, cx->arena, code, &d, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "code", "文书不存在");
    if (*d.replaced_by)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_replaced", "code",
                           "该文书已被更正，请更正最新的文书");
    if (d.revoked)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "revoked", "code", "该文书已注销，不能更正");
    /* the same series: the prefix of 赫政务受〔2026〕3号, numbered in this year */
    const char *cut = strstr(d.number, "〔");
    const char *prefix = cut ? ow_strndup(cx->arena, d.number, (size_t)(cut - d.number)) : "更正";
    int y, m, dd;
    int32_t today = ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
    ow_date_ymd(today, &y, &m, &dd);
    char num[128], day[11];
    ow_date_format(today, day);
    if ((rc = ow_docs_next_number(cx, prefix, y, num, sizeof num))) return rc;
    ow_doc_record r = {.kind = d.kind,
                       .title = d.title,
                       .issuer = d.issuer,
                       .number = num,
                       .recipient_masked = d.recipient,
                       .issued_date = day,
                       .object_type = d.object_type,
                       .object_id = d.object_id,
                       .valid_until = *d.valid_until ? d.valid_until : NULL,
                       .replaces = code,
                       .correction_reason = reason};
    if ((rc = ow_docs_register(cx, &r, new_code))) return rc;
    bool done;
    if ((rc = ow_docs_store_set_replaced(cx->db, code, new_code, &done, &cx->err))) return rc;
    if (!done)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_replaced", "code",
                           "该文书已被更正，请更正最新的文书");
    *new_number = ow_strdup(cx->arena, num);
    return OW_OK;
}

typedef struct unfrozen_walk {
    int (*fn)(void *arg, const char *code, const char *kind, const char *object_id);
    void *arg;
} unfrozen_walk;

static int unfrozen_one(void *arg, const ow_doc_row *d) {
    unfrozen_walk *w = arg;
    return w->fn(w->arg, d->code, d->kind, d->object_id);
}

int ow_docs_each_unfrozen(ow_ctx *cx, const char *object_type,
                          int (*fn)(void *arg, const char *code, const char *kind,
                                    const char *object_id),
                          void *arg) {
    unfrozen_walk w = {fn, arg};
    return ow_docs_store_each_unfrozen(cx->db, cx->arena, object_type, unfrozen_one, &w, &cx->err);
}

int ow_docs_reply_frozen(ow_req *rq, const char *sha, const char *filename) {
    ow_ctx *cx = ow_req_ctx(rq);
    char etag[70];
    snprintf(etag, sizeof etag, "\"%s\"", sha);
    const char *inm = ow_req_header(rq, "If-None-Match");
    const char *disp = ow_req_query(rq, "download") ? "attachment" : "inline";
    if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
        ow_reply_empty(rq, 304);
    } else {
        int fd;
        uint64_t size;
        int rc = ow_docs_open_pdf(cx, sha, &fd, &size);
        if (rc) return rc;
        ow_reply_file(rq, 200, "application/pdf", fd, size);
        ow_reply_disposition(rq, disp, filename);
    }
    ow_reply_header(rq, "ETag", etag);
    ow_reply_header(rq, "Cache-Control", "private, no-cache");
    return OW_OK;
}

void ow_docs_verify_url(const char *base, const char *code, char *out, size_t out_size) {
    snprintf(out, out_size, "%s/verify/%s", base, code);
}

const char *ow_docs_public_base(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *pub = cx->app->cfg.public_url;
    if (*pub) {
        size_t n = strlen(pub);
        while (n && pub[n - 1] == '/')
            n--;
        return ow_strndup(cx->arena, pub, n);
    }
    const char *host = ow_req_header(rq, "Host");
    /* Only characters a host[:port] may hold, so a forged header cannot inject text. */
    if (!host || !*host || strlen(host) > 200 ||
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
            strlen(host))
        host = cx->app->cfg.listen;
    return ow_sprintf(cx->arena, "http://%s", host);
}

static int api_verify(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_docs_verify_json(ow_req_ctx(rq), ow_req_param(rq, "code"), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

const ow_route ow_docs_routes[] = {
    {"GET", "/api/v1/verify/{code}", api_verify, OW_INLINE, OW_R_PUBLIC},
};
const size_t ow_docs_routes_n = sizeof ow_docs_routes / sizeof ow_docs_routes[0];
