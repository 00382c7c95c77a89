/* followers.h — the list a module keeps of its followers: static descriptions that other
 * modules register at start-up (app/app.c), so that the module announces what happened
 * (the calendar changed, a case was approved, the sweep runs) instead of calling up into
 * them, and dependencies point one way (docs/architecture.md "Modules"). */
#ifndef OW_CORE_FOLLOWERS_H
#define OW_CORE_FOLLOWERS_H

#define OW_FOLLOWERS_MAX 8

typedef struct ow_followers {
    const void *v[OW_FOLLOWERS_MAX]; /* in registration order */
    int n;
} ow_followers;

/* Add f (static storage) once; adding it again does nothing.  A list is full at
 * OW_FOLLOWERS_MAX, far above what the platform registers (asserted). */
void ow_followers_add(ow_followers *l, const void *f);

#endif
