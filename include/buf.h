/*
 * buf.h: growable byte buffers for rendered output and network I/O.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NUL-terminated once anything was appended */
	size_t	 len;		/* bytes in use, not counting the NUL */
	size_t	 cap;		/* bytes allocated */
};

#define BUF_INIT	{ NULL, 0, 0 }

void	 buf_init(struct buf *);
int	 buf_reserve(struct buf *, size_t);
int	 buf_append(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_putc_slow(struct buf *, int);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list);
void	 buf_reset(struct buf *);		/* len = 0, keeps memory */
void	 buf_free(struct buf *);
char	*buf_steal(struct buf *, size_t *);	/* caller frees; buf emptied */
/* Append everything fd reads until EOF (hint: the expected size).
 * -1 with errno, EFBIG past max bytes. */
int	 buf_read_fd(struct buf *, int fd, size_t max, size_t hint);
/* The same for a secret: no block it outgrows is freed unwiped. */
int	 buf_read_secret(struct buf *, int fd, size_t max, size_t hint);

/* one byte: inline, since renderers write text a character at a time */
static inline int
buf_putc(struct buf *b, int c)
{
	if (b->len + 2 > b->cap)
		return buf_putc_slow(b, c);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
	return 0;
}

#endif
