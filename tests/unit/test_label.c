/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * test_label.c: the built-in labels, and the language tags articles
 * carry: which look like tags (BCP 47's shape), and which of bantin's
 * languages, if any, a tag is in.
 */

#include <stdio.h>
#include <string.h>

#include "label.h"
#include "t.h"

static const struct {
	const char	*tag;
	int		 ok;		/* label_tag_ok */
	const char	*lang;		/* label_lang */
} tags[] = {
	{ "vi", 1, "vi" },
	{ "en", 1, "en" },
	{ "EN", 1, "en" },
	{ "vi-VN", 1, "vi" },
	{ "en-GB", 1, "en" },
	{ "en-US-x-twain", 1, "en" },
	{ "zh-Hant-TW", 1, NULL },
	{ "fr", 1, NULL },
	{ "es-419", 1, NULL },
	{ "x-klingon", 1, NULL },
	{ "vie", 1, NULL },		/* ISO 639-2: not "vi" */
	{ "env", 1, NULL },
	{ "", 0, NULL },
	{ "en_US", 0, NULL },		/* a locale, not a tag */
	{ "en-", 0, "en" },
	{ "-en", 0, NULL },
	{ "en--US", 0, "en" },
	{ "1en", 0, NULL },
	{ "en US", 0, NULL },
	{ "en;q=1", 0, NULL },
	{ "tiếng-việt", 0, NULL },
	{ "abcdefghi", 0, NULL },	/* a subtag of 9 */
	{ "en-abcdefgh", 1, "en" },
	{ "en\r\nX: y", 0, NULL },
	/* LABEL_TAG_MAX (63) bytes, and one more */
	{ "aaaaaaa-bbbbbbbb-bbbbbbbb-bbbbbbbb-bbbbbbbb-bbbbbbbb-bbbbbbbb-c",
	  1, NULL },
	{ "aaaaaaaa-bbbbbbbb-bbbbbbbb-bbbbbbbb-bbbbbbbb-bbbbbbbb-bbbbbbbb-c",
	  0, NULL },
};

int
main(void)
{
	size_t	 i;
	int	 l;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		if (label_tag_ok(tags[i].tag) != tags[i].ok)
			fprintf(stderr, "label_tag_ok(%s)\n", tags[i].tag);
		CHECK_INT(label_tag_ok(tags[i].tag), tags[i].ok);
		if (tags[i].lang == NULL)
			CHECK(label_lang(tags[i].tag) == NULL);
		else
			CHECK_STR(label_lang(tags[i].tag), tags[i].lang);
	}
	CHECK(label_lang(NULL) == NULL);
	/* every label in both languages, and its key found again */
	for (l = 0; l < L_COUNT; l++) {
		CHECK(*label_default(l, "vi") != '\0');
		CHECK(*label_default(l, "en") != '\0');
		CHECK_INT(label_find(label_key(l)), l);
	}
	CHECK_STR(label_default(L_HOME, "vi"), "Trang chủ");
	CHECK_STR(label_default(L_HOME, "en"), "Home");
	/* Titan's publish page speaks the site's language too */
	CHECK_STR(label_default(L_PUBLISH, "vi"), "Đăng bài");
	CHECK_STR(label_default(L_PUBLISH, "en"), "Publish");
	CHECK_STR(label_default(L_REPLACE, "vi"), "Thay bài");
	CHECK_STR(label_default(L_NOT_ON_SITE, "fr"), "Not on the site.");
	CHECK_INT(label_find("publish_help"), L_PUBLISH_HELP);
	CHECK_INT(label_find("publish_"), -1);
	CHECK_STR(label_default(L_WARNINGS, "vi"), "Cảnh báo");
	return t_done("test_label");
}
