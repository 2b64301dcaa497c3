/*
 * fuzz_config.c: configuration files (config_load, through iniparser),
 * written to a scratch file each run. A file is either refused with at
 * least one problem line, or loads and dumps.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "fuzz.h"

static char	 dir[64], file[128];
static int	 fd = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct config	*c;
	struct buf	 errs = BUF_INIT, dump = BUF_INIT;

	if (fd == -1) {
		fuzz_scratch(dir, sizeof(dir), "config");
		snprintf(file, sizeof(file), "%s/bantin.ini", dir);
		if ((fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
			abort();
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, data, len, 0) !=
	    (ssize_t)len)
		abort();
	if ((c = config_load(file, &errs)) != NULL) {
		FUZZ_ASSERT(errs.len == 0);
		config_dump(c, &dump);
		FUZZ_ASSERT(dump.len > 0);
		config_free(c);
	} else
		FUZZ_ASSERT(errs.len > 0 && errs.data[errs.len - 1] == '\n');
	buf_free(&errs);
	buf_free(&dump);
	return 0;
}
