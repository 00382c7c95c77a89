/* events.c — see events.h.
 *
 * One mutex guards the whole hub: channels, their subscribers and every subscriber's
 * buffer.  The content reader (an MHD thread) takes it to copy out or to suspend; a
 * publisher takes it to append and resume; so a resume can never come before the suspend
 * it undoes, and a subscriber is only ever resumed while suspended — libmicrohttpd does
 * not close a suspended connection, so its memory stays valid until it is resumed and
 * then freed through sub_gone, which unlinks it under the same mutex. */
#include "http/events.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"

#define LATEST_MAX 4     /* latest-only event names per channel */
#define TICK_MS 50       /* how often the hub's thread looks at pending latest events */
#define RETRY_MS 3000    /* EventSource's reconnection delay */
#define BLOCK_BYTES 8192 /* what MHD asks the reader for at most */

typedef struct stored {
    uint64_t id;
    char *text;
    size_t len;
} stored;

typedef struct latest {
    char name[32];
    char *pending; /* formatted, waiting for its turn; NULL when none */
    size_t len;
    int64_t sent_ms; /* when the last one went out (monotonic) */
} latest;

typedef struct channel {
    char *name;
    ow_events_sub *subs;
    int nsubs;
    stored ring[OW_EVENTS_REPLAY];
    int ring_start, ring_n;
    latest latest[LATEST_MAX];
    int nlatest;
} channel;

struct ow_events_sub {
    ow_events *hub;
    channel *ch;
    ow_events_sub *prev, *next;
    struct MHD_Connection *conn;
    char *buf;
    size_t len, off, cap;
    bool suspended, dead, linked;
};

struct ow_events {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool closed, running;
    uint64_t next_id;
    channel **chans;
    int nchans, cap;
    int ping_s;
    int64_t last_ping_ms;
};

static int64_t mono_ms(void) {
    return ow_clock_mono_us() / 1000;
}

/* ---- buffers (hub locked) ---- */

static void wake(ow_events_sub *s) {
    if (s->suspended && s->conn) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    }
}

static void sub_append(ow_events_sub *s, const char *text, size_t n) {
    if (s->dead) return;
    size_t unsent = s->len - s->off;
    if (unsent + n > OW_EVENTS_MAX_BUFFERED) {
        /* the client stopped reading: cut it off rather than hold the memory */
        s->dead = true;
        wake(s);
        return;
    }
    if (s->off && s->len + n > s->cap) {
        memmove(s->buf, s->buf + s->off, unsent);
        s->len = unsent;
        s->off = 0;
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 1024;
        while (cap < s->len + n)
            cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b) {
            s->dead = true;
            wake(s);
            return;
        }
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, text, n);
    s->len += n;
    wake(s);
}

static void channel_send(channel *c, const char *text, size_t n) {
    for (ow_events_sub *s = c->subs; s; s = s->next)
        sub_append(s, text, n);
}

/* "id: N\nevent: NAME\ndata: …\n\n", one data line per line of data (malloc'ed). */
static char *format(uint64_t id, const char *name, const char *data, size_t *len) {
    size_t dn = data ? strlen(data) : 0, lines = 1;
    for (size_t i = 0; i < dn; i++)
        if (data[i] == '\n') lines++;
    size_t cap = 64 + strlen(name) + dn + lines * 8;
    char *t = malloc(cap);
    if (!t) return NULL;
    size_t k = 0;
    if (id) k += (size_t)snprintf(t + k, cap - k, "id: %llu\n", (unsigned long long)id);
    k += (size_t)snprintf(t + k, cap - k, "event: %s\n", name);
    const char *p = data ? data : "";
    do {
        const char *nl = strchr(p, '\n');
        size_t ln = nl ? (size_t)(nl - p) : strlen(p);
        memcpy(t + k, "data: ", 6);
        k += 6;
        memcpy(t + k, p, ln);
        k += ln;
        t[k++] = '\n';
        p = nl ? nl + 1 : NULL;
    } while (p);
    t[k++] = '\n';
    t[k] = '\0';
    *len = k;
    return t;
}

static channel *channel_get(ow_events *h, const char *name, bool create) {
    for (int i = 0; i < h->nchans; i++)
        if (!strcmp(h->chans[i]->name, name)) return h->chans[i];
    if (!create) return NULL;
    if (h->nchans == h->cap) {
        int cap = h->cap ? h->cap * 2 : 16;
        channel **v = realloc(h->chans, (size_t)cap * sizeof *v);
        if (!v) return NULL;
        h->chans = v;
        h->cap = cap;
    }
    channel *c = calloc(1, sizeof *c);
    if (!c || !(c->name = strdup(name))) {
        free(c);
        return NULL;
    }
    h->chans[h->nchans++] = c;
    return c;
}

static void ring_add(channel *c, uint64_t id, char *text, size_t len) {
    if (c->ring_n == OW_EVENTS_REPLAY) {
        free(c->ring[c->ring_start].text);
        c->ring_start = (c->ring_start + 1) % OW_EVENTS_REPLAY;
        c->ring_n--;
    }
    int at = (c->ring_start + c->ring_n) % OW_EVENTS_REPLAY;
    c->ring[at] = (stored){id, text, len};
    c->ring_n++;
}

/* ---- the hub's thread: latest-only events whose turn came, and pings ---- */

static void flush_latest(ow_events *h, int64_t now) {
    for (int i = 0; i < h->nchans; i++) {
        channel *c = h->chans[i];
        for (int j = 0; j < c->nlatest; j++) {
            latest *l = &c->latest[j];
            if (!l->pending || now - l->sent_ms < OW_EVENTS_LATEST_MS) continue;
            channel_send(c, l->pending, l->len);
            free(l->pending);
            l->pending = NULL;
            l->sent_ms = now;
        }
    }
}

static void *hub_main(void *arg) {
    ow_events *h = arg;
    pthread_mutex_lock(&h->mu);
    while (!h->closed) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&h->cv, &h->mu, &until);
        if (h->closed) break;
        int64_t now = mono_ms();
        flush_latest(h, now);
        if (now - h->last_ping_ms >= (int64_t)h->ping_s * 1000) {
            h->last_ping_ms = now;
            static const char ping[] = ": ping\n\n";
            for (int i = 0; i < h->nchans; i++)
                channel_send(h->chans[i], ping, sizeof ping - 1);
        }
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

ow_events *ow_events_new(int ping_s) {
    ow_events *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->ping_s = ping_s > 0 ? ping_s : 15;
    h->last_ping_ms = mono_ms();
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    if (pthread_create(&h->thread, NULL, hub_main, h)) {
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
        free(h);
        return NULL;
    }
    h->running = true;
    return h;
}

void ow_events_close(ow_events *h) {
    if (!h) return;
    pthread_mutex_lock(&h->mu);
    h->closed = true;
    for (int i = 0; i < h->nchans; i++)
        for (ow_events_sub *s = h->chans[i]->subs; s; s = s->next)
            wake(s);
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    if (h->running) pthread_join(h->thread, NULL);
    h->running = false;
}

void ow_events_free(ow_events *h) {
    if (!h) return;
    ow_events_close(h);
    for (int i = 0; i < h->nchans; i++) {
        channel *c = h->chans[i];
        if (c->nsubs)
            ow_log_warn("event streams left at free", "\"channel\":\"%s\",\"streams\":%d", c->name,
                        c->nsubs);
        for (int j = 0; j < c->ring_n; j++)
            free(c->ring[(c->ring_start + j) % OW_EVENTS_REPLAY].text);
        for (int j = 0; j < c->nlatest; j++)
            free(c->latest[j].pending);
        free(c->name);
        free(c);
    }
    free(h->chans);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    free(h);
}

uint64_t ow_events_publish(ow_events *h, const char *channel_name, const char *name,
                           const char *data, bool is_latest) {
    if (!h) return 0;
    pthread_mutex_lock(&h->mu);
    uint64_t id = 0;
    channel *c = h->closed ? NULL : channel_get(h, channel_name, true);
    if (!c) goto out;
    id = ++h->next_id;
    size_t len;
    char *text = format(id, name, data, &len);
    if (!text) {
        id = 0;
        goto out;
    }
    if (!is_latest) {
        channel_send(c, text, len);
        ring_add(c, id, text, len); /* the ring owns text now */
        goto out;
    }
    latest *l = NULL;
    for (int j = 0; j < c->nlatest; j++)
        if (!strcmp(c->latest[j].name, name)) l = &c->latest[j];
    if (!l && c->nlatest < LATEST_MAX) {
        l = &c->latest[c->nlatest++];
        snprintf(l->name, sizeof l->name, "%s", name);
        l->sent_ms = 0;
    }
    if (!l) { /* more latest-only names than foreseen: send it as it comes */
        channel_send(c, text, len);
        free(text);
        goto out;
    }
    int64_t now = mono_ms();
    free(l->pending);
    l->pending = NULL;
    if (now - l->sent_ms >= OW_EVENTS_LATEST_MS) {
        channel_send(c, text, len);
        free(text);
        l->sent_ms = now;
    } else {
        l->pending = text; /* the hub's thread sends it when its turn comes */
        l->len = len;
    }
out:
    pthread_mutex_unlock(&h->mu);
    return id;
}

/* Hub locked. */
static bool channel_seen(const channel *c, uint64_t id) {
    uint64_t oldest = UINT64_MAX;
    for (int j = 0; j < c->ring_n; j++) {
        uint64_t have = c->ring[(c->ring_start + j) % OW_EVENTS_REPLAY].id;
        if (have == id) return true;
        if (have < oldest) oldest = have;
    }
    return c->ring_n == OW_EVENTS_REPLAY && id < oldest;
}

uint64_t ow_events_publish_id(ow_events *h, const char *channel_name, const char *name,
                              const char *data, uint64_t id) {
    if (!h || !id) return 0;
    pthread_mutex_lock(&h->mu);
    channel *c = h->closed ? NULL : channel_get(h, channel_name, true);
    uint64_t out = 0;
    if (c && !channel_seen(c, id)) {
        size_t len;
        char *text = format(id, name, data, &len);
        if (text) {
            channel_send(c, text, len);
            ring_add(c, id, text, len); /* the ring owns text now */
            out = id;
        }
    }
    pthread_mutex_unlock(&h->mu);
    return out;
}

bool ow_events_seen(ow_events *h, const char *channel_name, uint64_t id) {
    if (!h) return false;
    pthread_mutex_lock(&h->mu);
    channel *c = channel_get(h, channel_name, false);
    bool seen = c && channel_seen(c, id);
    pthread_mutex_unlock(&h->mu);
    return seen;
}

int ow_events_subscribers(ow_events *h, const char *channel_name) {
    if (!h) return 0;
    pthread_mutex_lock(&h->mu);
    int n = 0;
    for (int i = 0; i < h->nchans; i++)
        if (!channel_name || !strcmp(h->chans[i]->name, channel_name)) n += h->chans[i]->nsubs;
    pthread_mutex_unlock(&h->mu);
    return n;
}

/* ---- streams ---- */

static void unlink_sub(ow_events_sub *s) {
    if (!s->linked) return;
    if (s->prev)
        s->prev->next = s->next;
    else
        s->ch->subs = s->next;
    if (s->next) s->next->prev = s->prev;
    s->ch->nsubs--;
    s->linked = false;
}

ow_events_sub *ow_events_subscribe(ow_events *h, const char *channel_name, uint64_t last_id,
                                   const char *first_name, const char *first_data) {
    if (!h) return NULL;
    ow_events_sub *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->hub = h;
    pthread_mutex_lock(&h->mu);
    channel *c = h->closed ? NULL : channel_get(h, channel_name, true);
    if (!c) {
        pthread_mutex_unlock(&h->mu);
        free(s);
        return NULL;
    }
    s->ch = c;
    char retry[32];
    int rn = snprintf(retry, sizeof retry, "retry: %d\n\n", RETRY_MS);
    sub_append(s, retry, (size_t)rn);
    if (first_name) {
        size_t len;
        char *t = format(0, first_name, first_data, &len);
        if (t) sub_append(s, t, len);
        free(t);
    }
    if (last_id)
        for (int j = 0; j < c->ring_n; j++) {
            const stored *e = &c->ring[(c->ring_start + j) % OW_EVENTS_REPLAY];
            if (e->id > last_id) sub_append(s, e->text, e->len);
        }
    s->next = c->subs;
    if (c->subs) c->subs->prev = s;
    c->subs = s;
    c->nsubs++;
    s->linked = true;
    pthread_mutex_unlock(&h->mu);
    return s;
}

void ow_events_sub_free(ow_events_sub *s) {
    if (!s) return;
    ow_events *h = s->hub;
    pthread_mutex_lock(&h->mu);
    unlink_sub(s);
    pthread_mutex_unlock(&h->mu);
    free(s->buf);
    free(s);
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)pos;
    ow_events_sub *s = cls;
    ow_events *h = s->hub;
    ssize_t out;
    pthread_mutex_lock(&h->mu);
    if (s->dead) {
        out = MHD_CONTENT_READER_END_WITH_ERROR;
    } else if (s->len > s->off) {
        size_t n = s->len - s->off;
        if (n > max) n = max;
        memcpy(buf, s->buf + s->off, n);
        s->off += n;
        if (s->off == s->len) s->off = s->len = 0;
        out = (ssize_t)n;
    } else if (h->closed) {
        out = MHD_CONTENT_READER_END_OF_STREAM;
    } else {
        /* nothing to send: leave MHD's loop until a publish (or a ping) resumes us */
        s->suspended = true;
        MHD_suspend_connection(s->conn);
        out = 0;
    }
    pthread_mutex_unlock(&h->mu);
    return out;
}

static void sub_gone(void *cls) {
    ow_events_sub_free(cls);
}

struct MHD_Response *ow_events_response(ow_events_sub *s, struct MHD_Connection *conn) {
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, BLOCK_BYTES, reader, s, sub_gone);
    if (!r) {
        ow_events_sub_free(s);
        return NULL;
    }
    pthread_mutex_lock(&s->hub->mu);
    s->conn = conn;
    pthread_mutex_unlock(&s->hub->mu);
    return r;
}
