/* ids.c — checking resident ID numbers (居民身份证号码) and unified social credit
 * codes (统一社会信用代码) before they reach a case, an account or an index.
 *
 * Both are 18 characters with a check character, and both are typed by hand at a
 * window or on a phone, so the checkers are written for the person who made the
 * typo: each test runs in the order a person reads the number (length, characters,
 * then each part left to right, then the check) and the first failure is reported
 * with the part's name and position.  An ID number's area code is the county that
 * issued it, kept for life while counties merge and split, so it is checked against
 * every county-level code in use now or before (divisions.c, generated from published
 * GB/T 2260 data), not against today's list.  A USCC's region code is checked for its
 * format only (docs/service-rules.md "Identity numbers").
 *
 * Nothing here allocates or keeps state; the date check is repeated from workdays.c
 * on purpose so that this file stands alone (it is four lines). */
#include "core/ids.h"

#include <stddef.h>
#include <string.h>

/* GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11. */
static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
/* S mod 11 → check character. */
static const char id_check_chars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

/* Province-level codes that exist or existed (GB/T 2260): first two digits. */
static const int id_provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                   35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                   53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};

static const int id_birth_min_yyyymmdd = 19000101;

/* GB 32100-2015: the 31 characters of the code, in value order. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
#define USCC_RADIX 31
/* Weight of position i is 3^i mod 31. */
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};
/* GB 11714-1997 organisation code weights over its first 8 characters. */
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* GB 32100-2015 table of registering authorities (登记管理部门) and the institution
 * types (机构类别) each may assign, with the amendments adding A and N. */
typedef struct {
    char code;
    const char *name;
    const char *types;
} uscc_authority;

static const uscc_authority uscc_authorities[] = {
    {'1', "机构编制", "1239"}, /* 机关, 事业单位, 群众团体, 其他 */
    {'2', "外交", "19"},       /* 外国常驻新闻机构, 其他 */
    {'3', "司法行政", "123459"}, /* 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构,
                                    仲裁委员会, 其他 */
    {'4', "文化", "19"},   /* 外国在华文化中心, 其他 */
    {'5', "民政", "1239"}, /* 社会团体, 民办非企业单位, 基金会, 其他 */
    {'6', "旅游", "129"},  /* 外国及港澳台地区旅游部门常驻代表机构, 其他 */
    {'7', "宗教", "129"},  /* 宗教活动场所, 宗教院校, 其他 */
    {'8', "工会", "19"},   /* 基层工会, 其他 */
    {'9', "工商", "123"},  /* 企业, 个体工商户, 农民专业合作社 */
    {'A', "中央军委改革和编制办公室", "19"}, /* 军队事业单位, 其他 */
    {'N', "农业", "1239"}, /* 组级、村级、乡镇级集体经济组织, 其他 */
    {'Y', "其他", "1"},
};

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
static bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
static char to_upper(char c) {
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}
static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The input without surrounding ASCII whitespace, as a pointer and a length. */
static const char *trim(const char *in, size_t *len) {
    while (is_space(*in))
        in++;
    size_t n = strlen(in);
    while (n > 0 && is_space(in[n - 1]))
        n--;
    *len = n;
    return in;
}

static bool has_non_ascii(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return true;
    return false;
}

static bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool ymd_valid(int y, int m, int d) {
    static const int days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1) return false;
    int max = days_in_month[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
    return d <= max;
}

static bool yyyymmdd_valid(int v) {
    return ymd_valid(v / 10000, v / 100 % 100, v % 100);
}

/* Eight digits at p as a number; the caller has checked they are digits. */
static int digits8(const char *p) {
    int v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* ---- resident ID number ---------------------------------------------------------- */

char ow_id_number_compute_check(const char first17[17]) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(first17[i])) return '\0';
        sum += (first17[i] - '0') * id_weights[i];
    }
    return id_check_chars[sum % 11];
}

bool ow_id_area_valid(int code) {
    if (code == 810000 || code == 820000 || code == 830000) return true; /* 港澳台居民居住证 */
    size_t lo = 0, hi = ow_division_codes_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ow_division_codes[mid] == code) return true;
        if (ow_division_codes[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static bool id_province_plausible(int code) {
    for (size_t i = 0; i < sizeof id_provinces / sizeof id_provinces[0]; i++)
        if (id_provinces[i] == code) return true;
    return false;
}

int ow_id_number_check(const char *in, char out[19], int today_yyyymmdd, ow_err *e) {
    static const char *field = "id_number";
    if (out) out[0] = '\0';
    if (today_yyyymmdd < id_birth_min_yyyymmdd || !yyyymmdd_valid(today_yyyymmdd))
        return ow_err_set(e, OW_EINTERNAL, field, "无法校验身份证号码：系统日期不正确");
    if (!in) return ow_err_set(e, OW_EINVAL, field, "请填写身份证号码");

    size_t n;
    const char *s = trim(in, &n);
    if (n == 0) return ow_err_set(e, OW_EINVAL, field, "请填写身份证号码");
    if (has_non_ascii(s, n))
        return ow_err_set(e, OW_EINVAL, field,
                          "身份证号码只能由数字和字母X组成，"
                          "请使用半角字符（不要输入全角数字或汉字）");
    if (n == 15)
        return ow_err_set(e, OW_EINVAL, field, "15位的旧身份证号码已停止使用，请填写18位号码");
    if (n != OW_ID_NUMBER_LEN)
        return ow_err_set(e, OW_EINVAL, field, "身份证号码应为18位，当前为%zu位", n);

    char buf[OW_ID_NUMBER_LEN + 1];
    for (int i = 0; i < 17; i++) {
        if (!is_digit(s[i])) {
            if (s[i] > ' ' && s[i] < 0x7f)
                return ow_err_set(e, OW_EINVAL, field,
                                  "身份证号码第%d位「%c」不是数字，前17位应全部为数字", i + 1,
                                  s[i]);
            return ow_err_set(e, OW_EINVAL, field, "身份证号码第%d位不是数字，前17位应全部为数字",
                              i + 1);
        }
        buf[i] = s[i];
    }
    buf[17] = to_upper(s[17]);
    buf[18] = '\0';
    if (!is_digit(buf[17]) && buf[17] != 'X')
        return ow_err_set(e, OW_EINVAL, field, "身份证号码最后一位应为数字或字母X");

    /* 1-6: area code (地址码). */
    if (buf[0] < '1' || buf[0] > '8')
        return ow_err_set(e, OW_EINVAL, field,
                          "身份证号码前6位地区码不正确：第1位应为1至8之间的数字");
    int province = (buf[0] - '0') * 10 + (buf[1] - '0');
    if (!id_province_plausible(province))
        return ow_err_set(e, OW_EINVAL, field, "身份证号码前6位地区码不正确：省级代码%02d不存在",
                          province);
    int area = 0;
    for (int i = 0; i < 6; i++)
        area = area * 10 + (buf[i] - '0');
    if (area % 100 == 0 && !ow_id_area_valid(area))
        return ow_err_set(e, OW_EINVAL, field,
                          "身份证号码前6位地区码%06d是省级或地级行政区划代码，"
                          "应为签发地的县级（区、县、县级市）代码",
                          area);
    if (!ow_id_area_valid(area))
        return ow_err_set(e, OW_EINVAL, field,
                          "身份证号码前6位地区码%06d不是现行或曾经使用的县级行政区划代码", area);

    /* 7-14: birth date (出生日期码). */
    int birth = digits8(buf + 6);
    if (!yyyymmdd_valid(birth))
        return ow_err_set(e, OW_EINVAL, field, "身份证号码第7至14位出生日期%08d不是有效日期",
                          birth);
    if (birth < id_birth_min_yyyymmdd)
        return ow_err_set(e, OW_EINVAL, field, "身份证号码第7至14位出生日期%08d早于1900年1月1日",
                          birth);
    if (birth > today_yyyymmdd)
        return ow_err_set(e, OW_EINVAL, field, "身份证号码第7至14位出生日期%08d晚于今天", birth);

    /* 15-17: sequence code (顺序码); 000 is never issued. */
    if (buf[14] == '0' && buf[15] == '0' && buf[16] == '0')
        return ow_err_set(e, OW_EINVAL, field, "身份证号码第15至17位顺序码不能为000");

    /* 18: check character (校验码). */
    if (ow_id_number_compute_check(buf) != buf[17]) {
        if (out) memcpy(out, buf, sizeof buf);
        return ow_err_setk(e, OW_EINVAL, OW_IDS_KIND_CHECK_DIGIT, field,
                           "身份证号码校验码（最后一位）不正确，请逐位核对号码");
    }
    if (out) memcpy(out, buf, sizeof buf);
    return OW_OK;
}

int ow_id_number_birth(const char *id, int *yyyymmdd) {
    if (!id || strlen(id) != OW_ID_NUMBER_LEN) return OW_EINVAL;
    for (int i = 6; i < 14; i++)
        if (!is_digit(id[i])) return OW_EINVAL;
    int v = digits8(id + 6);
    if (!yyyymmdd_valid(v)) return OW_EINVAL;
    if (yyyymmdd) *yyyymmdd = v;
    return OW_OK;
}

bool ow_id_number_is_male(const char *id) {
    if (!id || strnlen(id, 17) < 17 || !is_digit(id[16])) return false;
    return (id[16] - '0') % 2 == 1;
}

/* ---- unified social credit code --------------------------------------------------- */

/* Value of a USCC character (its index in the alphabet), or -1. */
static int uscc_value(char c) {
    if (c == '\0') return -1;
    const char *p = strchr(uscc_alphabet, c);
    return p ? (int)(p - uscc_alphabet) : -1;
}

char ow_uscc_compute_check(const char first17[17]) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0) return '\0';
        sum += v * uscc_weights[i];
    }
    return uscc_alphabet[(USCC_RADIX - sum % USCC_RADIX) % USCC_RADIX];
}

char ow_org_code_compute_check(const char first8[8]) {
    /* GB 11714 values: digits as themselves, letters A..Z as 10..35 (the full Latin
     * alphabet, unlike the USCC alphabet). */
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = first8[i];
        int v;
        if (is_digit(c))
            v = c - '0';
        else if (is_upper(c))
            v = c - 'A' + 10;
        else
            return '\0';
        sum += v * org_weights[i];
    }
    int c9 = 11 - sum % 11;
    if (c9 == 10) return 'X';
    if (c9 == 11) return '0';
    return (char)('0' + c9);
}

static const uscc_authority *uscc_find_authority(char c) {
    for (size_t i = 0; i < sizeof uscc_authorities / sizeof uscc_authorities[0]; i++)
        if (uscc_authorities[i].code == c) return &uscc_authorities[i];
    return NULL;
}

int ow_uscc_check(const char *in, char out[19], ow_err *e) {
    static const char *field = "uscc";
    if (out) out[0] = '\0';
    if (!in) return ow_err_set(e, OW_EINVAL, field, "请填写统一社会信用代码");

    size_t n;
    const char *s = trim(in, &n);
    if (n == 0) return ow_err_set(e, OW_EINVAL, field, "请填写统一社会信用代码");
    if (has_non_ascii(s, n))
        return ow_err_set(e, OW_EINVAL, field,
                          "统一社会信用代码只能由数字和大写字母组成，请使用半角字符");
    if (n == 15)
        return ow_err_set(e, OW_EINVAL, field,
                          "这是15位的工商注册号，请填写营业执照上的18位统一社会信用代码");
    if (n != OW_USCC_LEN)
        return ow_err_set(e, OW_EINVAL, field, "统一社会信用代码应为18位，当前为%zu位", n);

    char buf[OW_USCC_LEN + 1];
    for (int i = 0; i < OW_USCC_LEN; i++) {
        char c = to_upper(s[i]);
        if (c != '\0' && strchr("IOZSV", c))
            return ow_err_set(e, OW_EINVAL, field,
                              "统一社会信用代码第%d位是字母%c，代码中不使用字母I、O、Z、S、V",
                              i + 1, c);
        if (uscc_value(c) < 0) {
            if (c > ' ' && c < 0x7f)
                return ow_err_set(e, OW_EINVAL, field,
                                  "统一社会信用代码第%d位「%c」不是有效字符，只能是数字和大写字母",
                                  i + 1, c);
            return ow_err_set(e, OW_EINVAL, field,
                              "统一社会信用代码第%d位不是有效字符，只能是数字和大写字母", i + 1);
        }
        buf[i] = c;
    }
    buf[OW_USCC_LEN] = '\0';

    /* 1: registering authority (登记管理部门代码); 2: institution type (机构类别代码). */
    const uscc_authority *auth = uscc_find_authority(buf[0]);
    if (!auth)
        return ow_err_set(e, OW_EINVAL, field, "统一社会信用代码第1位登记管理部门代码「%c」不存在",
                          buf[0]);
    if (!strchr(auth->types, buf[1]))
        return ow_err_set(e, OW_EINVAL, field,
                          "统一社会信用代码第2位机构类别代码「%c」不适用于%s部门登记的机构", buf[1],
                          auth->name);

    /* 3-8: region code of the registering office (登记管理机关行政区划码). */
    for (int i = 2; i < 8; i++)
        if (!is_digit(buf[i]))
            return ow_err_set(e, OW_EINVAL, field,
                              "统一社会信用代码第3至8位行政区划码应为6位数字，第%d位不是数字",
                              i + 1);

    /* 9-17: organisation code (主体标识码), with its own GB 11714 check character. */
    if (ow_org_code_compute_check(buf + 8) != buf[16]) {
        if (out) memcpy(out, buf, sizeof buf);
        return ow_err_setk(e, OW_EINVAL, OW_IDS_KIND_CHECK_DIGIT, field,
                           "统一社会信用代码第9至17位主体标识码（组织机构代码）的校验位不正确");
    }

    /* 18: check character (校验码). */
    if (ow_uscc_compute_check(buf) != buf[17]) {
        if (out) memcpy(out, buf, sizeof buf);
        return ow_err_setk(e, OW_EINVAL, OW_IDS_KIND_CHECK_DIGIT, field,
                           "统一社会信用代码第18位校验码不正确，请逐位核对代码");
    }
    if (out) memcpy(out, buf, sizeof buf);
    return OW_OK;
}
