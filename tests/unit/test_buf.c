/* test_buf.c: growable buffers, and files read into them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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
	return t_done("test_buf");
}
