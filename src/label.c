/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * label.c: the built-in UI strings in Vietnamese and English. The
 * table is indexed by enum label; config.c checks [labels] keys
 * against it and render.c picks an override or the built-in text.
 * It also reads the language tags articles carry (lang:), to tell
 * which of its languages, if any, an article is in.
 */

#include <string.h>
#include <strings.h>

#include "label.h"

static const struct {
	const char	*key;
	const char	*vi;
	const char	*en;
} labels[L_COUNT] = {
	[L_HOME] =		{ "home", "Trang chủ", "Home" },
	[L_CATEGORIES] =	{ "categories", "Chuyên mục", "Sections" },
	[L_LATEST] =		{ "latest", "Tin mới nhất", "Latest news" },
	[L_ARCHIVE] =		{ "archive", "Xem theo ngày", "Archive by date" },
	[L_SEARCH] =		{ "search", "Tìm kiếm", "Search" },
	[L_SEARCH_PROMPT] =	{ "search_prompt", "Nhập từ khóa tìm kiếm",
				  "Search for" },
	[L_FEED] =		{ "feed", "Nguồn tin Atom", "Atom feed" },
	[L_VISITS] =		{ "visits", "Số lượt truy cập", "Visits" },
	[L_VIEWS] =		{ "views", "Số lượt người xem", "Views" },
	[L_BY] =		{ "by", "Tác giả", "By" },
	[L_PREV] =		{ "prev", "Bài trước", "Previous article" },
	[L_NEXT] =		{ "next", "Bài sau", "Next article" },
	[L_PREV_PAGE] =		{ "prev_page", "Trang trước", "Previous page" },
	[L_NEXT_PAGE] =		{ "next_page", "Trang sau", "Next page" },
	[L_PAGE] =		{ "page", "Trang", "Page" },
	[L_ARTICLES] =		{ "articles", "bài", "articles" },
	[L_SUBCATEGORIES] =	{ "subcategories", "Chuyên mục con",
				  "Subsections" },
	[L_STATS] =		{ "stats", "Thống kê", "Statistics" },
	[L_MOST_READ] =		{ "most_read", "Đọc nhiều nhất", "Most read" },
	[L_NO_RESULTS] =	{ "no_results", "Không tìm thấy bài viết nào.",
				  "No articles found." },
	[L_QUERY_TOO_LONG] =	{ "query_too_long",
				  "Từ khóa quá dài (tối đa 200 ký tự).",
				  "The query is too long (200 characters at most)." },
	[L_RESULTS] =		{ "results", "Kết quả tìm kiếm", "Search results" },
	[L_PAGES] =		{ "pages", "Trang tĩnh", "Pages" },
	[L_ARTICLE_LIST] =	{ "article_list", "Bài viết", "Articles" },
	[L_VIEW_COUNT] =	{ "view_count", "lượt xem", "views" },
	[L_QUERY] =		{ "query", "Từ khóa", "Query" },
	[L_MORE_THAN] =		{ "more_than", "Hơn", "More than" },
	[L_TAGS] =		{ "tags", "Thẻ", "Tags" },
	[L_TAG] =		{ "tag", "Thẻ", "Tag" },
	[L_PUBLISH] =		{ "publish", "Đăng bài", "Publish" },
	[L_SIGNED_IN] =		{ "signed_in", "Đăng nhập với tên",
				  "Signed in as" },
	[L_PUBLISH_HELP] =	{ "publish_help",
				  "Chọn một liên kết titan:// để tải lên bài "
				  "viết dạng Markdown (.md), gemtext (.gmi), "
				  "văn bản thuần (.txt) hoặc HTML (.html). "
				  "Tải lên một tệp rỗng để gỡ bài. Với bài "
				  "mới, hãy sửa tên ở cuối đường dẫn (sau "
				  "ngày) trước khi tải lên.",
				  "Follow a titan:// link to upload an article "
				  "in Markdown (.md), gemtext (.gmi), plain "
				  "text (.txt) or HTML (.html). Upload an "
				  "empty file to remove an article. For a new "
				  "article, change the name at the end of the "
				  "link (after the date) before uploading." },
	[L_NEW_ARTICLE] =	{ "new_article", "Bài mới", "New article" },
	[L_REPLACE] =		{ "replace", "Thay bài", "Replace" },
	[L_PUBLISHED] =		{ "published", "Đã đăng", "Published" },
	[L_NOT_ON_SITE] =	{ "not_on_site", "Không có trên trang.",
				  "Not on the site." },
	[L_WARNINGS] =		{ "warnings", "Cảnh báo", "Warnings" },
};

const char *
label_key(enum label l)
{
	return (l >= 0 && l < L_COUNT) ? labels[l].key : NULL;
}

const char *
label_default(enum label l, const char *lang)
{
	if (l < 0 || l >= L_COUNT)
		return "";
	if (lang != NULL && strcmp(lang, "vi") == 0)
		return labels[l].vi;
	return labels[l].en;
}

int
label_find(const char *key)
{
	int	 i;

	for (i = 0; i < L_COUNT; i++)
		if (strcmp(labels[i].key, key) == 0)
			return i;
	return -1;
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
label_tag_ok(const char *tag)
{
	size_t	 i, n = 0, sub = 0;

	for (i = 0; tag[i] != '\0'; i++) {
		if (i == LABEL_TAG_MAX)
			return 0;
		if (tag[i] == '-') {
			if (n == 0)
				return 0;
			n = 0;
			sub++;
			continue;
		}
		if (!is_alpha(tag[i]) && (sub == 0 || tag[i] < '0' ||
		    tag[i] > '9'))
			return 0;
		if (++n > 8)
			return 0;
	}
	return n > 0;
}

const char *
label_lang(const char *tag)
{
	static const char *const	 langs[] = { "vi", "en" };
	size_t				 i, n;

	if (tag == NULL)
		return NULL;
	n = strcspn(tag, "-");
	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (n == strlen(langs[i]) && strncasecmp(tag, langs[i], n) == 0)
			return langs[i];
	return NULL;
}
