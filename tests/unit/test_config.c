/* test_config.c: good and bad ini files, every problem reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "t.h"

static char	 dir[] = "/tmp/bantin-config-XXXXXX";

static const char *
write_ini(const char *body)
{
	static char	 path[256];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/t.ini", dir);
	f = fopen(path, "w");
	fprintf(f, "[site]\nroot = %s\n%s", dir, body);
	fclose(f);
	return path;
}

static const struct {
	const char	*ini;
	const char	*problem;	/* NULL = accepted */
} cases[] = {
	{ "", NULL },
	{ "[gemini]\nport = 0\n", "gemini:port: 0 is out of range" },
	{ "[gemini]\nport = abc\n", "gemini:port: 'abc' is not a number" },
	{ "[gemini]\nlisten = 127.0.0.1 nowhere\n",
	    "gemini:listen: 'nowhere' is not an IP address" },
	{ "[server]\nhostname = bad host\n", "server:hostname:" },
	{ "[server]\ncolour = blue\n", "server:colour: unknown key" },
	{ "[extra]\nx = 1\n", "extra: unknown section" },
	{ "[site]\nlang = fr\n", "site:lang: 'fr' is not vi or en" },
	{ "[gopher]\nenabled = maybe\n", "gopher:enabled: 'maybe'" },
	{ "[gopher]\nport = 1965\n", "gopher:port: same as gemini:port" },
	{ "[gopher]\ncharset = latin1\n", "gopher:charset:" },
	{ "[gemini]\ncert = /nonexistent.pem\nkey = /nonexistent.key\n",
	    "gemini:cert: /nonexistent.pem:" },
	{ "[gemini]\ncert = /nonexistent.pem\n",
	    "gemini:key: cert and key must be set together" },
	{ "[labels]\nlatest = Tin mới\n", NULL },
	{ "[labels]\ntags = Từ khóa\ntag = Từ khóa\n", NULL },
	{ "[labels]\nnonsense = x\n", "labels:nonsense: unknown label" },
	{ "[limits]\nrequest_timeout = -1\n", "limits:request_timeout:" },
};

int
main(void)
{
	struct config	*c;
	struct buf	 errs = BUF_INIT, dump = BUF_INIT;
	size_t		 i;

	if (mkdtemp(dir) == NULL)
		return 1;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&errs);
		c = config_load(write_ini(cases[i].ini), &errs);
		if (cases[i].problem == NULL) {
			if (c == NULL)
				fprintf(stderr, "case %zu: %s", i, errs.data);
			CHECK(c != NULL);
		} else {
			CHECK(c == NULL);
			CHECK_HAS(errs.data, cases[i].problem);
		}
		config_free(c);
	}
	/* several problems are all reported at once */
	buf_reset(&errs);
	c = config_load(write_ini("[gemini]\nport = 0\n[site]\nlang = xx\n"),
	    &errs);
	CHECK(c == NULL);
	CHECK_HAS(errs.data, "gemini:port:");
	CHECK_HAS(errs.data, "site:lang:");
	/* defaults and derived values */
	buf_reset(&errs);
	c = config_load(write_ini("[labels]\nlatest = Tin mới\n"), &errs);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT(c->gemini_port, 1965);
		CHECK_INT(c->gopher_port, 7070);
		CHECK_STR(c->hostname, "localhost");
		CHECK_STR(c->gopher_host, "localhost");
		CHECK_INT(c->flush_interval, 10);
		CHECK_INT(c->request_timeout, 10);
		CHECK(c->workers >= 1);
		CHECK(c->cert_generate);
		CHECK_STR(c->labels[L_LATEST], "Tin mới");
		config_dump(c, &dump);
		CHECK_HAS(dump.data, "gemini.port = 1965\n");
		CHECK_HAS(dump.data, "labels.latest = Tin mới\n");
	}
	config_free(c);
	buf_reset(&errs);
	CHECK(config_load("/nonexistent/bantin.ini", &errs) == NULL);
	CHECK_HAS(errs.data, "/nonexistent/bantin.ini:");
	buf_free(&errs);
	buf_free(&dump);
	unlink(write_ini(""));
	rmdir(dir);
	return t_done("test_config");
}
