/*
 * fuzz_path.c: request paths (path_decode, path_normalize). A
 * normalised path starts with "/", has no empty, "." or ".." segment,
 * and normalising it again changes nothing.
 */
#include "fuzz.h"
#include "path.h"

#define OUT	1025

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		 out[OUT], again[OUT];
	const char	*errstr, *in = (const char *)data;
	size_t		 n;

	if (path_decode(in, len, out, sizeof(out), &errstr) == 0)
		FUZZ_ASSERT(strlen(out) < sizeof(out));
	if (path_normalize(in, len, out, sizeof(out), &errstr) != 0)
		return 0;
	n = strlen(out);
	FUZZ_ASSERT(out[0] == '/');
	FUZZ_ASSERT(strstr(out, "//") == NULL);
	FUZZ_ASSERT(strstr(out, "/./") == NULL && strstr(out, "/../") == NULL);
	FUZZ_ASSERT(!(n >= 2 && strcmp(out + n - 2, "/.") == 0));
	FUZZ_ASSERT(!(n >= 3 && strcmp(out + n - 3, "/..") == 0));
	FUZZ_ASSERT(utf8_valid(out, n));
	/* what it made decodes to itself once "%" is written "%25" */
	if (strchr(out, '%') == NULL) {
		FUZZ_ASSERT(path_normalize(out, n, again, sizeof(again),
		    &errstr) == 0);
		FUZZ_ASSERT(strcmp(out, again) == 0);
	}
	(void)path_hidden(out);
	return 0;
}
