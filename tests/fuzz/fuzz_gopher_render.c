/*
 * fuzz_gopher_render.c: the core's gemtext drawn for Gopher, as a menu
 * (gopher_menu) and as wrapped text (gopher_text), in UTF-8 or ASCII
 * as the first input byte says. Every menu line is one item: three
 * TABs (four fields) and a CRLF, whatever the text held; the menu
 * ends with the line "." and has it nowhere else.
 */
#include "buf.h"
#include "fuzz.h"
#include "gopher_render.h"

static void
check_menu(const char *s, size_t len)
{
	const char	*p = s, *e = s + len, *nl;
	size_t		 tabs;

	/* the last line is the menu's end, "." */
	FUZZ_ASSERT(len >= 3 && memcmp(e - 3, ".\r\n", 3) == 0);
	e -= 3;
	while (p < e) {
		FUZZ_ASSERT((nl = memchr(p, '\n', (size_t)(e - p))) != NULL);
		FUZZ_ASSERT(nl > p && nl[-1] == '\r');
		for (tabs = 0; p < nl; p++)
			tabs += *p == '\t';
		FUZZ_ASSERT(tabs == 3);
		p = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct gopher_ctx	 ctx = { NULL, NULL, "localhost", 7070, 0,
	    "vi", "Bản tin" };
	struct buf		 out = BUF_INIT;
	const char		*g;

	if (len == 0)
		return 0;
	ctx.ascii = data[0] & 1;
	g = (const char *)data + 1;
	len--;
	/* the core only ever hands it valid UTF-8 */
	if (!utf8_valid(g, len) || memchr(g, '\0', len) != NULL)
		return 0;
	if (gopher_menu(&out, &ctx, g, len) == 0) {
		check_menu(out.data != NULL ? out.data : "", out.len);
		FUZZ_ASSERT(utf8_valid(out.data, out.len));
	}
	buf_reset(&out);
	if (gopher_text(&out, &ctx, g, len) == 0 && out.len > 0)
		FUZZ_ASSERT(utf8_valid(out.data, out.len));
	buf_free(&out);
	return 0;
}
