/*
 * fuzz_article.c: a whole article source (article_parse): the header,
 * the body in one of the four formats, the fallbacks and the newsroom
 * conventions (byline, dateline). The first input byte picks the file
 * name, and with it the format and the date prefix. A source that
 * parses is then a site's one article (site_load) and its page is made
 * as a worker makes it (site_article_page): converted, then again from
 * the worker's cache, which must give the same.
 */
#include <sys/stat.h>

#include "article.h"
#include "buf.h"
#include "fuzz.h"
#include "memo.h"
#include "site.h"

static const char *const names[] = {
	"2020-05-21-chi-bo.md", "2021-03-04-giao-thong.gmi",
	"2022-07-01-giai.txt", "2024-10-02-tin.html", "tin.md", "tin.htm",
	"2024-13-45-sai-ngay.txt", "gioi-thieu.gmi",
};

static char	 root[64], cat[80], file[128];

/* the category folder goes before fuzz_scratch_rm, which takes files */
static void
cat_rm(void)
{
	if (file[0] != '\0')
		(void)unlink(file);
	(void)rmdir(cat);
}

static void
page(const char *name, const uint8_t *data, size_t len)
{
	struct article_page	 pg[2];
	struct memo		*pages;
	struct site		*s;
	char			 err[256];
	int			 i;

	if (root[0] == '\0') {
		fuzz_scratch(root, sizeof(root), "article");
		snprintf(cat, sizeof(cat), "%s/thoi-su", root);
		if (mkdir(cat, 0700) == -1)
			abort();
		atexit(cat_rm);
	}
	if (file[0] != '\0')
		(void)unlink(file);
	snprintf(file, sizeof(file), "%s/%s", cat, name);
	fuzz_put(file, data, len);
	s = site_load(root, NULL, err, sizeof(err));
	FUZZ_ASSERT(s != NULL);
	if (s->narticles == 1 && (pages = memo_new(1, 1 << 20)) != NULL) {
		for (i = 0; i < 2; i++) {
			FUZZ_ASSERT(site_article_page(s, pages, &s->articles[0],
			    &pg[i], err, sizeof(err)) == 0);
			fuzz_check_gemtext(pg[i].body.data, pg[i].body.len);
		}
		FUZZ_ASSERT(pg[0].body.len == pg[1].body.len &&
		    memcmp(pg[0].body.data, pg[1].body.data, pg[0].body.len)
		    == 0);
		site_article_page_free(&pg[0]);
		site_article_page_free(&pg[1]);
		memo_free(pages);
	}
	site_free(s);
}

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
		page(name, data + 1, len - 1);
	}
	buf_free(&body);
	return 0;
}
