/*
 * fuzz_convert.h: one harness per source format (fuzz_md.c,
 * fuzz_html.c, fuzz_txt.c): the input is a source in that format,
 * converted as if it were in /thoi-su/; its gemtext is checked against
 * convert.h's promises.
 */
#ifndef FUZZ_CONVERT_H
#define FUZZ_CONVERT_H

#include "buf.h"
#include "convert.h"
#include "fuzz.h"

typedef int	convert_fn(struct buf *, const char *, size_t, const char *,
		    char *, size_t);

static inline void
fuzz_convert(convert_fn *fn, const uint8_t *data, size_t len)
{
	struct buf	 out = BUF_INIT;
	char		 err[256];

	if (fn(&out, (const char *)data, len, "/thoi-su/", err,
	    sizeof(err)) == 0)
		fuzz_check_gemtext(out.data != NULL ? out.data : "", out.len);
	else
		FUZZ_ASSERT(out.len == 0);	/* nothing appended on error */
	buf_free(&out);
}

#endif
