/*
 * site_patch.h: a reload made by patching the running snapshot, for
 * site_load.c only.
 */
#ifndef SITE_PATCH_H
#define SITE_PATCH_H

#include <stddef.h>

struct scan;
struct site_watch_change;

/*
 * Into sc->s (new, empty, its root open): sc->prev patched with the
 * changes the watch saw (site_watch_changes). 1 if it is made; 0 if a
 * patch cannot be made (nothing is made: a walk is due); -1 on ENOMEM.
 */
int	 site_patch(struct scan *, const struct site_watch_change *, size_t);
/* The tag index of the patched, sorted sc->s (its kept_from made) from
 * sc->prev's: 0, or -1 on ENOMEM. */
int	 site_patch_tags(struct scan *);

#endif
