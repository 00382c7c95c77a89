/* render.c — documents rendered per second (issue 23 point 6), run by bench/render.sh.
 *
 *   render THREADS SECONDS
 *
 * Renders a typical notice — a 受理通知书: title, number, recipient, three paragraphs,
 * the signature, a QR code, the rating note — with ow_docs_render_notice on THREADS
 * threads for SECONDS and prints "docs N seconds S docs_per_s R cpu_ms_per_doc C" (the
 * process's CPU time per document: what a render costs whatever else shares the
 * machine).  Each document differs
 * (its number and verification code), as in batch issuing. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "docs/docs.h"

static double secs;
static atomic_long done;
static atomic_bool failed;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *worker(void *arg) {
    long t = (long)(intptr_t)arg;
    double end = now_s() + secs;
    const char *paras[] = {
        "你（单位）于2026年11月24日提出的“内地居民结婚登记”申请（办件编号：430903-20261124-0001"
        "），经审查，申请材料齐全、符合法定形式，根据《中华人民共和国民法典》第一千零四十九条、《婚"
        "姻登记条例》第四条的规定，本机关决定予以受理。",
        "本事项承诺办结时限为1个工作日，法定办结时限为1个工作日（自受理之日起计算，补正、听证、检"
        "验、专家评审等时间不计算在内）。承办部门：赫山区民政局。",
        "可凭办件编号和证件号码后六位在政务服务网查询办理进度。",
    };
    for (long i = 0; now_s() < end; i++) {
        char number[64], url[128], caption[96];
        snprintf(number, sizeof number, "赫政务受〔2026〕%ld号", t * 1000000 + i + 1);
        snprintf(url, sizeof url, "https://zwfw.hszf.gov.cn/verify/BENCH%015ld", t * 1000000 + i);
        snprintf(caption, sizeof caption, "扫码核验真伪\n核验码 BENCH%015ld", t * 1000000 + i);
        ow_doc_notice n = {.title = "受理通知书",
                           .issuer = "益阳市赫山区政务服务中心",
                           .number = number,
                           .recipient = "张伟：",
                           .paragraphs = paras,
                           .nparagraphs = 3,
                           .sign_date = "2026年11月24日",
                           .qr_payload = url,
                           .qr_caption = caption};
        unsigned char *pdf;
        size_t len;
        ow_err e = {0};
        int rc = ow_docs_render_notice(&n, &pdf, &len, &e);
        if (rc) {
            fprintf(stderr, "render: %s\n", e.message);
            atomic_store(&failed, true);
            return NULL;
        }
        free(pdf);
        atomic_fetch_add(&done, 1);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: render THREADS SECONDS\n");
        return 2;
    }
    int threads = atoi(argv[1]);
    secs = atof(argv[2]);
    if (threads < 1 || threads > 64 || secs <= 0) return 2;
    pthread_t th[64];
    double t0 = now_s();
    for (long i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double el = now_s() - t0;
    if (atomic_load(&failed)) return 1;
    /* the CPU the renders took, whatever else shared the machine */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
                 ru.ru_stime.tv_usec / 1e6;
    long n = atomic_load(&done);
    printf("docs %ld seconds %.2f docs_per_s %.1f cpu_ms_per_doc %.1f\n", n, el, n / el,
           n ? cpu * 1000 / n : 0);
    return 0;
}
