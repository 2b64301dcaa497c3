/*
 * fuzz_proxy.c: the PROXY protocol's header (proxy_parse). A header
 * found lies within the bytes and the size limits, names an IPv4 or
 * IPv6 client unless it names none, and is the same read from its own
 * bytes alone; every shorter prefix of it, and of bytes that ask for
 * more, asks for more too: conn.c takes such bytes off the socket as
 * header. A refusal says why.
 */
#include "fuzz.h"
#include "proxy.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct proxy_hdr	 h, g;
	size_t			 k, end;

	switch (proxy_parse(data, len, &h)) {
	case PROXY_BAD:
		FUZZ_ASSERT(h.why != NULL);
		return 0;
	case PROXY_MORE:
		FUZZ_ASSERT(len < PROXY_MAX);
		end = len;
		break;
	case PROXY_DONE:
		FUZZ_ASSERT(h.len > 0 && h.len <= len && h.len <= PROXY_MAX);
		FUZZ_ASSERT(h.version == 2 ||
		    (h.version == 1 && h.len <= PROXY_V1_MAX));
		FUZZ_ASSERT(h.local || h.src.ss_family == AF_INET ||
		    h.src.ss_family == AF_INET6);
		FUZZ_ASSERT(h.why == NULL);
		FUZZ_ASSERT(proxy_sent(data, len));
		FUZZ_ASSERT(proxy_parse(data, h.len, &g) == PROXY_DONE);
		FUZZ_ASSERT(g.len == h.len && g.local == h.local &&
		    memcmp(&g.src, &h.src, sizeof(g.src)) == 0);
		end = h.len;
		break;
	default:
		abort();
	}
	for (k = 0; k < end; k++)
		FUZZ_ASSERT(proxy_parse(data, k, &g) == PROXY_MORE);
	return 0;
}
