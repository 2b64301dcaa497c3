/*
 * fuzz_gopher.c: a Gopher selector line (gopher_parse), and for what
 * it answers without the core (HTTP, "URL:"), the page it writes.
 */
#include "buf.h"
#include "fuzz.h"
#include "gopher.h"
#include "proto.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const struct gopher_ctx	 ctx = { NULL, NULL, "localhost", 70,
	    0, "vi", "Bản tin" };
	struct request			 req;
	struct buf			 out = BUF_INIT;
	const char			*errstr = NULL;
	int				 r;

	r = gopher_parse((const char *)data, len, &req, &errstr);
	if (r == 0 || r == 2) {
		FUZZ_ASSERT(req.path[0] == '/');
		FUZZ_ASSERT(strstr(req.path, "/../") == NULL);
		FUZZ_ASSERT(utf8_valid(req.path, strlen(req.path)));
	}
	if (r == 2)
		FUZZ_ASSERT(gopher_urlpage(&out, &ctx, (const char *)data,
		    len) == 0);
	else if (r == -1)
		FUZZ_ASSERT(errstr != NULL &&
		    gopher_error(&out, &ctx, errstr) == 0);
	if (out.len > 0)
		FUZZ_ASSERT(utf8_valid(out.data, out.len));
	buf_free(&out);
	return 0;
}
