/*
 * fuzz_titan.c: a Titan request line (titan_parse) and where its path
 * puts the upload (titan_target). An accepted line has a size; an
 * accepted target is below a category, in ASCII names none of which
 * is hidden, and an article's served path is its file's name without
 * the extension.
 */
#include "fuzz.h"
#include "gemini.h"
#include "proto.h"
#include "titan.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const struct gemini_host	 host = { "localhost", 1965, "vi" };
	struct request			 req;
	struct titan_params		 p;
	struct titan_target		 t;
	enum status			 st;
	const char			*errstr = NULL, *c;

	if (titan_parse((const char *)data, len, &host, &req, &p, &st,
	    &errstr) == -1) {
		FUZZ_ASSERT(errstr != NULL);
		return 0;
	}
	FUZZ_ASSERT(p.size >= 0 && req.path[0] == '/');
	if (titan_target(req.path, p.mime, &t, &errstr) == -1) {
		FUZZ_ASSERT(errstr != NULL);
		return 0;
	}
	FUZZ_ASSERT(t.dir[0] != '\0' && t.dir[0] != '.' && t.dir[0] != '_');
	FUZZ_ASSERT(strstr(t.dir, "/.") == NULL && strstr(t.dir, "/_") ==
	    NULL && t.name[0] != '.' && t.name[0] != '_');
	for (c = t.path; *c != '\0'; c++)
		FUZZ_ASSERT((unsigned char)*c < 0x80 && *c > ' ');
	FUZZ_ASSERT(strncmp(t.path + 1, t.dir, strlen(t.dir)) == 0);
	if (t.kind == TITAN_ARTICLE)
		FUZZ_ASSERT(t.slug > 0 && strncmp(strrchr(t.path, '/') + 1,
		    t.name, t.slug) == 0);
	return 0;
}
