/* test_sms.c — the quiet hours and the per-number rate limit of SMS (src/notify/sms_rules.c).
 *
 * The instants were worked out by hand with `date -ud … +%s` and the rule that China
 * Standard Time is UTC+8 all year:
 *   2026-11-24T09:00+08:00 = 2026-11-24T01:00Z = 1795482000 s (the test servers' morning)
 *   2026-11-24T20:59:59+08:00 = 12:59:59Z = 1795525199 s
 *   2026-11-24T21:00+08:00 = 13:00Z = 1795525200 s
 *   2026-11-24T21:30+08:00 = 13:30Z = 1795527000 s
 *   2026-11-25T08:00+08:00 = 2026-11-25T00:00Z = 1795564800 s
 *   2026-11-24T00:30+08:00 = 2026-11-23T16:30Z = 1795451400 s
 *   2026-11-24T08:00+08:00 = 2026-11-24T00:00Z = 1795564800 - 86400 = 1795478400 s */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "exchange/aliyun_sign.h"
#include "exchange/exchange.h"
#include "notify/sms_rules.h"

#define S(x) ((int64_t)(x)*1000)

static void quiet_parse_accepts_spans_and_off(void **state) {
    (void)state;
    ow_sms_quiet q;
    assert_true(ow_sms_quiet_parse("21:00-08:00", &q));
    assert_true(q.on);
    assert_int_equal(q.start_min, 21 * 60);
    assert_int_equal(q.end_min, 8 * 60);
    assert_true(ow_sms_quiet_parse("12:15-13:45", &q));
    assert_int_equal(q.start_min, 12 * 60 + 15);
    assert_int_equal(q.end_min, 13 * 60 + 45);
    assert_true(ow_sms_quiet_parse("", &q));
    assert_false(q.on);
    assert_true(ow_sms_quiet_parse("off", &q));
    assert_false(q.on);
}

static void quiet_parse_refuses_nonsense(void **state) {
    (void)state;
    ow_sms_quiet q;
    const char *bad[] = {"21:00",       "21:00-",      "24:00-08:00", "21:60-08:00",
                         "9:00-08:00",  "21:00-8:00",  "21:00–08:00", "21:00-08:00x",
                         "08:00-08:00", "aa:bb-cc:dd", "21:00 08:00"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_false(ow_sms_quiet_parse(bad[i], &q));
        assert_false(q.on);
    }
}

static void quiet_release_over_midnight(void **state) {
    (void)state;
    ow_sms_quiet q;
    assert_true(ow_sms_quiet_parse("21:00-08:00", &q));
    /* 09:00: outside, goes at once */
    assert_int_equal(ow_sms_quiet_release(&q, S(1795482000)), S(1795482000));
    /* 20:59:59: the last second before */
    assert_int_equal(ow_sms_quiet_release(&q, S(1795525199)), S(1795525199));
    /* 21:00 and 21:30: held until 08:00 the next morning */
    assert_int_equal(ow_sms_quiet_release(&q, S(1795525200)), S(1795564800));
    assert_int_equal(ow_sms_quiet_release(&q, S(1795527000) + 123), S(1795564800));
    /* 00:30: held until 08:00 the same morning */
    assert_int_equal(ow_sms_quiet_release(&q, S(1795451400)), S(1795478400));
    /* 08:00 exactly: the quiet hours are over */
    assert_int_equal(ow_sms_quiet_release(&q, S(1795564800)), S(1795564800));
    assert_int_equal(ow_sms_quiet_release(&q, S(1795564800) - 1), S(1795564800));
}

static void quiet_release_within_a_day_and_off(void **state) {
    (void)state;
    ow_sms_quiet q;
    assert_true(ow_sms_quiet_parse("12:00-14:00", &q));
    /* 2026-11-24T12:00+08:00 = 04:00Z = 1795482000 + 3 h */
    int64_t noon = S(1795482000 + 3 * 3600);
    assert_int_equal(ow_sms_quiet_release(&q, noon - 1), noon - 1);
    assert_int_equal(ow_sms_quiet_release(&q, noon), noon + S(2 * 3600));
    assert_int_equal(ow_sms_quiet_release(&q, noon + S(5400)), noon + S(2 * 3600));
    assert_int_equal(ow_sms_quiet_release(&q, noon + S(2 * 3600)), noon + S(2 * 3600));
    /* 21:30 is not quiet under this span */
    assert_int_equal(ow_sms_quiet_release(&q, S(1795527000)), S(1795527000));
    assert_true(ow_sms_quiet_parse("", &q));
    assert_int_equal(ow_sms_quiet_release(&q, S(1795527000)), S(1795527000));
}

static void rate_slot_holds_beyond_the_limit(void **state) {
    (void)state;
    const int64_t h = S(3600), t = S(1795482000);
    /* under the limit: at once */
    int64_t none[1] = {0};
    assert_int_equal(ow_sms_rate_slot(none, 0, 3, h, t), t);
    int64_t two[] = {t - S(600), t - S(60)};
    assert_int_equal(ow_sms_rate_slot(two, 2, 3, h, t), t);
    /* three in the last hour at -50 min, -10 min, -1 min with 3 per hour: the fourth
     * waits until the first of them is an hour old, i.e. t + 10 min */
    int64_t three[] = {t - S(3000), t - S(600), t - S(60)};
    assert_int_equal(ow_sms_rate_slot(three, 3, 3, h, t), t + S(600));
    /* with a limit of 2 the oldest that matters is the second to last: -10 min → +50 min */
    assert_int_equal(ow_sms_rate_slot(three, 3, 2, h, t), t + S(3000));
    /* messages already held to later instants count too: 1 per hour, one held to +30 min
     * → the next goes at +90 min */
    int64_t held[] = {t + S(1800)};
    assert_int_equal(ow_sms_rate_slot(held, 1, 1, h, t), t + S(5400));
    /* an old window does not hold a later wish */
    assert_int_equal(ow_sms_rate_slot(three, 3, 3, h, t + h), t + h);
    /* no limit */
    assert_int_equal(ow_sms_rate_slot(three, 3, 0, h, t), t);
}

/* Aliyun's documented example of its RPC signature (签名机制, the ECS DescribeRegions
 * request with AccessKeyId "testid" and AccessKeySecret "testsecret"): the StringToSign
 * and the Signature the documentation prints. */
static void aliyun_sign_matches_the_documented_example(void **state) {
    (void)state;
    const ow_aliyun_param p[] = {
        {"Timestamp", "2016-02-23T12:46:24Z"},
        {"Format", "XML"},
        {"AccessKeyId", "testid"},
        {"Action", "DescribeRegions"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
        {"Version", "2014-05-26"},
        {"SignatureVersion", "1.0"},
    };
    char sig[32], *sts = NULL;
    assert_int_equal(
        ow_aliyun_sign("GET", p, sizeof p / sizeof *p, "testsecret", sig, sizeof sig, &sts), 0);
    assert_string_equal(sts, "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3D"
                             "XML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-"
                             "44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-"
                             "02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
    assert_string_equal(sig, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    free(sts);
}

/* The SMS documentation's SendSms example (AccessKeyId "testId", secret "testSecret"): a
 * Chinese SignName and a JSON TemplateParam, both encoded twice in the StringToSign. */
static void aliyun_sign_matches_the_sendsms_example(void **state) {
    (void)state;
    const ow_aliyun_param p[] = {
        {"AccessKeyId", "testId"},
        {"Action", "SendSms"},
        {"Format", "XML"},
        {"OutId", "123"},
        {"PhoneNumbers", "15300000001"},
        {"RegionId", "cn-hangzhou"},
        {"SignName", "阿里云短信测试专用"},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"},
        {"SignatureVersion", "1.0"},
        {"TemplateCode", "SMS_71390007"},
        {"TemplateParam", "{\"customer\":\"test\"}"},
        {"Timestamp", "2017-07-12T02:42:19Z"},
        {"Version", "2017-05-25"},
    };
    char sig[32];
    assert_int_equal(
        ow_aliyun_sign("GET", p, sizeof p / sizeof *p, "testSecret", sig, sizeof sig, NULL), 0);
    assert_string_equal(sig, "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
    char too_small[8];
    assert_int_equal(ow_aliyun_sign("GET", p, 1, "testSecret", too_small, sizeof too_small, NULL),
                     -1);
}

/* The three rules Aliyun spells out: space %20, '*' %2A, '~' kept; and upper-case hex. */
static void aliyun_encode_follows_rfc3986(void **state) {
    (void)state;
    char *e = ow_aliyun_encode("a b*c~d+e/f=g&h\xe4\xb8\xad-_.");
    assert_string_equal(e, "a%20b%2Ac~d%2Be%2Ff%3Dg%26h%E4%B8%AD-_.");
    free(e);
    const ow_aliyun_param p[] = {{"b", "2"}, {"a", "x y"}, {"B", "*"}};
    char *q = ow_aliyun_query(p, 3);
    assert_string_equal(q, "B=%2A&a=x%20y&b=2");
    free(q);
}

/* Delivery reports: the carriers' and Aliyun's words for delivered, in any case; the
 * rest (UNDELIV, EXPIRED, codes) failed. */
static void report_status_delivered_or_not(void **state) {
    (void)state;
    assert_true(ow_exchange_sms_delivered("DELIVRD"));
    assert_true(ow_exchange_sms_delivered("delivered"));
    assert_true(ow_exchange_sms_delivered("DELIVERED"));
    assert_true(ow_exchange_sms_delivered("success"));
    assert_true(ow_exchange_sms_delivered("0"));
    assert_false(ow_exchange_sms_delivered("UNDELIV"));
    assert_false(ow_exchange_sms_delivered("EXPIRED"));
    assert_false(ow_exchange_sms_delivered("failed"));
    assert_false(ow_exchange_sms_delivered("MK:0005"));
    assert_false(ow_exchange_sms_delivered(""));
    assert_false(ow_exchange_sms_delivered(NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aliyun_sign_matches_the_documented_example),
        cmocka_unit_test(aliyun_sign_matches_the_sendsms_example),
        cmocka_unit_test(aliyun_encode_follows_rfc3986),
        cmocka_unit_test(report_status_delivered_or_not),
        cmocka_unit_test(quiet_parse_accepts_spans_and_off),
        cmocka_unit_test(quiet_parse_refuses_nonsense),
        cmocka_unit_test(quiet_release_over_midnight),
        cmocka_unit_test(quiet_release_within_a_day_and_off),
        cmocka_unit_test(rate_slot_holds_beyond_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
