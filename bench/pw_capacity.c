/* pw_capacity.c — how many argon2id verifications per second this machine does
 * right now with N threads, through the server's own ow_pw_hash/ow_pw_verify
 * (parameters of docs/decisions/0001).  bench/accounts.sh runs it next to the
 * sign-in benchmark: on a shared machine the ratio sign-ins/s ÷ verifies/s says
 * how much of the available hashing the server turns into sign-ins, whatever else
 * is running.  Usage: pw_capacity THREADS SECONDS */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/crypto.h"

static char hash[128];
static atomic_bool stop;
static atomic_long done;

static void *run(void *arg) {
    (void)arg;
    while (!atomic_load(&stop))
        if (ow_pw_verify(hash, "Demo@2026") == OW_OK) atomic_fetch_add(&done, 1);
    return NULL;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2, secs = argc > 2 ? atoi(argv[2]) : 5;
    if (n < 1 || n > 64 || secs < 1 || ow_crypto_init() || ow_pw_hash("Demo@2026", hash)) return 2;
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, run, NULL);
    sleep((unsigned)secs);
    atomic_store(&stop, true);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    printf("%.1f\n", (double)atomic_load(&done) / secs);
    return 0;
}
