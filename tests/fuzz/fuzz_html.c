/*
 * fuzz_html.c: HTML -> gemtext and metadata (convert_html, through
 * libxml2's HTML parser and bantin's tree walk). The first input
 * byte says whether metadata is asked for.
 */
#include "fuzz_convert.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct convert_meta	 meta;
	struct buf		 out = BUF_INIT;
	char			 err[256];
	int			 want_meta;

	if (len == 0)
		return 0;
	want_meta = data[0] & 1;
	data++;
	len--;
	memset(&meta, 0, sizeof(meta));
	if (convert_html(&out, (const char *)data, len, "/thoi-su/",
	    want_meta ? &meta : NULL, err, sizeof(err)) == 0)
		fuzz_check_gemtext(out.data != NULL ? out.data : "", out.len);
	else
		FUZZ_ASSERT(out.len == 0);
	if (meta.title != NULL)
		FUZZ_ASSERT(utf8_valid(meta.title, strlen(meta.title)));
	convert_meta_free(&meta);
	buf_free(&out);
	return 0;
}
