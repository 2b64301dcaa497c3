/*
 * site_walk.h: the walk of the tree, for site.c (site_load) only.
 */
#ifndef SITE_WALK_H
#define SITE_WALK_H

struct scan;

/* the whole tree into sc->s; -1 if the root fails */
int	 site_walk(struct scan *);

#endif
