/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * loop.c: the event loop of a process: epoll over non-blocking fds,
 * each with one callback, and one periodic tick for deadlines and
 * timers. Single-threaded; a callback may add or delete any fd,
 * including its own. Signal handlers never run work here: they write
 * to a self-pipe that is just another fd (see server.c).
 */

#include <sys/epoll.h>
#include <sys/time.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

struct loop_fd {
	loop_fd_cb	*cb;
	void		*arg;
	int		 events;	/* current interest, -1 = unused */
};

struct loop {
	int		 epfd;
	struct loop_fd	*fds;		/* indexed by fd */
	int		 nfds;
	int		 stop;
	int		 tick_ms;
	loop_tick_cb	*tick_cb;
	void		*tick_arg;
	long long	 next_tick;	/* monotonic ms */
	loop_tick_cb	*after_cb;
	void		*after_arg;
};

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned int
epoll_bits(int events)
{
	unsigned int	 e = 0;

	if (events & LOOP_READ)
		e |= EPOLLIN;
	if (events & LOOP_WRITE)
		e |= EPOLLOUT;
	if (events & LOOP_EXCLUSIVE)
		e |= EPOLLEXCLUSIVE;
	return e;
}

struct loop *
loop_new(void)
{
	struct loop	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(l);
		return NULL;
	}
	return l;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	close(l->epfd);
	free(l->fds);
	free(l);
}

static int
grow(struct loop *l, int fd)
{
	struct loop_fd	*p;
	int		 n, i;

	if (fd < l->nfds)
		return 0;
	n = l->nfds ? l->nfds : 64;
	while (n <= fd)
		n *= 2;
	if ((p = reallocarray(l->fds, (size_t)n, sizeof(*p))) == NULL)
		return -1;
	for (i = l->nfds; i < n; i++) {
		p[i].cb = NULL;
		p[i].arg = NULL;
		p[i].events = -1;
	}
	l->fds = p;
	l->nfds = n;
	return 0;
}

int
loop_add(struct loop *l, int fd, int events, loop_fd_cb *cb, void *arg)
{
	struct epoll_event	 ev;

	if (fd < 0 || grow(l, fd) == -1)
		return -1;
	memset(&ev, 0, sizeof(ev));
	ev.events = epoll_bits(events);
	ev.data.fd = fd;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) == -1)
		return -1;
	l->fds[fd].cb = cb;
	l->fds[fd].arg = arg;
	l->fds[fd].events = events;
	return 0;
}

int
loop_mod(struct loop *l, int fd, int events)
{
	struct epoll_event	 ev;

	if (fd < 0 || fd >= l->nfds || l->fds[fd].events == -1)
		return -1;
	if (l->fds[fd].events == events)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.events = epoll_bits(events);
	ev.data.fd = fd;
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) == -1)
		return -1;
	l->fds[fd].events = events;
	return 0;
}

void
loop_del(struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->nfds || l->fds[fd].events == -1)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	l->fds[fd].cb = NULL;
	l->fds[fd].arg = NULL;
	l->fds[fd].events = -1;
}

void
loop_forget(struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->nfds)
		return;
	l->fds[fd].cb = NULL;
	l->fds[fd].arg = NULL;
	l->fds[fd].events = -1;
}

void
loop_tick(struct loop *l, int ms, loop_tick_cb *cb, void *arg)
{
	l->tick_ms = ms;
	l->tick_cb = cb;
	l->tick_arg = arg;
	l->next_tick = now_ms() + ms;
}

void
loop_after(struct loop *l, loop_tick_cb *cb, void *arg)
{
	l->after_cb = cb;
	l->after_arg = arg;
}

void
loop_stop(struct loop *l)
{
	l->stop = 1;
}

int
loop_run(struct loop *l)
{
	struct epoll_event	 evs[64];
	struct loop_fd		*f;
	long long		 now;
	int			 n, i, fd, ev, timeout;

	l->stop = 0;
	while (!l->stop) {
		timeout = -1;
		if (l->tick_cb != NULL) {
			now = now_ms();
			timeout = l->next_tick > now ?
			    (int)(l->next_tick - now) : 0;
		}
		n = epoll_wait(l->epfd, evs, 64, timeout);
		if (n == -1 && errno != EINTR)
			return -1;
		for (i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd >= l->nfds || l->fds[fd].events == -1)
				continue;	/* deleted by an earlier cb */
			f = &l->fds[fd];
			ev = 0;
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				ev |= LOOP_READ;
			if (evs[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
				ev |= LOOP_WRITE;
			f->cb(l, fd, ev, f->arg);
		}
		if (l->after_cb != NULL)
			l->after_cb(l, l->after_arg);
		if (l->tick_cb != NULL && now_ms() >= l->next_tick) {
			l->next_tick = now_ms() + l->tick_ms;
			l->tick_cb(l, l->tick_arg);
		}
	}
	return 0;
}
