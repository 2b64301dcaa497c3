/*
 * fuzz_gemtext.c: gemtext sources -> gemtext (convert_gmi, which validates
 * and repairs), and the gemtext iterator (gemtext_next) over both the
 * raw input and the result.
 */
#include "fuzz_convert.h"
#include "gemtext.h"

static int
gmi(struct buf *out, const char *s, size_t len, const char *base,
    char *err, size_t errlen)
{
	return convert_gmi(out, s, len, base, err, errlen);
}

static void
iterate(const char *s, size_t len)
{
	struct gemtext_iter	 it;
	struct gemtext_line	 l;
	size_t			 n = 0;

	gemtext_iter_init(&it, s, len);
	while (gemtext_next(&it, &l)) {
		FUZZ_ASSERT(l.text == NULL || l.textlen == 0 ||
		    (l.text >= s && l.text + l.textlen <= s + len));
		FUZZ_ASSERT(l.type != GEMTEXT_LINK || (l.url >= s &&
		    l.url + l.urllen <= s + len));
		FUZZ_ASSERT(l.type != GEMTEXT_HEADING ||
		    (l.level >= 1 && l.level <= 3));
		FUZZ_ASSERT(++n <= len + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf	 out = BUF_INIT;
	char		 err[256];

	iterate((const char *)data, len);
	fuzz_convert(gmi, data, len);
	if (convert_gmi(&out, (const char *)data, len, "/", err,
	    sizeof(err)) == 0 && out.data != NULL)
		iterate(out.data, out.len);
	buf_free(&out);
	return 0;
}
