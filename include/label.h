/*
 * label.h: the UI strings of rendered pages, built in for Vietnamese
 * and English, each overridable under [labels] in the ini.
 */
#ifndef LABEL_H
#define LABEL_H

enum label {			/* UI strings; [labels] in the ini */
	L_HOME,
	L_CATEGORIES,
	L_LATEST,
	L_ARCHIVE,
	L_SEARCH,
	L_SEARCH_PROMPT,
	L_FEED,
	L_VISITS,
	L_VIEWS,
	L_BY,
	L_PREV,
	L_NEXT,
	L_PREV_PAGE,
	L_NEXT_PAGE,
	L_PAGE,
	L_ARTICLES,
	L_SUBCATEGORIES,
	L_STATS,
	L_MOST_READ,
	L_NO_RESULTS,
	L_QUERY_TOO_LONG,
	L_RESULTS,
	L_PAGES,
	L_ARTICLE_LIST,
	L_VIEW_COUNT,
	L_QUERY,
	L_MORE_THAN,		/* "more than" 1000 search hits */
	L_TAGS,			/* /tags/, an article's tags */
	L_TAG,			/* "Tag: <name>" on a tag's page */
	L_PUBLISH,		/* /publish, Titan's page for authors */
	L_SIGNED_IN,		/* "Signed in as" <author> */
	L_PUBLISH_HELP,
	L_NEW_ARTICLE,
	L_REPLACE,		/* "Replace" <date> <title> */
	L_PUBLISHED,		/* "Published": <title>, after an upload */
	L_NOT_ON_SITE,
	L_WARNINGS,		/* the scan's, about an upload */
	L_COUNT
};

/* The ini key of a label ("home", "latest", ...). */
const char	*label_key(enum label);
/* The built-in text for lang ("vi", anything else = English). */
const char	*label_default(enum label, const char *lang);
/* Index of an ini key, or -1. */
int		 label_find(const char *key);

#define LABEL_TAG_MAX	63	/* bytes in a language tag */

/*
 * 1 if tag looks like a language tag (BCP 47: "vi", "en-US",
 * "zh-Hant-TW"): subtags of 1 to 8 ASCII letters or digits joined by
 * '-', the first of letters only; at most LABEL_TAG_MAX bytes.
 */
int		 label_tag_ok(const char *tag);
/* "vi" or "en" (static) when tag's language, its first subtag in any
 * case, is one bantin has labels for; NULL for any other. */
const char	*label_lang(const char *tag);

#endif
