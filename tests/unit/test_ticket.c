/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_ticket.c: the session ticket secret's file, as the parent reads
 * it at start and at each reload: hex as openssl and xxd write it, raw
 * bytes, and every file start-up must refuse (open to its group or
 * others, short, long, text that is not hex, not a file, missing),
 * with a reason that names the file.
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ticket.h"
#include "t.h"

static char	 dir[] = "/tmp/bantin-ticket-XXXXXX";
static char	 path[256];

/* 32 bytes 00 01 .. 1f as `openssl rand -hex 32` prints such */
#define HEX32	"000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"

static const struct {
	const char	*what;
	const char	*data;		/* NULL: raw, below */
	size_t		 len;		/* 0: strlen(data) */
	mode_t		 mode;
	size_t		 want;		/* bytes of secret; 0: refused */
	const char	*why;		/* in the reason, after the path */
} cases[] = {
	{ "openssl rand -hex 32", HEX32 "\n", 0, 0600, 32, NULL },
	{ "upper case, no newline", "000102030405060708090A0B0C0D0E0F"
	    "101112131415161718191A1B1C1D1E1F", 0, 0400, 32, NULL },
	{ "xxd -p: lines of 60", "000102030405060708090a0b0c0d0e0f10111213"
	    "1415161718191a1b1c1d\n1e1f\n", 0, 0600, 32, NULL },
	{ "CRLF and spaces", "  " HEX32 HEX32 "\r\n\r\n", 0, 0600, 64, NULL },
	{ "raw bytes", NULL, 32, 0600, 32, NULL },
	{ "raw, a line end kept", NULL, 48, 0600, 48, NULL },
	{ "group may read", HEX32 "\n", 0, 0640,
	    0, "mode 0640 lets its group or others at it" },
	{ "others may read", HEX32 "\n", 0, 0644, 0, "mode 0644" },
	{ "group may write", HEX32 "\n", 0, 0620, 0, "mode 0620" },
	{ "others may run it", HEX32 "\n", 0, 0601, 0, "chmod 600" },
	{ "16 bytes of hex", "000102030405060708090a0b0c0d0e0f\n", 0, 0600,
	    0, "16 bytes of secret, fewer than 32; make one with "
	    "openssl rand -hex 32 >" },
	{ "empty", "", 0, 0600, 0, "0 bytes of secret, fewer than 32" },
	{ "a line end only", "\n", 0, 0600, 0, "0 bytes of secret" },
	{ "odd hex digits", HEX32 "0\n", 0, 0600, 0,
	    "an odd number of hex digits (65)" },
	{ "a passphrase", "correct horse battery staple, twice over!\n", 0,
	    0600, 0, "text that is not hex digits" },
	{ "base64", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", 0,
	    0600, 0, "text that is not hex digits" },
	{ "zeros", "0000000000000000000000000000000000000000000000000000"
	    "000000000000\n", 0, 0600, 0, "one byte repeated is not a secret" },
};

/* path with len bytes of data (raw: bytes 0x80 on, and a line end
 * after the first 40) */
static void
write_file(const char *data, size_t len, mode_t mode)
{
	unsigned char	 raw[64];
	size_t		 i;
	int		 fd;

	if (data == NULL) {
		for (i = 0; i < sizeof(raw); i++)
			raw[i] = (unsigned char)(0x80 + i);
		if (len > 40)
			raw[len - 1] = '\n';
		data = (const char *)raw;
	} else if (len == 0)
		len = strlen(data);
	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1 ||
	    write(fd, data, len) != (ssize_t)len || close(fd) == -1 ||
	    chmod(path, mode) == -1) {
		perror(path);
		exit(1);
	}
}

/* the reason names the key and the file, then says why */
static void
check_refused(const char *err, const char *why)
{
	char	 want[512];

	snprintf(want, sizeof(want), "gemini:ticket_secret: %s: ", path);
	CHECK(strncmp(err, want, strlen(want)) == 0);
	CHECK_HAS(err, why);
}

static void
test_cases(void)
{
	struct ticket_secret	 s;
	char			 err[1024];
	size_t			 i;
	int			 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(cases[i].data, cases[i].len, cases[i].mode);
		err[0] = '\0';
		r = ticket_secret_read(path, &s, err, sizeof(err));
		if ((r == 0) != (cases[i].want > 0))
			fprintf(stderr, "case '%s': %d, %s\n", cases[i].what,
			    r, err);
		if (cases[i].want > 0) {
			CHECK_INT(r, 0);
			CHECK_INT(s.len, cases[i].want);
			CHECK_INT(s.key[0], cases[i].data ? 0x00 : 0x80);
			CHECK_INT(s.key[31], cases[i].data ? 0x1f : 0x9f);
		} else {
			CHECK_INT(r, -1);
			CHECK_INT(s.len, 0);
			check_refused(err, cases[i].why);
		}
	}
}

/* the other ways a path is not a secret file */
static void
test_not_files(void)
{
	struct ticket_secret	 s;
	char			 err[1024], big[TICKET_FILE_MAX + 2];
	size_t			 i;

	/* none set: none read, and no error */
	s.len = 1;
	CHECK_INT(ticket_secret_read("", &s, err, sizeof(err)), 0);
	CHECK_INT(s.len, 0);

	unlink(path);
	CHECK_INT(ticket_secret_read(path, &s, err, sizeof(err)), -1);
	check_refused(err, "No such file or directory");

	snprintf(path, sizeof(path), "%s", dir);
	chmod(dir, 0700);
	CHECK_INT(ticket_secret_read(path, &s, err, sizeof(err)), -1);
	check_refused(err, "not a regular file");

	snprintf(path, sizeof(path), "%s/fifo", dir);
	CHECK_INT(mkfifo(path, 0600), 0);
	CHECK_INT(ticket_secret_read(path, &s, err, sizeof(err)), -1);
	check_refused(err, "not a regular file");
	unlink(path);

	/* as long as a secret file may be, then a byte more */
	snprintf(path, sizeof(path), "%s/secret", dir);
	for (i = 0; i < TICKET_FILE_MAX; i++)
		big[i] = "0123456789abcdef"[i % 16];
	big[TICKET_FILE_MAX - 1] = '\n';
	big[TICKET_FILE_MAX - 2] = '\n';
	write_file(big, TICKET_FILE_MAX - 2, 0600);
	CHECK_INT(ticket_secret_read(path, &s, err, sizeof(err)), -1);
	check_refused(err, "more than 1024 bytes of secret");
	memset(big, 0x90, sizeof(big));
	big[1] = 0x91;
	write_file(big, TICKET_SECRET_MAX, 0600);
	CHECK_INT(ticket_secret_read(path, &s, err, sizeof(err)), 0);
	CHECK_INT(s.len, TICKET_SECRET_MAX);
	write_file(big, TICKET_SECRET_MAX + 1, 0600);
	CHECK_INT(ticket_secret_read(path, &s, err, sizeof(err)), -1);
	check_refused(err, "more than 1024 bytes of secret");
	write_file(big, TICKET_FILE_MAX + 1, 0600);
	CHECK_INT(ticket_secret_read(path, &s, err, sizeof(err)), -1);
	check_refused(err, "longer than 4096 bytes");
	ticket_secret_clear(&s);
	CHECK_INT(s.len, 0);
	unlink(path);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/secret", dir);
	test_cases();
	test_not_files();
	unlink(path);
	rmdir(dir);
	return t_done("test_ticket");
}
