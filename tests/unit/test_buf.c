/* test_buf.c: growable buffers. */
#include <stdlib.h>

#include "buf.h"
#include "t.h"

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
	return t_done("test_buf");
}
