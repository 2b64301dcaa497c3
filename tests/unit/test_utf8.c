/* test_utf8.c: validation, NFC, folding, transliteration, widths. */
#include <string.h>

#include "buf.h"
#include "t.h"
#include "utf8.h"

static const struct {
	const char	*in;
	int		 valid;
} valid_cases[] = {
	{ "Đại Hội Đảng", 1 },
	{ "plain ascii", 1 },
	{ "\xc0\xae", 0 },		/* overlong '.' */
	{ "\xed\xa0\x80", 0 },		/* surrogate */
	{ "\xff", 0 },
	{ "a\xe1\xba", 0 },		/* truncated */
};

static const struct {
	const char	*in;
	const char	*fold;
} fold_cases[] = {
	{ "Đại Hội Đảng", "dai hoi dang" },
	{ "ĐẢNG", "dang" },
	{ "Bình Thạnh", "binh thanh" },
	{ "Đà Nẵng", "da nang" },
	{ "Hello World", "hello world" },
	{ "Nguyễn Thị Minh Khai", "nguyen thi minh khai" },
	{ "ﬁ", "fi" },			/* NFKC */
};

static const struct {
	const char	*in;
	const char	*ascii;
} ascii_cases[] = {
	{ "Đại Hội Đảng các cấp", "Dai Hoi Dang cac cap" },
	{ "“quoted” – dash…", "\"quoted\" - dash..." },
	{ "漢", "?" },
};

static const struct {
	const char	*in;
	size_t		 width;
} width_cases[] = {
	{ "abc", 3 },
	{ "Đảng", 4 },
	{ "e\xcc\x81", 1 },		/* e + combining acute */
	{ "漢字", 4 },
};

int
main(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, n;

	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++)
		CHECK_INT(utf8_valid(valid_cases[i].in,
		    strlen(valid_cases[i].in)), valid_cases[i].valid);
	CHECK_INT(utf8_valid("a\0b", 3), 0);

	for (i = 0; i < sizeof(fold_cases) / sizeof(fold_cases[0]); i++) {
		buf_reset(&b);
		CHECK_INT(utf8_fold(&b, fold_cases[i].in,
		    strlen(fold_cases[i].in)), 0);
		CHECK_STR(b.data, fold_cases[i].fold);
	}
	for (i = 0; i < sizeof(ascii_cases) / sizeof(ascii_cases[0]); i++) {
		buf_reset(&b);
		CHECK_INT(utf8_ascii(&b, ascii_cases[i].in,
		    strlen(ascii_cases[i].in)), 0);
		CHECK_STR(b.data, ascii_cases[i].ascii);
	}
	for (i = 0; i < sizeof(width_cases) / sizeof(width_cases[0]); i++)
		CHECK_INT(utf8_width(width_cases[i].in,
		    strlen(width_cases[i].in)), width_cases[i].width);

	/* NFC: decomposed "ệ" (e + circumflex + dot below) composes */
	buf_reset(&b);
	CHECK_INT(utf8_nfc(&b, "Vi\x65\xcc\x82\xcc\xa3t", 8), 0);
	CHECK_STR(b.data, "Việt");
	buf_reset(&b);
	CHECK_INT(utf8_nfc(&b, "\xff", 1), -1);

	/* prefix by columns never splits a character */
	n = utf8_prefix_cols("Đảng viên", strlen("Đảng viên"), 3);
	CHECK_INT(n, strlen("Đản"));
	n = utf8_prefix_cols("漢字", 6, 3);
	CHECK_INT(n, 3);

	/* sanitize: controls become spaces, text kept */
	buf_reset(&b);
	utf8_sanitize_line(&b, "a\tb\r\nc\x7f" "đ", strlen("a\tb\r\nc\x7f"
	    "đ"));
	CHECK_STR(b.data, "a b  c đ");
	buf_free(&b);
	return t_done("test_utf8");
}
