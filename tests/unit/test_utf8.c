/* test_utf8.c: validation, NFC, folding, transliteration, widths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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
	const char	*slug;
} slug_cases[] = {
	{ "Đại hội", "dai-hoi" },
	{ "  ĐẠI HỘI  Đảng!! ", "dai-hoi-dang" },
	{ "đại hội", "dai-hoi" },
	{ "Dai-Hoi", "dai-hoi" },
	{ "COVID-19", "covid-19" },
	{ "Kinh tế / Xã hội", "kinh-te-xa-hoi" },
	{ "Nguyễn Thị Minh Khai", "nguyen-thi-minh-khai" },
	{ "Straße", "strasse" },
	{ "ﬁ", "fi" },
	{ "a漢b", "a-b" },		/* no ASCII fold: a separator */
	{ "Москва 2024", "2024" },
	{ "Vie\xcc\x82\xcc\xa3t Nam", "viet-nam" },	/* marks apart */
	{ "Hà Nội ﬁ", "ha-noi-fi" },	/* past the fold table */
	{ "漢字", "" },
	{ "---", "" },
	{ "", "" },
	/* 64 bytes at most, whole words */
	{ "mot hai ba bon nam sau bay tam chin muoi muoi mot muoi hai "
	  "muoi ba",
	  "mot-hai-ba-bon-nam-sau-bay-tam-chin-muoi-muoi-mot-muoi-hai-muoi" },
	/* full inside a word: cut at the last '-' */
	{ "mot hai ba bon nam sau bay tam chin muoi muoi mot muoi hai "
	  "muoihai",
	  "mot-hai-ba-bon-nam-sau-bay-tam-chin-muoi-muoi-mot-muoi-hai" },
	/* a word too long: cut at 64 */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
	/* full at a word's end: no '-' at the end */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
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

/* utf8_nfc goes a line at a time and copies ASCII lines: the same as
 * utf8proc over the whole text, marks at line starts and all */
static const char *const nfc_cases[] = {
	"Vi\x65\xcc\xa3\xcc\x82t Nam",	/* dot below before circumflex */
	"a\n\xcc\x81" "b",			/* a mark starts a line */
	"e\xcc\x81\n\n<\xcc\xb8=\xcc\xb8",	/* < and = compose with U+0338 */
	"plain\nascii\n",
	"\xcc\x81\xcc\xa3x",			/* marks only, reordered */
	"Th\xe1\xbb\x9di s\xe1\xbb\xb1\nHo\xcc\x80" "a\n\n",
	"\xea\xb0\x80\xe1\x86\xa8\nx",		/* Hangul LV + T */
	"\xe1\x84\x80\xe1\x85\xa1",		/* Hangul L + V */
	/* precomposed Vietnamese and its punctuation, copied as they are */
	"\xe2\x80\x9c\xc4\x90\xe1\xba\xa1i h\xe1\xbb\x99i\xe2\x80\x9d"
	" \xe2\x80\x93 50.000 \xe2\x82\xab\xe2\x80\xa6",
	/* singletons NFC replaces: Ohm, Angstrom, en quad */
	"\xe2\x84\xa6 \xe2\x84\xab\xe2\x80\x80x",
	"\xc3\xa9\xcc\x81",			/* precomposed, then a mark */
	"",
};

/* Each code point the quick check knows, alone and between a letter
 * and a mark: what utf8proc makes of it. */
static void
test_nfc_each(void)
{
	struct buf		 b = BUF_INIT;
	utf8proc_uint8_t	 in[16], *want;
	utf8proc_ssize_t	 n, len;
	int			 cp, bad = 0;

	for (cp = 0x80; cp < 0x2100 * 2; cp++) {
		if (cp % 0x2100 < 0x80)
			continue;
		in[0] = 'a';
		len = 1 + utf8proc_encode_char(cp % 0x2100, in + 1);
		if (cp < 0x2100)
			in[len++] = 'b';
		else {
			in[len++] = 0xcc;	/* U+0301 */
			in[len++] = 0x81;
		}
		buf_reset(&b);
		n = utf8proc_map(in, len, &want, UTF8PROC_STABLE |
		    UTF8PROC_COMPOSE);
		if (n < 0)
			continue;
		if (utf8_nfc(&b, (char *)in, (size_t)len) != 0 ||
		    b.len != (size_t)n || memcmp(b.data, want, n) != 0) {
			if (bad++ < 5)
				fprintf(stderr, "nfc of U+%04X\n", cp % 0x2100);
		}
		free(want);
	}
	CHECK_INT(bad, 0);
	buf_free(&b);
}

static void
test_nfc_lines(void)
{
	struct buf		 b = BUF_INIT;
	utf8proc_uint8_t	*want;
	utf8proc_ssize_t	 n;
	size_t			 i;

	for (i = 0; i < sizeof(nfc_cases) / sizeof(nfc_cases[0]); i++) {
		buf_reset(&b);
		CHECK_INT(utf8_nfc(&b, nfc_cases[i], strlen(nfc_cases[i])),
		    0);
		n = utf8proc_map((const utf8proc_uint8_t *)nfc_cases[i],
		    (utf8proc_ssize_t)strlen(nfc_cases[i]), &want,
		    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		CHECK(n >= 0);
		if (n < 0)
			continue;
		CHECK_INT(b.len, n);
		CHECK_STR(b.data != NULL ? b.data : "", (char *)want);
		free(want);
	}
	/* nothing appended when the text is not UTF-8 */
	buf_reset(&b);
	buf_puts(&b, "x");
	CHECK_INT(utf8_nfc(&b, "ok\n\xff", 4), -1);
	CHECK_STR(b.data, "x");
	buf_free(&b);
}

int
main(void)
{
	test_nfc_lines();
	test_nfc_each();
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
	for (i = 0; i < sizeof(slug_cases) / sizeof(slug_cases[0]); i++) {
		buf_reset(&b);
		buf_puts(&b, "x");
		CHECK_INT(utf8_slug(&b, slug_cases[i].in,
		    strlen(slug_cases[i].in)), 0);
		CHECK_STR(b.data + 1, slug_cases[i].slug);
		CHECK(b.len <= 1 + UTF8_SLUG_MAX);
	}
	buf_reset(&b);
	CHECK_INT(utf8_slug(&b, "a\xff", 2), -1);
	CHECK_INT(b.len, 0);
	/* the slug of every code point of the fold table between two
	 * letters is the one its utf8_fold() text gives */
	{
		struct buf	 f = BUF_INIT, want = BUF_INIT;
		utf8proc_ssize_t en;
		char		 in[8];
		size_t		 k;
		int		 cp, bad = 0, dash;

		for (cp = 0x80; cp < 0x2000; cp++) {
			in[0] = 'x';
			en = utf8proc_encode_char(cp,
			    (utf8proc_uint8_t *)in + 1);
			in[1 + en] = 'y';
			buf_reset(&f);
			buf_reset(&want);
			buf_reset(&b);
			if (utf8_fold(&f, in, (size_t)en + 2) == -1 ||
			    utf8_slug(&b, in, (size_t)en + 2) == -1) {
				bad++;
				continue;
			}
			for (k = 0, dash = 0; k < f.len; k++) {
				if ((f.data[k] >= 'a' && f.data[k] <= 'z') ||
				    (f.data[k] >= '0' && f.data[k] <= '9')) {
					if (dash && want.len > 0)
						buf_putc(&want, '-');
					buf_putc(&want, f.data[k]);
					dash = 0;
				} else
					dash = 1;
			}
			if (strcmp(b.data, want.data) != 0 && bad++ < 5)
				fprintf(stderr, "slug U+%04X: %s, want %s\n",
				    cp, b.data, want.data);
		}
		CHECK_INT(bad, 0);
		buf_free(&f);
		buf_free(&want);
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
	/* the hand-written decoder agrees with utf8proc on random bytes */
	{
		unsigned char	 r[4];
		utf8proc_int32_t want;
		utf8proc_ssize_t wn;
		size_t		 got_n;
		int		 k, got, bad = 0;

		srandom(1965);
		for (k = 0; k < 200000; k++) {
			r[0] = (unsigned char)(0x80 | random());
			r[1] = (unsigned char)random();
			r[2] = (unsigned char)random();
			r[3] = (unsigned char)random();
			if (k % 3 == 0)
				r[1] = (unsigned char)(0x80 | (r[1] & 0x3f));
			if (k % 5 < 3)
				r[2] = (unsigned char)(0x80 | (r[2] & 0x3f));
			if (k % 7 < 4)
				r[3] = (unsigned char)(0x80 | (r[3] & 0x3f));
			got_n = utf8_decode((char *)r, 4, &got);
			wn = utf8proc_iterate(r, 4, &want);
			if ((wn > 0 && (got != want || got_n != (size_t)wn)) ||
			    (wn <= 0 && got != -1))
				bad++;
		}
		CHECK_INT(bad, 0);
	}
	/* the width fast path agrees with utf8proc */
	{
		int		 cp, bad = 0;
		char		 enc[8];
		utf8proc_ssize_t en;

		for (cp = 0xa0; cp < 0x1f00; cp++) {
			if (cp == 0x300)
				cp = 0x1e00;
			en = utf8proc_encode_char(cp, (utf8proc_uint8_t *)enc);
			if ((int)utf8_width(enc, (size_t)en) !=
			    utf8proc_charwidth(cp))
				bad++;
		}
		CHECK_INT(bad, 0);
	}
	/* the fold table agrees with utf8proc's whole-string fold for every
	 * code point it covers (đ/Đ aside, folded to d on purpose) */
	{
		int		 cp, bad = 0;
		char		 enc[8];
		utf8proc_uint8_t *want;
		utf8proc_ssize_t wn, en;

		for (cp = 0x80; cp < 0x2000; cp++) {
			if (cp == 0x110 || cp == 0x111)
				continue;
			en = utf8proc_encode_char(cp, (utf8proc_uint8_t *)enc);
			buf_reset(&b);
			utf8_fold(&b, enc, (size_t)en);
			wn = utf8proc_map((utf8proc_uint8_t *)enc, en, &want,
			    UTF8PROC_STABLE | UTF8PROC_COMPOSE |
			    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
			    UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
			if (wn < 0 || (size_t)wn != b.len ||
			    memcmp(want, b.data ? b.data : "", b.len) != 0) {
				if (bad++ < 5)
					fprintf(stderr, "fold U+%04X differs\n",
					    cp);
			}
			free(want);
		}
		CHECK_INT(bad, 0);
	}
	buf_free(&b);
	return t_done("test_utf8");
}
