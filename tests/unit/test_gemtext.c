/* test_gemtext.c: the line classifier and the safe emitters. */
#include <string.h>

#include "buf.h"
#include "gemtext.h"
#include "t.h"

static const struct {
	const char		*line;
	enum gemtext_type	 type;
	const char		*text;
	const char		*url;
	int			 level;
} lines[] = {
	{ "=> /thoi-su/x 2020-05-21 Đại hội", GEMTEXT_LINK,
	    "2020-05-21 Đại hội", "/thoi-su/x", 0 },
	{ "=>gemini://h/", GEMTEXT_LINK, "", "gemini://h/", 0 },
	{ "=>   ", GEMTEXT_TEXT, "=>   ", NULL, 0 },
	{ "# Tiêu đề", GEMTEXT_HEADING, "Tiêu đề", NULL, 1 },
	{ "### Ba", GEMTEXT_HEADING, "Ba", NULL, 3 },
	{ "* mục", GEMTEXT_LIST, "mục", NULL, 0 },
	{ "*đậm*", GEMTEXT_TEXT, "*đậm*", NULL, 0 },
	{ "> trích", GEMTEXT_QUOTE, "trích", NULL, 0 },
	{ "văn bản", GEMTEXT_TEXT, "văn bản", NULL, 0 },
};

static const struct {
	const char	*in;
	const char	*want;
} texts[] = {
	{ "=> not a link", " => not a link\n" },
	{ "# not a heading", " # not a heading\n" },
	{ "* not an item", " * not an item\n" },
	{ "> not a quote", " > not a quote\n" },
	{ "```not pre", " ```not pre\n" },
	{ "bình thường", "bình thường\n" },
	{ "two\nlines", "two lines\n" },
};

/* where a body's leading title heading ends (0: it has none) */
static const struct {
	const char	*body, *title;
	size_t		 want;
} titles[] = {
	{ "# Hội chợ hàng Việt\nTừ ngày 9.\n", "Hội chợ hàng Việt", 27 },
	{ "\n  \n# Hội chợ\nx\n", "Hội chợ", 18 },
	{ "# Hội chợ\nx\n", " Hội chợ ", 14 },
	{ "# Hội chợ khác\nx\n", "Hội chợ", 0 },
	{ "Mở đầu.\n# Hội chợ\n", "Hội chợ", 0 },
	{ "", "Hội chợ", 0 },
	/* any level, loosely: case, marks, punctuation, the site's name */
	{ "## Hội chợ\nx\n", "Hội chợ", 15 },
	{ "### HỘI CHỢ!\nx\n", "Hội chợ", 17 },
	{ "# Hoi cho\nx\n", "Hội chợ", 10 },
	{ "# Hội chợ\nx\n", "Hội chợ - Cổng thông tin Phường 7", 14 },
	{ "# Hội chợ\nx\n", "Cổng thông tin | Hội chợ", 14 },
	{ "# Hội chợ xuân\nx\n", "Hội chợ - Tết", 0 },
	{ "# Hội\nx\n", "Hội chợ", 0 },
	{ "# \nx\n", "", 0 },
	{ "=> /a.jpg Hội chợ\n# Hội chợ\n", "Hội chợ", 0 },
	/* a line with more ASCII letters than the title's key is not it,
	 * whatever its punctuation or marks; one as long may be */
	{ "# HOI CHO\nx\n", "Hội chợ", 10 },
	{ "# Hội -- chợ!!!\nx\n", "Hội chợ", 20 },
	{ "# Ho\xcc\xa3\xcc\x82i cho\xcc\x9b\xcc\xa3\nx\n", "Hội chợ", 18 },
	{ "# Hoi chow\nx\n", "Hội chợ", 0 },
	{ "Hội chợ hàng Việt năm nay có 150 gian hàng.\nx\n",
	    "Hội chợ hàng Việt", 0 },
	{ "Hội chợ hàng Việt\nx\n", "Hội chợ hàng Việt", 25 },
};

int
main(void)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	struct buf		 b = BUF_INIT;
	char			 got[256];
	size_t			 i;
	const char		*doc = "a\r\n```alt\n=> not link\n```\n=> /x y\n";
	enum gemtext_type	 want[] = { GEMTEXT_TEXT, GEMTEXT_PRE_START,
	    GEMTEXT_PRE, GEMTEXT_PRE_END, GEMTEXT_LINK };

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		gemtext_iter_init(&it, lines[i].line, strlen(lines[i].line));
		CHECK_INT(gemtext_next(&it, &l), 1);
		CHECK_INT(l.type, lines[i].type);
		snprintf(got, sizeof(got), "%.*s", (int)l.textlen, l.text);
		CHECK_STR(got, lines[i].text);
		if (lines[i].url != NULL) {
			snprintf(got, sizeof(got), "%.*s", (int)l.urllen,
			    l.url);
			CHECK_STR(got, lines[i].url);
		}
		if (lines[i].level)
			CHECK_INT(l.level, lines[i].level);
	}

	gemtext_iter_init(&it, doc, strlen(doc));
	for (i = 0; gemtext_next(&it, &l); i++)
		if (i < 5)
			CHECK_INT(l.type, want[i]);
	CHECK_INT(i, 5);

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		buf_reset(&b);
		gemtext_text(&b, texts[i].in, strlen(texts[i].in));
		CHECK_STR(b.data, texts[i].want);
	}
	/* a hostile label cannot start a new line */
	buf_reset(&b);
	gemtext_link(&b, "/a b", "Tin\n=> evil");
	CHECK_STR(b.data, "=> /a%20b Tin => evil\n");
	buf_reset(&b);
	gemtext_heading(&b, 2, "Thời\rsự", strlen("Thời\rsự"));
	CHECK_STR(b.data, "## Thời sự\n");
	buf_free(&b);
	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		CHECK_INT(gemtext_title_end(titles[i].body,
		    strlen(titles[i].body), titles[i].title), titles[i].want);
	return t_done("test_gemtext");
}
