/*
 * fuzz_article.c: a whole article source (article_parse): the header,
 * the body in one of the four formats, the fallbacks and the newsroom
 * conventions (byline, dateline). The first input byte picks the file
 * name, and with it the format and the date prefix.
 */
#include "article.h"
#include "buf.h"
#include "fuzz.h"

static const char *const names[] = {
	"2020-05-21-chi-bo.md", "2021-03-04-giao-thong.gmi",
	"2022-07-01-giai.txt", "2024-10-02-tin.html", "tin.md", "tin.htm",
	"2024-13-45-sai-ngay.txt", "gioi-thieu.gmi",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct article_meta	 m;
	struct buf		 body = BUF_INIT;
	char			 err[256];
	const char		*name;

	if (len == 0)
		return 0;
	name = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	memset(&m, 0, sizeof(m));
	if (article_parse(name, "/thoi-su/", (const char *)data + 1, len - 1,
	    &m, &body, err, sizeof(err)) == 0) {
		fuzz_check_gemtext(body.data != NULL ? body.data : "",
		    body.len);
		FUZZ_ASSERT(m.title == NULL ||
		    utf8_valid(m.title, strlen(m.title)));
		FUZZ_ASSERT(m.author == NULL ||
		    utf8_valid(m.author, strlen(m.author)));
		article_meta_free(&m);
	}
	buf_free(&body);
	return 0;
}
