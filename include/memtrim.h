/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * memtrim.h: give back the pages of code and read-only data the
 * master touched while it scanned (see memtrim.c).
 */

#ifndef MEMTRIM_H
#define MEMTRIM_H

#include <stddef.h>

/* Unmap this process's clean, read-only file pages (they fault back
 * in from the page cache when used again). Returns the KB released,
 * or -1 if /proc/self/smaps cannot be read. */
long	memtrim_code(void);

#endif
