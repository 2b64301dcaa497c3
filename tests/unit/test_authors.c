/*
 * test_authors.c: the authors file of [titan] authors: its lines, its
 * refusals (file:line: reason) and the categories an author may write.
 */
#include <stdio.h>
#include <string.h>

#include "authors.h"
#include "buf.h"
#include "t.h"

#define FP1 "13:42:25:0A:76:54:52:6C:FF:B6:FC:A4:7E:A0:61:B9:" \
	    "0D:4A:88:F1:77:A3:A9:0F:FC:7D:BE:73:5F:E6:C9:AD"
#define FP2 "ab00000000000000000000000000000000000000000000000000000000000001"

static void
test_lines(void)
{
	static const struct {
		const char	*text;
		const char	*err;	/* NULL: accepted */
		size_t		 n;	/* authors */
		const char	*name;	/* the first one's */
		size_t		 ncats;
		int		 all;
	} cases[] = {
		{ "", NULL, 0, NULL, 0, 0 },
		{ "# only a comment\n\n   \n", NULL, 0, NULL, 0, 0 },
		{ FP1 " Dung thoi-su\n", NULL, 1, "Dung", 1, 0 },
		{ FP1 " \"Mỹ Dung\" thoi-su, kinh-te/doanh-nghiep # two\n",
		  NULL, 1, "Mỹ Dung", 2, 0 },
		{ FP2 " \"A # B\" *\n", NULL, 1, "A # B", 0, 1 },
		{ FP1 " a x\n" FP2 " b *,y\n", NULL, 2, "a", 1, 0 },
		{ FP1 " Dung\n", "f:1: no categories (\"*\" for all)\n", 0,
		  NULL, 0, 0 },
		{ "\n" FP1 "\n", "f:2: a fingerprint, a name and categories "
		  "are wanted\n", 0, NULL, 0, 0 },
		{ "13:42 a *\n", "f:1: the fingerprint is shorter than 64 hex "
		  "digits (a SHA-256)\n", 0, NULL, 0, 0 },
		{ FP2 "00 a *\n", "f:1: the fingerprint is longer than 64 hex "
		  "digits (a SHA-256)\n", 0, NULL, 0, 0 },
		{ "zz" FP2 " a *\n", "f:1: the fingerprint is not hex "
		  "digits\n", 0, NULL, 0, 0 },
		{ FP1 " \"Dung thoi-su\n", "f:1: the quoted name is not "
		  "closed\n", 0, NULL, 0, 0 },
		{ FP1 " Dung ../etc\n", "f:1: a category must be a folder's "
		  "path below the root, in letters, digits, '-', '_' and '.' "
		  "(\"*\" for all)\n", 0, NULL, 0, 0 },
		{ FP1 " Dung a,,b\n", "f:1: an empty category\n", 0, NULL, 0,
		  0 },
		{ FP1 " Dung .git\n", "f:1: a category must be a folder's "
		  "path below the root, in letters, digits, '-', '_' and '.' "
		  "(\"*\" for all)\n", 0, NULL, 0, 0 },
		{ FP1 " a x\n" FP1 " b y\n", "f:2: this fingerprint is listed "
		  "twice\n", 0, NULL, 0, 0 },
		{ FP1 " \"\" x\n", "f:1: the name is empty\n", 0, NULL, 0, 0 },
		{ FP1 " \xff x\n", "f:1: the name is not UTF-8\n", 0, NULL, 0,
		  0 },
		/* every bad line is reported, not only the first */
		{ "x\n" FP1 " a b\ny\n", "f:1: a fingerprint, a name and "
		  "categories are wanted\nf:3: a fingerprint, a name and "
		  "categories are wanted\n", 0, NULL, 0, 0 },
	};
	struct authors	*as;
	struct buf	 errs = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&errs);
		as = authors_parse("f", cases[i].text, strlen(cases[i].text),
		    &errs);
		if (cases[i].err != NULL) {
			CHECK(as == NULL);
			CHECK_STR(errs.data, cases[i].err);
			continue;
		}
		CHECK(as != NULL);
		if (as == NULL) {
			fprintf(stderr, "case %zu: %s", i, errs.data);
			continue;
		}
		CHECK_INT(as->n, cases[i].n);
		if (as->n > 0) {
			CHECK_STR(as->a[0].name, cases[i].name);
			CHECK_INT(as->a[0].ncats, cases[i].ncats);
			CHECK_INT(as->a[0].all, cases[i].all);
		}
		authors_free(as);
	}
	buf_free(&errs);
}

static void
test_may(void)
{
	static const struct {
		const char	*cat;
		int		 may;
	} cases[] = {
		{ "thoi-su", 1 },
		{ "thoi-su/dai-hoi", 1 },	/* below: its subcategories */
		{ "thoi-sux", 0 },
		{ "kinh-te", 0 },
		{ "kinh-te/doanh-nghiep", 1 },
		{ "kinh-te/doanh-nghiep/a", 1 },
	};
	const char	*text = FP1 " a thoi-su,kinh-te/doanh-nghiep\n";
	unsigned char	 fp[AUTHORS_FP_LEN];
	char		 hex[2 * AUTHORS_FP_LEN + 1];
	struct authors	*as;
	struct buf	 errs = BUF_INIT;
	size_t		 i;

	as = authors_parse("f", text, strlen(text), &errs);
	CHECK(as != NULL);
	if (as == NULL)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_INT(authors_may(&as->a[0], cases[i].cat),
		    cases[i].may);
	/* found by the digest, whatever the case and colons were */
	memcpy(fp, as->a[0].fp, sizeof(fp));
	CHECK(authors_find(as, fp) == &as->a[0]);
	authors_hex(fp, hex);
	CHECK_STR(hex, "1342250a7654526cffb6fca47ea061b90d4a88f177a3a90ffc7d"
	    "be735fe6c9ad");
	fp[0] ^= 1;
	CHECK(authors_find(as, fp) == NULL);
	authors_free(as);
	buf_free(&errs);
}

int
main(void)
{
	test_lines();
	test_may();
	return t_done("test_authors");
}
