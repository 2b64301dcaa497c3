/*
 * gemtext.h: gemtext line iterator and classifier, and safe emitters.
 */
#ifndef GEMTEXT_H
#define GEMTEXT_H

#include <stddef.h>

#include "buf.h"

enum gemtext_type {
	GEMTEXT_TEXT,		/* plain text line (may be empty) */
	GEMTEXT_LINK,		/* => url [label] */
	GEMTEXT_HEADING,	/* #, ##, ### (level in .level) */
	GEMTEXT_LIST,		/* "* item" */
	GEMTEXT_QUOTE,		/* ">quote" */
	GEMTEXT_PRE_START,	/* ``` alt (alt text in .text) */
	GEMTEXT_PRE,		/* a line inside a preformatted block */
	GEMTEXT_PRE_END		/* closing ``` */
};

struct gemtext_line {
	enum gemtext_type	 type;
	const char		*text;	/* label/text, whitespace-trimmed */
	size_t			 textlen;
	const char		*url;	/* links only */
	size_t			 urllen;
	int			 level;	/* headings: 1..3 */
};

struct gemtext_iter {
	const char	*p, *end;
	int		 in_pre;
};

void	gemtext_iter_init(struct gemtext_iter *, const char *, size_t);
/* 1 and fills the line, or 0 at the end. Lines end at LF; CR is dropped. */
int	gemtext_next(struct gemtext_iter *, struct gemtext_line *);

/*
 * Emitters that can never produce markup by accident. All replace
 * control characters (CR, LF, TAB...) with spaces.
 * gemtext_text: a text line; prose starting with "=>", "#", "*", ">" or
 * "```" is prefixed with a space (U+0020) so that it stays text.
 * gemtext_link: "=> url label\n"; spaces in url are percent-encoded.
 */
/* Does h say title, case, marks and punctuation aside, or the part of
 * title before or after a separator (" - ", " | ", " « ", " > "...),
 * as in "Story - Site name"? */
int	gemtext_same_title(const char *h, size_t hlen, const char *title);
/* Bytes up to the end of the body's first non-blank line when it is
 * a heading (any level) or text that says the title (as above), or 0
 * when the body does not start so. */
size_t	gemtext_title_end(const char *body, size_t len, const char *title);
int	gemtext_text(struct buf *, const char *, size_t);
int	gemtext_link(struct buf *, const char *url, const char *label);
int	gemtext_heading(struct buf *, int level, const char *, size_t);
int	gemtext_item(struct buf *, const char *, size_t);
int	gemtext_quote(struct buf *, const char *, size_t);

#endif
