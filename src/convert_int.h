/*
 * convert_int.h: what the converters share, private to convert*.c.
 *
 * Every converter feeds a struct cw, a small gemtext writer that owns
 * the layout rules: whitespace collapsing, one blank line between
 * blocks, link lines gathered after their block, tables padded by
 * display width, and a final tidy and NFC pass.
 */
#ifndef CONVERT_INT_H
#define CONVERT_INT_H

#include <stddef.h>

#include "buf.h"

#define CONVERT_MAX_DEPTH	128	/* nesting followed in a source */

enum cw_kind {			/* what a gathered line becomes */
	CW_TEXT,
	CW_H1,
	CW_H2,
	CW_H3,
	CW_ITEM,
	CW_QUOTE
};

enum cw_align {
	CW_LEFT,
	CW_RIGHT,
	CW_CENTER
};

struct cw_cell {
	size_t	 off, len;	/* text in cw.cells */
	int	 align;		/* enum cw_align */
};

struct cw_row {
	size_t	 first, n;	/* cells [first, first + n) */
	int	 header;	/* a heading row (th, thead, md header) */
};

struct convert_links;

struct cw {
	struct buf	 raw;		/* gemtext written so far */
	struct buf	 line;		/* the line being gathered */
	struct buf	 links;		/* link lines owed after the block */
	const char	*base;		/* folder URL path for convert_link */
	const struct convert_links *site; /* NULL: links stay as they are */
	const char	*self;		/* the page's own host, or NULL */
	int		 gap;		/* a blank line is owed */
	int		 space;		/* collapsed whitespace pending */
	int		 soft;		/* >0: block ends only add a space */
	int		 hold;		/* >0: links wait for the container */
	int		 quote;		/* >0: lines become quote lines */
	int		 lists;		/* list nesting */
	int		 nomem;		/* an allocation failed (sticky) */
	struct buf	 cells;		/* table being gathered */
	struct cw_cell	*cell;
	size_t		 ncell, capcell;
	struct cw_row	*row;
	size_t		 nrow, caprow;
	size_t		 rowfirst;	/* first cell of the open row */
};

void	cw_init(struct cw *, const char *base);
void	cw_free(struct cw *);
void	cw_text(struct cw *, const char *, size_t);
void	cw_break(struct cw *);
void	cw_line(struct cw *, enum cw_kind);
void	cw_end_block(struct cw *);
void	cw_link(struct cw *, const char *href, const char *label);
void	cw_image(struct cw *, const char *src, const char *alt);
void	cw_pre(struct cw *, const char *alt, const char *, size_t);
void	cw_list_begin(struct cw *);
void	cw_list_end(struct cw *);
void	cw_table_begin(struct cw *);
void	cw_cell_begin(struct cw *);
void	cw_cell_end(struct cw *, enum cw_align);
void	cw_row_end(struct cw *, int header);
void	cw_table_end(struct cw *);
int	cw_finish(struct cw *, struct buf *out, char *err, size_t errlen);

/* "invalid UTF-8 at byte N (line L)" into err unless s is valid. */
int	convert_check_utf8(const char *, size_t, char *err, size_t errlen);
/* s without a UTF-8 byte order mark, CRLF and lone CR made LF. */
int	convert_lf(struct buf *, const char *, size_t);
/* 1 for the code points collapsed as whitespace (controls, NBSP...). */
int	convert_is_ws(int cp);
/* Append s with whitespace runs collapsed and the ends trimmed. */
int	convert_collapse(struct buf *, const char *, size_t);
/* Append code point cp as UTF-8. */
int	convert_put_cp(struct buf *, int cp);

/* Raw HTML met inside Markdown (convert_html.c). */
void	convert_html_block(struct cw *, const char *, size_t);
void	convert_html_inline(struct cw *, const char *, size_t);
char	*convert_html_attr(const char *, size_t, const char *);

#endif
