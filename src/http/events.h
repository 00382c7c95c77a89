/* events.h — live updates as Server-Sent Events (text/event-stream; the decision and the
 * measurements are in docs/decisions/0005-live-updates-sse.md).
 *
 * A hub holds named channels ("hall/C00"); a handler answers a GET with the channel's
 * stream (ow_reply_events in http.h), and anybody holding the hub publishes to it.  Each
 * event is formatted once and appended to every subscriber's buffer; a subscriber with
 * nothing to send has its connection suspended (MHD_suspend_connection from the content
 * reader, the one place libmicrohttpd allows it), and a publish resumes it.  So an idle
 * stream costs no thread and no polling, and one publish to 500 streams is 500 appends
 * and 500 resumes.
 *
 * - Replay: a channel keeps its last OW_EVENTS_REPLAY events; a client that reconnects
 *   with Last-Event-ID gets what it missed (EventSource sends the header by itself).
 * - Latest-only events (a board's state): a newer one replaces one not yet sent, and a
 *   channel sends them at most every OW_EVENTS_LATEST_MS; they are not replayed (the
 *   first event of every stream is the state as it is).
 * - A comment line every ping_s keeps proxies from closing an idle stream and finds
 *   clients that went away (a suspended connection cannot notice it by itself).
 * - A subscriber whose unsent data passes OW_EVENTS_MAX_BUFFERED (a client that stopped
 *   reading) is cut off; its EventSource reconnects and resynchronises.
 * - ow_events_close ends every stream: call it before stopping the server, which waits
 *   for its requests to end. */
#ifndef OW_HTTP_EVENTS_H
#define OW_HTTP_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OW_EVENTS_REPLAY 64
#define OW_EVENTS_LATEST_MS 300
#define OW_EVENTS_MAX_BUFFERED (256 * 1024)

typedef struct ow_events ow_events;

/* A hub pinging idle streams every ping_s seconds; NULL when out of memory. */
ow_events *ow_events_new(int ping_s);
/* End every stream and refuse new ones (before ow_server_stop). */
void ow_events_close(ow_events *h);
/* Free the hub once the server that used it has stopped. */
void ow_events_free(ow_events *h);

/* Send event `name` with data (one line of JSON) to every stream of channel; returns its
 * id (0 when the hub is closed).  latest: a state that a newer one replaces (above). */
uint64_t ow_events_publish(ow_events *h, const char *channel, const char *name, const char *data,
                           bool latest);
/* The same for an event whose id comes from elsewhere (a database row, the same on every
 * node): nothing is sent, and 0 returned, when the channel has already had that id — so a
 * node may publish what it did at once and again when it reads it back with what the
 * other nodes did.  Ids need not arrive in order (rows commit out of order); one older
 * than every id still in a full replay ring counts as had. */
uint64_t ow_events_publish_id(ow_events *h, const char *channel, const char *name, const char *data,
                              uint64_t id);
/* Whether channel has had event id (as above), to skip formatting it again. */
bool ow_events_seen(ow_events *h, const char *channel, uint64_t id);
/* Streams open on channel now (NULL: on every channel). */
int ow_events_subscribers(ow_events *h, const char *channel);

/* ---- for http/server.c ---- */

struct MHD_Connection;
struct MHD_Response;
typedef struct ow_events_sub ow_events_sub;

/* A new stream of channel that starts with event first_name (its data first_data, may be
 * NULL for none), then what was published after last_id (0: nothing old), then what
 * comes.  NULL when the hub is closed or out of memory. */
ow_events_sub *ow_events_subscribe(ow_events *h, const char *channel, uint64_t last_id,
                                   const char *first_name, const char *first_data);
/* The response that streams s on conn; s belongs to the response from here on (it is
 * freed when the connection ends).  NULL on failure (s is then freed). */
struct MHD_Response *ow_events_response(ow_events_sub *s, struct MHD_Connection *conn);
/* Free a stream that never became a response. */
void ow_events_sub_free(ow_events_sub *s);

#endif
