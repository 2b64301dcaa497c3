/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * sandbox.h: what a worker gives up once it serves.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

/*
 * Called in each worker before its loop runs: no new privileges, no
 * core dumps, and (Landlock) file access only to the system's files,
 * read-only, the NULL-terminated readable folders, read-only, and the
 * writable ones. Returns 0 when confined, 1 when this kernel has no
 * Landlock (the first two steps are done), -1 on error.
 */
int	sandbox_enter(const char *const *readable,
	    const char *const *writable);

#endif
