/* fuzz.h — what every harness in tests/fuzz shares.
 *
 * Each fuzz_*.c defines LLVMFuzzerTestOneInput.  `make fuzz` links it with libFuzzer
 * (clang -fsanitize=fuzzer,address,undefined) and runs it for a set time, growing the
 * committed corpus in tests/fuzz/corpus/NAME; the ordinary ASan build links it with
 * replay.c instead, and CTest replays every file of that corpus once (fuzz_NAME), so
 * `make test` sees at once an input that once crashed. */
#ifndef OW_TESTS_FUZZ_H
#define OW_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (malloc'ed; the caller frees). */
static inline char *fuzz_str(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
