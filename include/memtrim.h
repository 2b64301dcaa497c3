/*
 * Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
 *
 * memtrim.h: give back the pages of code and read-only data the
 * master touched while it scanned (see memtrim.c).
 */

#ifndef MEMTRIM_H
#define MEMTRIM_H

#include <stdio.h>

/* Unmap this process's clean, read-only file pages (they fault back
 * in from the page cache when used again). Returns the KB released,
 * or -1 if /proc/self/smaps cannot be read or does not describe this
 * process (an emulator's): then nothing is touched. */
long	memtrim_code(void);

/* Whether the smaps text in f shows the page at code in an executable
 * file mapping and the page at data, just written, in a writable
 * private one with Anonymous pages: memtrim_code's check, given its
 * own code and data; the unit test feeds it descriptions. */
int	memtrim_trusted(FILE *f, unsigned long code, unsigned long data);

#endif
