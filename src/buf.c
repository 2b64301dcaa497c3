/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * buf.c: growable byte buffers. Every rendered page and every network
 * reply is built in a struct buf; the data is always NUL-terminated so
 * that a finished buffer can be handed to string functions. Failure to
 * grow returns -1 and leaves the buffer as it was; it never exits.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

/* room for extra bytes and a NUL; with wipe, an outgrown block is
 * copied and wiped before it is freed, where realloc would leave its
 * bytes in the heap */
static int
reserve(struct buf *b, size_t extra, int wipe)
{
	size_t	 need, ncap;
	char	*p;

	if (extra > (size_t)-1 / 2 - b->len - 1)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if (!wipe || b->data == NULL)
		p = realloc(b->data, ncap);
	else if ((p = malloc(ncap)) != NULL) {
		memcpy(p, b->data, b->len + 1);
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
buf_reserve(struct buf *b, size_t extra)
{
	return reserve(b, extra, 0);
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc_slow(struct buf *b, int c)
{
	char	 ch = (char)c;

	return buf_append(b, &ch, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	size_t	 room;
	int	 n;

	/* one pass when it fits in the room left, which is the usual case
	 * for a page being rendered; a second one after growing if not */
	if (b->data == NULL && buf_reserve(b, 0) == -1)
		return -1;
	room = b->cap - b->len;
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -1;
	if ((size_t)n >= room) {
		if (buf_reserve(b, (size_t)n) == -1) {
			b->data[b->len] = '\0';
			return -1;
		}
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

char *
buf_steal(struct buf *b, size_t *lenp)
{
	char	*p;

	if (b->data == NULL && buf_reserve(b, 0) == -1)
		return NULL;
	if (b->len == 0)
		b->data[0] = '\0';
	p = b->data;
	if (lenp != NULL)
		*lenp = b->len;
	buf_init(b);
	return p;
}

/* Append what fd reads, to its end; a short read that leaves size
 * bytes read (SIZE_MAX: none expected) is taken as the end. */
static int
read_fd(struct buf *b, int fd, size_t max, size_t hint, size_t size,
    int wipe)
{
	size_t	 want, from = b->len;
	ssize_t	 n;

	if (reserve(b, hint, wipe) == -1)
		return -1;
	b->data[b->len] = '\0';	/* an empty file too */
	for (;;) {
		if (b->cap - b->len < 2 && reserve(b, 4096, wipe) == -1)
			return -1;
		want = b->cap - b->len - 1;
		n = read(fd, b->data + b->len, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
		if (b->len > max) {
			errno = EFBIG;
			return -1;
		}
		if ((size_t)n < want && b->len - from == size)
			break;
	}
	return 0;
}

int
buf_write_fd(const struct buf *b, int fd)
{
	const char	*p = b->data;
	size_t		 len = b->len;
	ssize_t		 w;

	while (len > 0) {
		if ((w = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
buf_put_u32(struct buf *b, uint32_t v)
{
	return buf_append(b, &v, sizeof(v));
}

int
buf_put_u64(struct buf *b, uint64_t v)
{
	return buf_append(b, &v, sizeof(v));
}

const void *
buf_rd_bytes(struct buf_rd *r, size_t n)
{
	const void	*v = r->p;

	if (r->bad || n > r->left) {
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return v;
}

uint32_t
buf_rd_u32(struct buf_rd *r)
{
	const void	*v = buf_rd_bytes(r, sizeof(uint32_t));
	uint32_t	 u = 0;

	if (v != NULL)
		memcpy(&u, v, sizeof(u));
	return u;
}

uint64_t
buf_rd_u64(struct buf_rd *r)
{
	const void	*v = buf_rd_bytes(r, sizeof(uint64_t));
	uint64_t	 u = 0;

	if (v != NULL)
		memcpy(&u, v, sizeof(u));
	return u;
}

int
buf_read_fd(struct buf *b, int fd, size_t max, size_t hint)
{
	return read_fd(b, fd, max, hint, SIZE_MAX, 0);
}

int
buf_read_file(struct buf *b, int fd, size_t max, size_t size)
{
	return read_fd(b, fd, max, size + 1, size, 0);
}

int
buf_read_secret(struct buf *b, int fd, size_t max, size_t hint)
{
	return read_fd(b, fd, max, hint, SIZE_MAX, 1);
}
