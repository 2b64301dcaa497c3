/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * proto.c: life cycle of struct reply, and the mapping from the core's
 * status to Gemini status codes (Gemini specification v0.24.1, section
 * "Status codes"). The Gopher mapping lives in gopher.c.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "proto.h"

void
reply_init(struct reply *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body);
	r->fd = -1;
	r->slot = -1;
}

void
reply_clear(struct reply *r)
{
	if (r->fd != -1)
		close(r->fd);
	r->fd = -1;
	r->size = 0;
	r->status = ST_OK;
	r->kind = REPLY_NONE;
	r->meta[0] = '\0';
	r->cache = r->count = r->hole = 0;
	r->slot = -1;
	r->lang = NULL;
	buf_reset(&r->body);
}

void
reply_status(struct reply *r, enum status st, const char *fmt, ...)
{
	va_list	 ap;

	r->status = st;
	r->kind = REPLY_NONE;
	va_start(ap, fmt);
	vsnprintf(r->meta, sizeof(r->meta), fmt, ap);
	va_end(ap);
}

int
status_gemini(enum status st)
{
	switch (st) {
	case ST_OK:		return 20;
	case ST_INPUT:		return 10;
	case ST_REDIRECT:	return 30;
	case ST_REDIRECT_PERM:	return 31;
	case ST_TEMP_FAIL:	return 40;
	case ST_SLOW_DOWN:	return 44;
	case ST_PERM_FAIL:	return 50;
	case ST_NOT_FOUND:	return 51;
	case ST_GONE:		return 52;
	case ST_PROXY_REFUSED:	return 53;
	case ST_BAD_REQUEST:	return 59;
	case ST_CERT_REQUIRED:	return 60;
	case ST_CERT_REFUSED:	return 61;
	case ST_CERT_INVALID:	return 62;
	}
	return 40;
}
