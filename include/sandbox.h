/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * sandbox.h: what a worker gives up once it serves.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

/*
 * A worker that makes a system call its filter does not allow logs it
 * and exits with this status (128 + SIGSYS, as a shell reports a death
 * by that signal).
 */
#define SANDBOX_EXIT_FILTER	159

/*
 * Called in each worker as the last step before its loop runs: no new
 * privileges, no core dumps; Landlock: file access only to the
 * system's files, read-only, the NULL-terminated readable folders,
 * read-only, and the writable ones, no TCP bind or connect, no signal
 * to a process outside, no abstract socket outside; then the system
 * call filter. Returns 0 when all of it is in force, 1 when this
 * kernel lacks some of it (sandbox_lacks says what; the rest is in
 * force), -1 on error.
 */
int	sandbox_enter(const char *const *readable,
	    const char *const *writable);

/* What this kernel lacks of the above, in words for the log, or NULL. */
const char	*sandbox_lacks(void);

/* Whether a worker's wait status says its filter stopped it. */
int	sandbox_filtered(int status);

#endif
