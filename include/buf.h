/*
 * buf.h: growable byte buffers for rendered output and network I/O.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
/* The same for a regular file fstat said is size bytes: a read that
 * stops short there is its end, with no read of nothing to say so (a
 * system call a file; one that grew goes on to its end). */
int	 buf_read_file(struct buf *, int fd, size_t max, size_t size);
/* The same for a secret: no block it outgrows is freed unwiped. */
int	 buf_read_secret(struct buf *, int fd, size_t max, size_t hint);
/* Write all of b to fd (again after EINTR or a short write): 0, or -1
 * with errno. */
int	 buf_write_fd(const struct buf *, int fd);

/*
 * Records: fixed-width numbers in this machine's byte order (both ends
 * are the same program, as for a pipe to a child or a file it reads
 * back), read with a cursor that checks every length: a read past the
 * end sets bad and gives NULL or 0, and once bad nothing more is read.
 */
int	 buf_put_u32(struct buf *, uint32_t);
int	 buf_put_u64(struct buf *, uint64_t);
struct buf_rd {
	const char	*p;
	size_t		 left;
	int		 bad;
};
const void	*buf_rd_bytes(struct buf_rd *, size_t);
uint32_t	 buf_rd_u32(struct buf_rd *);
uint64_t	 buf_rd_u64(struct buf_rd *);

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
