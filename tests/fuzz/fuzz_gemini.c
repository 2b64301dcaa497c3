/*
 * fuzz_gemini.c: a Gemini request line (gemini_parse). An accepted
 * request has a normalised path: it starts with "/", climbs nowhere
 * and is UTF-8.
 */
#include "fuzz.h"
#include "gemini.h"
#include "proto.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const struct gemini_host	 host = { "localhost", 1965, "vi" };
	struct request			 req;
	enum status			 st;
	const char			*errstr = NULL;

	if (gemini_parse((const char *)data, len, &host, &req, &st,
	    &errstr) == 0) {
		FUZZ_ASSERT(req.path[0] == '/');
		FUZZ_ASSERT(strstr(req.path, "/../") == NULL);
		FUZZ_ASSERT(utf8_valid(req.path, strlen(req.path)));
		FUZZ_ASSERT(utf8_valid(req.query, strlen(req.query)));
	} else
		FUZZ_ASSERT(errstr != NULL);
	return 0;
}
