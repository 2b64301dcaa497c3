/* test_path.c: decoding and normalising request paths. */
#include <string.h>

#include "buf.h"
#include "path.h"
#include "t.h"

static const struct {
	const char	*in;
	const char	*want;		/* NULL = must fail */
} cases[] = {
	{ "", "/" },
	{ "/", "/" },
	{ "/thoi-su/", "/thoi-su/" },
	{ "/thoi-su", "/thoi-su" },
	{ "//thoi-su//x", "/thoi-su/x" },
	{ "/a/./b", "/a/b" },
	{ "/a/b/..", "/a/" },
	{ "/a/b/../c", "/a/c" },
	{ "/a/.", "/a/" },
	{ "/%74hoi-su/", "/thoi-su/" },
	{ "/%C4%91%E1%BA%A1i", "/đại" },
	{ "/a/%2e%2e/b", "/b" },
	{ "/a/%2E/b", "/a/b" },
	{ "/..", NULL },
	{ "/../etc/passwd", NULL },
	{ "/a/../../etc", NULL },
	{ "/%2e%2e/etc", NULL },
	{ "/%2E%2E%2Fetc", NULL },
	{ "/a%2fb", NULL },
	{ "/a%2Fb", NULL },
	{ "/%c0%ae%c0%ae/x", NULL },	/* overlong UTF-8 dots */
	{ "/%252e%252e/x", "/%2e%2e/x" },	/* decoded once: a name */
	{ "/a%00b", NULL },
	{ "/a%0ab", NULL },
	{ "/a%zz", NULL },
	{ "/a%2", NULL },
	{ "/\xff", NULL },
};

static const struct {
	const char	*in;
	int		 hidden;
} hidden[] = {
	{ "/thoi-su/x", 0 },
	{ "/.git/config", 1 },
	{ "/thoi-su/_category.ini", 1 },
	{ "/a/b.c", 0 },
};

int
main(void)
{
	char		 out[1025];
	const char	*errstr;
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		errstr = NULL;
		r = path_normalize(cases[i].in, strlen(cases[i].in), out,
		    sizeof(out), &errstr);
		if (cases[i].want == NULL) {
			CHECK_INT(r, -1);
			CHECK(errstr != NULL);
		} else {
			CHECK_INT(r, 0);
			if (r == 0)
				CHECK_STR(out, cases[i].want);
		}
	}
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		CHECK_INT(path_hidden(hidden[i].in), hidden[i].hidden);

	/* too long for the output buffer */
	memset(out, 'a', sizeof(out) - 1);
	out[0] = '/';
	out[sizeof(out) - 1] = '\0';
	{
		char	 small[16];
		CHECK_INT(path_normalize(out, strlen(out), small,
		    sizeof(small), &errstr), -1);
	}
	path_encode(&b, "đại hội & x/y", 0);
	CHECK_STR(b.data, "%C4%91%E1%BA%A1i%20h%E1%BB%99i%20%26%20x%2Fy");
	buf_free(&b);
	return t_done("test_path");
}
