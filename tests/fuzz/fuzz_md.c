/*
 * fuzz_md.c: Markdown -> gemtext (convert_md, through lowdown's parser
 * and bantin's writer).
 */
#include "fuzz_convert.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	fuzz_convert(convert_md, data, len);
	return 0;
}
