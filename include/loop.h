/*
 * loop.h: a small epoll event loop, one per process.
 */
#ifndef LOOP_H
#define LOOP_H

#define LOOP_READ	0x1
#define LOOP_WRITE	0x2
#define LOOP_EXCLUSIVE	0x4	/* listeners: wake one process (add only) */

struct loop;

typedef void loop_fd_cb(struct loop *, int fd, int events, void *arg);
typedef void loop_tick_cb(struct loop *, void *arg);

struct loop	*loop_new(void);
void		 loop_free(struct loop *);
int		 loop_add(struct loop *, int fd, int events, loop_fd_cb *,
		    void *);
int		 loop_mod(struct loop *, int fd, int events);
void		 loop_del(struct loop *, int fd);
/* Drop fd from the table only: for an fd about to be closed (close
 * removes it from epoll, as long as no other process shares it). */
void		 loop_forget(struct loop *, int fd);
/* Call cb about every ms milliseconds (one tick per loop). */
void		 loop_tick(struct loop *, int ms, loop_tick_cb *, void *);
/* Call cb after each pass over the ready fds. */
void		 loop_after(struct loop *, loop_tick_cb *, void *);
int		 loop_run(struct loop *);	/* until loop_stop() */
void		 loop_stop(struct loop *);

#endif
