/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_sandbox: a process confined by sandbox_enter reads its tree,
 * reads and writes its state folder, reads the system's libraries,
 * and nothing else: no file outside, no write in the tree. Each case
 * runs in a child, since confinement cannot be undone.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "t.h"

static char	 dir[64];

/* in a child: confine, then try; exit 0 if allowed, 1 if refused */
static int
try(const char *path, int flags)
{
	char		 root[128], state[128], one[128], file[256];
	const char	*readable[2], *writable[3];
	pid_t		 pid;
	int		 st, fd;

	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(state, sizeof(state), "%s/state", dir);
	readable[0] = root;
	readable[1] = NULL;
	snprintf(one, sizeof(one), "%s/catalog.db-wal", dir);
	writable[0] = state;
	writable[1] = one;		/* a file of its own */
	writable[2] = NULL;
	if (path[0] == '/')
		snprintf(file, sizeof(file), "%s", path);
	else
		snprintf(file, sizeof(file), "%s/%s", dir, path);
	if ((pid = fork()) == 0) {
		if (sandbox_enter(readable, writable) != 0)
			_exit(3);
		fd = open(file, flags | O_CLOEXEC, 0600);
		if (fd == -1)
			_exit(errno == EACCES ? 1 : 2);
		_exit(0);
	}
	if (pid == -1 || waitpid(pid, &st, 0) == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int
main(void)
{
	static const struct {
		const char	*path;
		int		 flags;
		int		 want;	/* 0 allowed, 1 refused */
	} cases[] = {
		{ "root/a.gmi", O_RDONLY, 0 },
		{ "root/sub/b.md", O_RDONLY, 0 },
		{ "root/sub", O_RDONLY | O_DIRECTORY, 0 },
		{ "root/a.gmi", O_WRONLY, 1 },
		{ "root/new.gmi", O_WRONLY | O_CREAT, 1 },
		{ "state/catalog.db", O_RDWR, 0 },
		{ "state/catalog.db-shm", O_RDWR | O_CREAT, 0 },
		{ "catalog.db-wal", O_RDWR, 0 },
		{ "counter", O_RDONLY, 1 },	/* beside that file */
		{ "outside.txt", O_RDONLY, 1 },
		{ "key.pem", O_RDONLY, 1 },
		{ "/etc/passwd", O_RDONLY, 1 },
		{ "/etc/hostname", O_RDONLY, 1 },
		{ "/usr/lib/os-release", O_RDONLY, 0 },
		{ "/proc/self/maps", O_RDONLY, 0 },	/* the leak checker */
		{ "/proc/1/environ", O_RDONLY, 1 },
	};
	char	 path[256];
	size_t	 i;
	int	 fd, got;

	snprintf(dir, sizeof(dir), "/tmp/test_sandbox.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		CHECK(0);
		return t_done("test_sandbox");
	}
	snprintf(path, sizeof(path), "%s/root", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/root/sub", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/state", dir);
	mkdir(path, 0700);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].path[0] == '/' || (cases[i].flags & O_CREAT) ||
		    (cases[i].flags & O_DIRECTORY))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, cases[i].path);
		if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1)
			close(fd);
	}
	/* the kernel must have Landlock for the rest to mean anything */
	got = try("root/a.gmi", O_RDONLY);
	if (got == 3) {
		fprintf(stderr, "no Landlock in this kernel\n");
		CHECK_INT(got, 3);
	} else
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			got = try(cases[i].path, cases[i].flags);
			if (got != cases[i].want)
				fprintf(stderr, "%s\n", cases[i].path);
			CHECK_INT(got, cases[i].want);
		}
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CHECK_INT(system(path), 0);
	return t_done("test_sandbox");
}
