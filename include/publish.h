/*
 * publish.h: the master's side of Titan (titan.h): a channel to each
 * worker, and the uploads that come over them checked again, written
 * into the tree and answered once the site is reloaded with them.
 */
#ifndef PUBLISH_H
#define PUBLISH_H

struct authors;
struct config;
struct loop;
struct site;

struct publish;

/* conf and site are the master's, read at each upload (they change at
 * each reload). */
struct publish	*publish_new(const struct config *const *conf,
		    struct site *const *site);
void		 publish_free(struct publish *);
/* The authors of conf when Titan is on (*out NULL when it is off):
 * 0, or -1 with every problem logged as "file:line: reason". */
int		 publish_authors(const struct config *, struct authors **out);
/* Take a new authors table (the running one's is freed); the workers
 * forked from now on get it too. */
void		 publish_use(struct publish *, struct authors *);
const struct authors *publish_table(const struct publish *);
/* At start, when no upload is in flight: the temporaries of writes a
 * crash or a kill cut short (publish_temp_name's) removed from the
 * tree's folders, each logged; nothing else is touched. */
void		 publish_sweep(struct publish *);
/* Is name an upload's temporary, ".titan.<pid>.<n>"? */
int		 publish_temp_name(const char *name);
/* Watch the channels in loop, those made before it and after. */
void		 publish_watch(struct publish *, struct loop *);
/* Before the fork of the worker of slot: a channel to it, when Titan
 * is on; the worker's end, or -1. */
int		 publish_channel(struct publish *, int slot);
/* In a new worker: the master's ends of every channel closed. */
void		 publish_child(struct publish *);
/* The worker of slot is gone: its channel too. */
void		 publish_gone(struct publish *, int slot);
/* Written since the last answer: a reload is due. */
int		 publish_due(const struct publish *);
/* After that reload (reloaded: whether it took), every upload written
 * is answered. */
void		 publish_answer(struct publish *, int reloaded);

#endif
