/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * sandbox.c: every platform #ifdef for confinement lives here. On
 * Linux a worker sets no_new_privs, so nothing it could exec gains
 * privileges, and drops the ability to produce core dumps that would
 * hold the TLS key. Landlock rules for the capsule and state folders
 * are the next step (see README, "Security").
 */

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "sandbox.h"

int
sandbox_enter(void)
{
#ifdef __linux__
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return -1;
#endif
	return 0;
}
