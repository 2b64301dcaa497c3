/* test_buf.c: growable buffers, and files read into them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "t.h"

/* a file's bytes read whole, plain and as a secret: empty, smaller
 * than the hint, the hint, past it (the block grows, wiped for a
 * secret), past max */
static const struct {
	size_t	 size, hint, max;
	int	 ok;
} reads[] = {
	{ 0, 0, 100, 1 },
	{ 1, 0, 100, 1 },
	{ 300, 301, 1000, 1 },
	{ 300, 10, 1000, 1 },
	{ 70000, 100, 100000, 1 },
	{ 70000, 70001, 100000, 1 },
	{ 5000, 0, 4999, 0 },
};

static void
test_read(void)
{
	char	 path[32];
	FILE	*f;
	size_t	 i, k;
	int	 fd, secret, r;

	for (i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		for (secret = 0; secret < 2; secret++) {
			struct buf	 b = BUF_INIT;

			snprintf(path, sizeof(path), "/tmp/bantin-buf-XXXXXX");
			if ((fd = mkstemp(path)) == -1 ||
			    (f = fdopen(fd, "w")) == NULL) {
				CHECK(0);
				return;
			}
			for (k = 0; k < reads[i].size; k++)
				fputc('a' + (int)(k % 26), f);
			fclose(f);
			fd = open(path, O_RDONLY);
			errno = 0;
			r = secret ? buf_read_secret(&b, fd, reads[i].max,
			    reads[i].hint) : buf_read_fd(&b, fd, reads[i].max,
			    reads[i].hint);
			close(fd);
			unlink(path);
			CHECK_INT(r, reads[i].ok ? 0 : -1);
			if (!reads[i].ok) {
				CHECK_INT(errno, EFBIG);
				buf_free(&b);
				continue;
			}
			CHECK_INT(b.len, reads[i].size);
			CHECK(b.data[b.len] == '\0');
			for (k = 0; k < b.len && b.data[k] == 'a' +
			    (int)(k % 26); k++)
				;
			CHECK_INT(k, reads[i].size);
			buf_free(&b);
		}
}

/* a buffer written whole to a file and read back: empty, small, past a
 * pipe's 64 KB; a closed descriptor is an error with errno */
/*
 * A file of known size, from a pipe whose writer stays open and whose
 * reader does not wait: a read after the last byte fails (EAGAIN), so
 * the rows that must stop short at the size say that no further read
 * was made. The size said may be the file's, or less (it grew since:
 * read to its end), or more (it shrank: read to its end).
 */
static const struct {
	size_t	 size, said, max;
	int	 ends;		/* the writer closes before the read */
	int	 ok;
	size_t	 len;
} file_reads[] = {
	{ 0, 0, 100, 1, 1, 0 },		/* empty: its end */
	{ 1, 1, 100, 0, 1, 1 },
	{ 300, 300, 1000, 0, 1, 300 },
	{ 5000, 5000, 10000, 0, 1, 5000 },
	{ 300, 200, 1000, 1, 1, 300 },		/* grew */
	{ 300, 200, 1000, 0, 0, 0 },		/* grew, still open: waits */
	{ 300, 400, 1000, 1, 1, 300 },		/* shrank */
	{ 5000, 5000, 4999, 0, 0, 0 },		/* past max */
};

static void
test_read_file(void)
{
	char	 bytes[10000];
	size_t	 i, k;
	int	 p[2], r;

	for (k = 0; k < sizeof(bytes); k++)
		bytes[k] = (char)('a' + (int)(k % 26));
	for (i = 0; i < sizeof(file_reads) / sizeof(file_reads[0]); i++) {
		struct buf	 b = BUF_INIT;

		if (pipe(p) == -1 ||
		    write(p[1], bytes, file_reads[i].size) !=
		    (ssize_t)file_reads[i].size) {
			CHECK(0);
			return;
		}
		if (file_reads[i].ends) {
			close(p[1]);
			p[1] = -1;
		}
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		r = buf_read_file(&b, p[0], file_reads[i].max,
		    file_reads[i].said);
		close(p[0]);
		if (p[1] != -1)
			close(p[1]);
		CHECK_INT(r, file_reads[i].ok ? 0 : -1);
		if (r == 0) {
			CHECK_INT(b.len, file_reads[i].len);
			CHECK(b.data[b.len] == '\0');
			CHECK(memcmp(b.data, bytes, b.len) == 0);
		}
		buf_free(&b);
	}
}

static void
test_write(void)
{
	static const size_t	 sizes[] = { 0, 1, 300, 70000, 300000 };
	struct buf		 b, back;
	char			 path[32];
	size_t			 i, k;
	int			 fd;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		buf_init(&b);
		buf_init(&back);
		for (k = 0; k < sizes[i]; k++)
			buf_putc(&b, 'a' + (int)(k % 26));
		snprintf(path, sizeof(path), "/tmp/bantin-buf-XXXXXX");
		if ((fd = mkstemp(path)) == -1) {
			CHECK(0);
			return;
		}
		CHECK_INT(buf_write_fd(&b, fd), 0);
		close(fd);
		fd = open(path, O_RDONLY);
		CHECK_INT(buf_read_fd(&back, fd, 1 << 20, 0), 0);
		close(fd);
		unlink(path);
		CHECK_INT(back.len, sizes[i]);
		CHECK(sizes[i] == 0 || memcmp(back.data, b.data, b.len) == 0);
		buf_free(&b);
		buf_free(&back);
	}
	buf_init(&b);
	CHECK_INT(buf_puts(&b, "x"), 0);
	errno = 0;
	CHECK_INT(buf_write_fd(&b, -1), -1);
	CHECK_INT(errno, EBADF);
	buf_free(&b);
}

/* a record written and read back; every read past its end, at every
 * length it could be cut to, sets bad and reads nothing more */
static void
test_record(void)
{
	struct buf	 b = BUF_INIT;
	struct buf_rd	 r;
	const char	*v;
	size_t		 cut, whole;

	CHECK_INT(buf_put_u32(&b, 7), 0);
	CHECK_INT(buf_put_u64(&b, (uint64_t)-3600), 0);
	CHECK_INT(buf_append(&b, "xin", 3), 0);
	CHECK_INT(buf_put_u32(&b, 0xfffffffeu), 0);
	whole = b.len;
	CHECK_INT(whole, 4 + 8 + 3 + 4);
	for (cut = 0; cut <= whole; cut++) {
		r.p = b.data;
		r.left = cut;
		r.bad = 0;
		CHECK(buf_rd_u32(&r) == (cut >= 4 ? 7u : 0u));
		CHECK((int64_t)buf_rd_u64(&r) == (cut >= 12 ? -3600 : 0));
		v = buf_rd_bytes(&r, 3);
		CHECK(cut >= 15 ? v != NULL && memcmp(v, "xin", 3) == 0 :
		    v == NULL);
		CHECK(buf_rd_u32(&r) == (cut == whole ? 0xfffffffeu : 0u));
		CHECK_INT(r.bad, cut < whole);
		CHECK(r.bad || r.left == 0);
	}
	/* once bad, the rest is not read, however much is left */
	r.p = b.data;
	r.left = whole;
	r.bad = 0;
	CHECK(buf_rd_bytes(&r, whole + 1) == NULL && r.bad);
	CHECK(buf_rd_u32(&r) == 0 && r.left == whole);
	buf_free(&b);
}

int
main(void)
{
	struct buf	 b = BUF_INIT;
	char		*s;
	size_t		 n, i;

	CHECK_INT(buf_puts(&b, "xin "), 0);
	CHECK_INT(buf_printf(&b, "chào %d", 42), 0);
	CHECK_STR(b.data, "xin chào 42");
	CHECK_INT(b.len, strlen("xin chào 42"));
	buf_reset(&b);
	CHECK_STR(b.data, "");
	for (i = 0; i < 10000; i++)
		buf_putc(&b, 'a' + (int)(i % 26));
	CHECK_INT(b.len, 10000);
	CHECK(b.data[9999] == 'a' + 9999 % 26 && b.data[10000] == '\0');
	s = buf_steal(&b, &n);
	CHECK_INT(n, 10000);
	CHECK(b.data == NULL && b.len == 0);
	free(s);
	/* printf that fits, that just does not fit, and that grows */
	{
		char	 big[700];
		size_t	 k;

		for (k = 250; k < 700; k += 3) {
			memset(big, 'x', k);
			big[k] = '\0';
			buf_free(&b);
			buf_puts(&b, "ab");
			CHECK_INT(buf_printf(&b, "%s|%zu", big, k), 0);
			CHECK(b.len == 2 + k + 1 + (k < 1000 ? 3 : 4));
			CHECK(b.data[b.len] == '\0' && b.data[2 + k] == '|');
		}
		buf_free(&b);
	}
	CHECK_INT(buf_append(&b, "", 0), 0);
	CHECK_STR(b.data, "");
	buf_free(&b);
	test_read();
	test_read_file();
	test_write();
	test_record();
	return t_done("test_buf");
}
