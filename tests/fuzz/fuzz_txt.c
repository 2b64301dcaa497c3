/*
 * fuzz_txt.c: plain text -> gemtext (convert_txt: titles and
 * sub-headings guessed from the layout).
 */
#include "fuzz_convert.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_convert(convert_txt, data, len);
	return 0;
}
