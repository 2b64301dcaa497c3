/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * sandbox.c: every platform #ifdef for confinement lives here. On
 * Linux a worker sets no_new_privs, so nothing it could exec gains
 * privileges, and drops the ability to produce core dumps that would
 * hold the TLS key. Then Landlock confines its file system: it may
 * read the site's tree and the system's libraries and data (libmagic's
 * database, iconv's modules), and read and write its state folder (the
 * search catalog, whose WAL index readers write, and SQLite's temporary
 * files); nothing else. A worker that is made to misbehave still
 * cannot read /etc, a home folder or the TLS key, nor write outside
 * the state folder. A kernel without Landlock gets the first two steps
 * only, and the worker logs it once.
 */

#ifdef __linux__
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/landlock.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

#ifdef __linux__

#define FS_READ	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_WRITE (LANDLOCK_ACCESS_FS_WRITE_FILE | \
	LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_FILE)
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#endif
/* ABI 1's rights, then REFER (2) and TRUNCATE (3) when known */
#define FS_ABI1	((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)

/* read-only everywhere a worker may need the system's files; its own
 * /proc folder for the leak checker of SANITIZE=1 builds */
static const char *const sandbox_system[] = {
	"/usr", "/lib", "/lib64", "/etc/magic", "/etc/localtime",
	"/dev/urandom", "/dev/null", "/proc/self", NULL
};

static int
add_rule(int ruleset, const char *path, uint64_t access, uint64_t handled)
{
	struct landlock_path_beneath_attr	 pb;
	struct stat				 st;
	int					 fd, rc;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	memset(&pb, 0, sizeof(pb));
	pb.parent_fd = fd;
	pb.allowed_access = access & handled;
	/* a file takes only the rights that apply to files */
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		pb.allowed_access &= LANDLOCK_ACCESS_FS_READ_FILE |
		    LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_EXECUTE |
		    LANDLOCK_ACCESS_FS_TRUNCATE;
	rc = (int)syscall(SYS_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	close(fd);
	return rc;
}

static int
landlock(const char *const *readable, const char *const *writable)
{
	struct landlock_ruleset_attr	 attr;
	uint64_t			 handled;
	size_t				 i;
	int				 abi, ruleset;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return 1;			/* not in this kernel */
	handled = FS_ABI1;
	if (abi >= 2)
		handled |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = handled;
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr,
	    sizeof(attr), 0);
	if (ruleset == -1)
		return -1;
	for (i = 0; sandbox_system[i] != NULL; i++)
		if (add_rule(ruleset, sandbox_system[i], FS_READ, handled)
		    == -1)
			goto fail;
	for (i = 0; readable != NULL && readable[i] != NULL; i++)
		if (add_rule(ruleset, readable[i], FS_READ, handled) == -1)
			goto fail;
	for (i = 0; writable != NULL && writable[i] != NULL; i++)
		if (add_rule(ruleset, writable[i], FS_READ | FS_WRITE |
		    LANDLOCK_ACCESS_FS_TRUNCATE, handled) == -1)
			goto fail;
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) == -1)
		goto fail;
	close(ruleset);
	return 0;
fail:
	close(ruleset);
	return -1;
}
#endif

int
sandbox_enter(const char *const *readable, const char *const *writable)
{
#ifdef __linux__
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return -1;
	return landlock(readable, writable);
#else
	(void)readable;
	(void)writable;
	return 1;
#endif
}
