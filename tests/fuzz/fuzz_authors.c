/*
 * fuzz_authors.c: an authors file (authors_parse). A file is refused
 * with at least one "f:line: reason", or every author in it has a
 * UTF-8 name without a control character and categories that are
 * folders below the root, none hidden ("a..b" is a name), or "*".
 */
#include "authors.h"
#include "buf.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf	 errs = BUF_INIT;
	struct authors	*as;
	size_t		 i, j;

	if ((as = authors_parse("f", (const char *)data, len, &errs)) ==
	    NULL) {
		FUZZ_ASSERT(errs.data != NULL && strncmp(errs.data, "f",
		    1) == 0);
		buf_free(&errs);
		return 0;
	}
	FUZZ_ASSERT(errs.len == 0);
	for (i = 0; i < as->n; i++) {
		FUZZ_ASSERT(utf8_valid(as->a[i].name, strlen(as->a[i].name)));
		FUZZ_ASSERT(as->a[i].all || as->a[i].ncats > 0);
		for (j = 0; j < as->a[i].ncats; j++)
			FUZZ_ASSERT(as->a[i].cats[j][0] != '.' &&
			    as->a[i].cats[j][0] != '_' &&
			    as->a[i].cats[j][0] != '/' &&
			    strstr(as->a[i].cats[j], "/.") == NULL &&
			    strstr(as->a[i].cats[j], "/_") == NULL &&
			    strstr(as->a[i].cats[j], "//") == NULL);
		FUZZ_ASSERT(authors_find(as, as->a[i].fp) == &as->a[i]);
	}
	authors_free(as);
	buf_free(&errs);
	return 0;
}
