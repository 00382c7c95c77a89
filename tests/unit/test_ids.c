/* test_ids.c — resident ID numbers and unified social credit codes (src/core/ids.c).
 *
 * Every valid number below was built by hand and its check character worked out in
 * the comment next to it, so the tests do not merely agree with the code under test.
 *
 * Resident ID 430903 19900105 123 X (ISO 7064 MOD 11-2):
 *   digits  4  3  0  9  0  3  1  9  9  0  0  1  0  5  1  2  3
 *   weights 7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
 *   products 28 27 0 45 0 12 2 9 54 0 0 9 0 25 8 8 6 → S = 233
 *   233 mod 11 = 2 → table 1 0 X 9 8 7 6 5 4 3 2 at index 2 → 'X'.
 * Resident ID 430903 19900307 123 4:
 *   products 28 27 0 45 0 12 2 9 54 0 0 27 0 35 8 8 6 → S = 261; 261 mod 11 = 8 → '4'.
 * Resident ID 430903 20000229 123 0 (a leap day): area 28+27+0+45+0+12 = 112; birth
 *   2,0,0,0,0,2,2,9 at weights 2,1,6,3,7,9,10,5 → 4+0+0+0+0+18+20+45 = 87; sequence
 *   1,2,3 at 8,4,2 → 22; S = 221; 221 mod 11 = 1 → '0'.
 * Resident ID 510107 20010911 004 0: area 35+9+0+5+0+28 = 77; birth
 *   4+0+0+3+0+81+10+5 = 103; sequence 0+0+8 = 8; S = 188; 188 mod 11 = 1 → '0'.
 *   The 17th digit 4 is even: a woman.
 *
 * USCC 91430903MA4L2K7C14 (GB 32100-2015):
 *   organisation code MA4L2K7C + check (GB 11714: letters A=10 … Z=35, so M=22, A=10,
 *   L=21, K=20, C=12; weights 3 7 9 10 5 8 4 2):
 *     22·3 + 10·7 + 4·9 + 21·10 + 2·5 + 20·8 + 7·4 + 12·2
 *     = 66 + 70 + 36 + 210 + 10 + 160 + 28 + 24 = 604; 604 mod 11 = 10; 11 − 10 = 1
 *     → '1'.
 *   final check (values are indexes in 0123456789ABCDEFGHJKLMNPQRTUWXY, so M=21, A=10,
 *   L=20, K=19, C=12; weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28):
 *     9·1 + 1·3 + 4·9 + 3·27 + 0·19 + 9·26 + 0·16 + 3·17 + 21·20 + 10·29 + 4·25
 *     + 20·13 + 2·8 + 19·24 + 7·10 + 12·30 + 1·28
 *     = 9 + 3 + 36 + 81 + 0 + 234 + 0 + 51 + 420 + 290 + 100 + 260 + 16 + 456 + 70
 *     + 360 + 28 = 2414; 2414 mod 31 = 27 (31·77 = 2387); 31 − 27 = 4 → '4'.
 * USCC 91350100M000100Y43 is the worked example printed in GB 32100-2015 itself:
 *   org code M000100Y: 22·3 + 0 + 0 + 0 + 1·5 + 0 + 0 + 34·2 = 139; 139 mod 11 = 7;
 *   11 − 7 = 4 → '4'.  Final: 9 + 3 + 27 + 135 + 0 + 26 + 0 + 0 + 21·20 + 0 + 0 + 0
 *   + 1·8 + 0 + 0 + 30·30 + 4·28 = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31
 *   = 28; 31 − 28 = 3 → '3'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/ids.h"

#define TODAY 20260315

static void assert_msg_has(const ow_err *e, const char *needle) {
    if (!strstr(e->message, needle))
        fail_msg("message \"%s\" does not contain \"%s\"", e->message, needle);
}

/* 17 digits plus their correct check character, for tests that break one other part. */
static void with_check(const char *first17, char out[19]) {
    memcpy(out, first17, 17);
    out[17] = ow_id_number_compute_check(first17);
    out[18] = '\0';
}

/* ---- resident ID ---- */

static void id_compute_check_matches_hand_computation(void **state) {
    (void)state;
    assert_int_equal(ow_id_number_compute_check("43090319900105123"), 'X');
    assert_int_equal(ow_id_number_compute_check("43090319900307123"), '4');
    assert_int_equal(ow_id_number_compute_check("43090320000229123"), '0');
    assert_int_equal(ow_id_number_compute_check("51010720010911004"), '0');
    assert_int_equal(ow_id_number_compute_check("4309031990010512a"), '\0');
}

static void id_accepts_valid_numbers(void **state) {
    (void)state;
    char out[19];
    ow_err e = {0};
    assert_int_equal(ow_id_number_check("430903199003071234", out, TODAY, &e), OW_OK);
    assert_string_equal(out, "430903199003071234");
    assert_int_equal(ow_id_number_check("43090319900105123X", out, TODAY, &e), OW_OK);
    assert_string_equal(out, "43090319900105123X");
    assert_int_equal(ow_id_number_check("430903200002291230", out, TODAY, &e), OW_OK);
    assert_int_equal(ow_id_number_check("510107200109110040", out, TODAY, &e), OW_OK);
    assert_int_equal(ow_id_number_check("430903199003071234", NULL, TODAY, NULL), OW_OK);
}

static void id_lower_case_x_and_whitespace_normalised(void **state) {
    (void)state;
    char out[19];
    ow_err e = {0};
    assert_int_equal(ow_id_number_check("43090319900105123x", out, TODAY, &e), OW_OK);
    assert_string_equal(out, "43090319900105123X");
    assert_int_equal(ow_id_number_check(" \t43090319900105123x \r\n", out, TODAY, &e), OW_OK);
    assert_string_equal(out, "43090319900105123X");
}

static void id_rejects_empty(void **state) {
    (void)state;
    char out[19] = "junk";
    ow_err e = {0};
    assert_int_equal(ow_id_number_check("   ", out, TODAY, &e), OW_EINVAL);
    assert_string_equal(out, "");
    assert_string_equal(e.field, "id_number");
    assert_msg_has(&e, "请填写身份证号码");
    assert_int_equal(ow_id_number_check(NULL, out, TODAY, &e), OW_EINVAL);
}

static void id_rejects_bad_length(void **state) {
    (void)state;
    ow_err e = {0};
    assert_int_equal(ow_id_number_check("4309031990030712", NULL, TODAY, &e), OW_EINVAL);
    assert_string_equal(e.field, "id_number");
    assert_string_equal(e.kind, "invalid_field");
    assert_msg_has(&e, "应为18位，当前为16位");
    assert_int_equal(ow_id_number_check("4309031990030712345", NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "当前为19位");
    assert_int_equal(ow_id_number_check("430903900307123", NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "15位的旧身份证号码");
}

static void id_rejects_letter_in_digits(void **state) {
    (void)state;
    ow_err e = {0};
    assert_int_equal(ow_id_number_check("4309A3199003071234", NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "第5位「A」不是数字");
    assert_int_equal(ow_id_number_check("43090319900307123Y", NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "最后一位应为数字或字母X");
}

static void id_rejects_full_width_digits(void **state) {
    (void)state;
    ow_err e = {0};
    /* "４３" are full-width: 18 characters but not ASCII. */
    assert_int_equal(ow_id_number_check("４３0903199003071234", NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "半角");
}

static void id_rejects_bad_area_code(void **state) {
    (void)state;
    ow_err e = {0};
    char id[19];
    with_check("93090319900307123", id);
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "地区码不正确：第1位应为1至8");
    with_check("03090319900307123", id);
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    with_check("20090319900307123", id);
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "省级代码20不存在");
    with_check("72090319900307123", id); /* 71 Taiwan and 81–83 exist, 72 does not */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    /* residence permits of Hong Kong, Macao and Taiwan residents */
    const char *permits[] = {"81000019900307123", "82000019900307123", "83000019900307123"};
    for (int i = 0; i < 3; i++) {
        with_check(permits[i], id);
        assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_OK);
    }
    /* 710000 is Taiwan's province-level code, not an issuing county */
    with_check("71000019900307123", id);
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
}

/* hardening #24: the area code was checked only to the province, so a prefecture's
 * code and counties that never existed passed. */
static void id_area_code_is_a_county_that_is_or_was(void **state) {
    (void)state;
    ow_err e = {0};
    char id[19];
    with_check("32110019900307123", id); /* 镇江市: a prefecture */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    assert_string_equal(e.field, "id_number");
    assert_msg_has(&e, "321100是省级或地级行政区划代码");
    with_check("43000019900307123", id); /* a province */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    const char *never[] = {"61105619900307123", "34692019900307123", "43099919900307123"};
    for (int i = 0; i < 3; i++) {
        with_check(never[i], id);
        assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
        assert_msg_has(&e, "不是现行或曾经使用的县级行政区划代码");
    }
    /* today's counties, retired ones (old numbers keep them), a city without counties */
    const char *real[] = {
        "43090319900307123", /* 益阳市赫山区 */
        "11010519491231002", /* 北京市朝阳区 */
        "11010319700101123", /* 北京市崇文区, merged into 东城区 in 2010 */
        "44012119700101123", /* 花县, now 广州市花都区 */
        "43232119700101123", /* 益阳县, before 益阳 became a prefecture-level city */
        "43090219900307123", /* 益阳市资阳区 */
        "44190019900307123", /* 东莞市: its own code, no counties */
        "13050520200307123", /* 邢台市任泽区, created 2020 */
    };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        with_check(real[i], id);
        assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_OK);
    }
    /* the generated table: sorted, county-level, thousands of codes */
    assert_true(ow_division_codes_n > 6000);
    for (size_t i = 1; i < ow_division_codes_n; i++)
        assert_true(ow_division_codes[i - 1] < ow_division_codes[i]);
    for (size_t i = 0; i < ow_division_codes_n; i++) {
        int c = ow_division_codes[i];
        assert_true(c >= 110000 && c < 900000);
        assert_true(c % 100 != 0 || c == 441900 || c == 442000 || c == 460400);
    }
}

static void id_rejects_impossible_birth_date(void **state) {
    (void)state;
    ow_err e = {0};
    char id[19];
    with_check("43090319990230123", id); /* 30 February */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "出生日期19990230不是有效日期");
    with_check("43090319000229123", id); /* 1900 was not a leap year */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "19000229不是有效日期");
    with_check("43090319991301123", id); /* month 13 */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    with_check("43090319990400123", id); /* day 0 */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
}

static void id_rejects_future_and_pre_1900_birth_date(void **state) {
    (void)state;
    ow_err e = {0};
    char id[19];
    with_check("43090320260316123", id); /* tomorrow */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "晚于今天");
    with_check("43090320260315123", id); /* born today */
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_OK);
    with_check("43090318991231123", id);
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "早于1900年");
    with_check("43090319000101123", id);
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_OK);
}

static void id_rejects_sequence_000(void **state) {
    (void)state;
    ow_err e = {0};
    char id[19];
    with_check("43090319900307000", id);
    assert_int_equal(ow_id_number_check(id, NULL, TODAY, &e), OW_EINVAL);
    assert_msg_has(&e, "顺序码不能为000");
}

static void id_rejects_wrong_check_and_keeps_normalised_value(void **state) {
    (void)state;
    ow_err e = {0};
    char out[19];
    assert_int_equal(ow_id_number_check("430903199003071235", out, TODAY, &e), OW_EINVAL);
    assert_string_equal(e.kind, OW_IDS_KIND_CHECK_DIGIT);
    assert_string_equal(e.field, "id_number");
    assert_msg_has(&e, "校验码");
    assert_string_equal(out, "430903199003071235"); /* for a clerk's recorded override */
    /* Two sequence digits swapped (123 → 213): S changes by 8 − 4 = 4, so 265 → '0'. */
    assert_int_equal(ow_id_number_check("430903199003072134", out, TODAY, &e), OW_EINVAL);
    assert_string_equal(e.kind, OW_IDS_KIND_CHECK_DIGIT);
    /* x where the check is a digit */
    assert_int_equal(ow_id_number_check("43090319900307123x", out, TODAY, &e), OW_EINVAL);
    assert_string_equal(out, "43090319900307123X");
}

static void id_refuses_impossible_today(void **state) {
    (void)state;
    ow_err e = {0};
    assert_int_equal(ow_id_number_check("430903199003071234", NULL, 0, &e), OW_EINTERNAL);
    assert_int_equal(ow_id_number_check("430903199003071234", NULL, 20260230, &e), OW_EINTERNAL);
}

static void id_birth_and_sex(void **state) {
    (void)state;
    int birth = 0;
    assert_int_equal(ow_id_number_birth("43090319900105123X", &birth), OW_OK);
    assert_int_equal(birth, 19900105);
    assert_int_equal(ow_id_number_birth("43090319900230123X", &birth), OW_EINVAL);
    assert_int_equal(ow_id_number_birth("4309031990", &birth), OW_EINVAL);
    assert_true(ow_id_number_is_male("43090319900105123X"));  /* 3: odd */
    assert_false(ow_id_number_is_male("510107200109110040")); /* 4: even */
    assert_false(ow_id_number_is_male("5101"));
}

/* ---- unified social credit code ---- */

static void uscc_compute_checks_match_hand_computation(void **state) {
    (void)state;
    assert_int_equal(ow_org_code_compute_check("MA4L2K7C"), '1');
    assert_int_equal(ow_org_code_compute_check("M000100Y"), '4');
    assert_int_equal(ow_uscc_compute_check("91430903MA4L2K7C1"), '4');
    assert_int_equal(ow_uscc_compute_check("91350100M000100Y4"), '3');
    assert_int_equal(ow_uscc_compute_check("91350100M000100I4"), '\0'); /* I not allowed */
    assert_int_equal(ow_org_code_compute_check("M000100-"), '\0');
}

static void uscc_accepts_valid_codes(void **state) {
    (void)state;
    char out[19];
    ow_err e = {0};
    assert_int_equal(ow_uscc_check("91430903MA4L2K7C14", out, &e), OW_OK);
    assert_string_equal(out, "91430903MA4L2K7C14");
    assert_int_equal(ow_uscc_check("91350100M000100Y43", out, &e), OW_OK);
    assert_int_equal(ow_uscc_check("91350100M000100Y43", NULL, NULL), OW_OK);
}

static void uscc_lower_case_and_whitespace_normalised(void **state) {
    (void)state;
    char out[19];
    ow_err e = {0};
    assert_int_equal(ow_uscc_check("  91430903ma4l2k7c14\n", out, &e), OW_OK);
    assert_string_equal(out, "91430903MA4L2K7C14");
}

/* Build a code from its first 16 characters with both check characters correct. */
static void uscc_build(const char *first16, char out[19]) {
    memcpy(out, first16, 16);
    out[16] = ow_org_code_compute_check(first16 + 8);
    out[17] = ow_uscc_compute_check(out);
    out[18] = '\0';
}

static void uscc_authority_and_type_table(void **state) {
    (void)state;
    /* Every pair in the GB 32100-2015 table is accepted... */
    static const char *valid[] = {"11", "12", "13", "19", "21", "29", "31", "32", "33",
                                  "34", "35", "39", "41", "49", "51", "52", "53", "59",
                                  "61", "62", "69", "71", "72", "79", "81", "89", "91",
                                  "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1"};
    char code[19], first16[17];
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        snprintf(first16, sizeof first16, "%s430903MA4L2K7C", valid[i]);
        uscc_build(first16, code);
        ow_err e = {0};
        if (ow_uscc_check(code, NULL, &e) != OW_OK) fail_msg("%s: %s", code, e.message);
    }
    /* ...and pairs outside it are refused, naming the part. */
    ow_err e = {0};
    uscc_build("B1430903MA4L2K7C", code);
    assert_int_equal(ow_uscc_check(code, NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "第1位登记管理部门代码「B」不存在");
    uscc_build("0143090306952831", code);
    assert_int_equal(ow_uscc_check(code, NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "第1位");
    uscc_build("9443090306952831", code);
    assert_int_equal(ow_uscc_check(code, NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "第2位机构类别代码「4」不适用于工商部门");
    uscc_build("9943090306952831", code); /* 工商 has no 9 (其他) */
    assert_int_equal(ow_uscc_check(code, NULL, &e), OW_EINVAL);
    uscc_build("Y243090306952831", code);
    assert_int_equal(ow_uscc_check(code, NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "其他部门");
    uscc_build("5443090306952831", code);
    assert_int_equal(ow_uscc_check(code, NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "民政");
}

static void uscc_rejects_forbidden_letters_by_name(void **state) {
    (void)state;
    static const char letters[] = "IOZSV";
    for (int i = 0; letters[i]; i++) {
        char code[19] = "91430903MA4L2K7C14";
        code[9] = letters[i]; /* position 10 */
        ow_err e = {0};
        assert_int_equal(ow_uscc_check(code, NULL, &e), OW_EINVAL);
        char want[64];
        snprintf(want, sizeof want, "第10位是字母%c", letters[i]);
        assert_msg_has(&e, want);
        assert_msg_has(&e, "I、O、Z、S、V");
    }
    ow_err e = {0};
    assert_int_equal(ow_uscc_check("91430903mo4l2k7c14", NULL, &e), OW_EINVAL); /* lower o */
    assert_msg_has(&e, "第10位是字母O");
    assert_int_equal(ow_uscc_check("91430903MA4L2K7C1-", NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "第18位「-」不是有效字符");
}

static void uscc_rejects_bad_length_and_region(void **state) {
    (void)state;
    ow_err e = {0};
    assert_int_equal(ow_uscc_check("91430903MA4L2K7C1", NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "应为18位，当前为17位");
    assert_string_equal(e.field, "uscc");
    assert_int_equal(ow_uscc_check("430903000012345", NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "15位的工商注册号");
    assert_int_equal(ow_uscc_check("", NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "请填写统一社会信用代码");
    char code[19];
    uscc_build("9143A903MA4L2K7C", code);
    assert_int_equal(ow_uscc_check(code, NULL, &e), OW_EINVAL);
    assert_msg_has(&e, "第3至8位行政区划码");
}

static void uscc_rejects_wrong_org_code_check(void **state) {
    (void)state;
    /* Org-code check 2 instead of 1, final check recomputed so that only the
     * organisation code is wrong. */
    char code[19] = "91430903MA4L2K7C2";
    code[17] = ow_uscc_compute_check(code);
    code[18] = '\0';
    ow_err e = {0};
    char out[19];
    assert_int_equal(ow_uscc_check(code, out, &e), OW_EINVAL);
    assert_string_equal(e.kind, OW_IDS_KIND_CHECK_DIGIT);
    assert_msg_has(&e, "主体标识码（组织机构代码）的校验位不正确");
    assert_string_equal(out, code);
}

static void uscc_rejects_wrong_final_check(void **state) {
    (void)state;
    ow_err e = {0};
    char out[19];
    assert_int_equal(ow_uscc_check("91430903MA4L2K7C15", out, &e), OW_EINVAL);
    assert_string_equal(e.kind, OW_IDS_KIND_CHECK_DIGIT);
    assert_msg_has(&e, "第18位校验码不正确");
    assert_string_equal(out, "91430903MA4L2K7C15");
    /* Two characters swapped in the body: both checks notice; the org check first. */
    assert_int_equal(ow_uscc_check("91430903AM4L2K7C14", out, &e), OW_EINVAL);
    assert_msg_has(&e, "主体标识码");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(id_compute_check_matches_hand_computation),
        cmocka_unit_test(id_accepts_valid_numbers),
        cmocka_unit_test(id_lower_case_x_and_whitespace_normalised),
        cmocka_unit_test(id_rejects_empty),
        cmocka_unit_test(id_rejects_bad_length),
        cmocka_unit_test(id_rejects_letter_in_digits),
        cmocka_unit_test(id_rejects_full_width_digits),
        cmocka_unit_test(id_rejects_bad_area_code),
        cmocka_unit_test(id_area_code_is_a_county_that_is_or_was),
        cmocka_unit_test(id_rejects_impossible_birth_date),
        cmocka_unit_test(id_rejects_future_and_pre_1900_birth_date),
        cmocka_unit_test(id_rejects_sequence_000),
        cmocka_unit_test(id_rejects_wrong_check_and_keeps_normalised_value),
        cmocka_unit_test(id_refuses_impossible_today),
        cmocka_unit_test(id_birth_and_sex),
        cmocka_unit_test(uscc_compute_checks_match_hand_computation),
        cmocka_unit_test(uscc_accepts_valid_codes),
        cmocka_unit_test(uscc_lower_case_and_whitespace_normalised),
        cmocka_unit_test(uscc_authority_and_type_table),
        cmocka_unit_test(uscc_rejects_forbidden_letters_by_name),
        cmocka_unit_test(uscc_rejects_bad_length_and_region),
        cmocka_unit_test(uscc_rejects_wrong_org_code_check),
        cmocka_unit_test(uscc_rejects_wrong_final_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
