/*
 * test_config.c: good and bad ini files, every problem reported; and
 * config_load out of memory. This binary is linked with -Wl,--wrap for
 * the allocation functions (Makefile), so the calls in the objects it
 * links (config.c's among them) go through the counters below.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "label.h"
#include "t.h"

static char	 dir[] = "/tmp/bantin-config-XXXXXX";

/*
 * Allocation failure injection. Every malloc, calloc, strdup and
 * asprintf is counted in alloc_calls; the one that makes the count
 * alloc_fail_at (0: none) fails with ENOMEM. alloc_live counts the
 * blocks allocated through these (and realloc from NULL) and not yet
 * freed: what a failed load leaves there is a leak.
 */
static long	 alloc_calls, alloc_fail_at, alloc_live;

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
char	*__real_strdup(const char *);
void	 __real_free(void *);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
char	*__wrap_strdup(const char *);
int	 __wrap_asprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 __wrap_free(void *);

static int
alloc_fails(void)
{
	if (++alloc_calls != alloc_fail_at)
		return 0;
	errno = ENOMEM;
	return 1;
}

static void *
alloc_count(void *p)
{
	if (p != NULL)
		alloc_live++;
	return p;
}

void *
__wrap_malloc(size_t n)
{
	return alloc_fails() ? NULL : alloc_count(__real_malloc(n));
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : alloc_count(__real_calloc(n, size));
}

char *
__wrap_strdup(const char *s)
{
	return alloc_fails() ? NULL : alloc_count(__real_strdup(s));
}

/* growing a buffer is not failed: the errors are written with it */
void *
__wrap_realloc(void *p, size_t n)
{
	return p == NULL ? alloc_count(__real_realloc(p, n)) :
	    __real_realloc(p, n);
}

int
__wrap_asprintf(char **p, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	*p = NULL;
	if (alloc_fails())
		return -1;
	va_start(ap, fmt);
	r = vasprintf(p, fmt, ap);
	va_end(ap);
	if (r != -1)
		alloc_count(*p);
	return r;
}

void
__wrap_free(void *p)
{
	if (p != NULL)
		alloc_live--;
	__real_free(p);
}

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
	{ "[site]\ntimezone = Asia/Ho_Chi_Minh\n", NULL },
	{ "[site]\ntimezone = Mars/Olympus\n",
	    "site:timezone: unknown time zone 'Mars/Olympus'" },
	{ "[site]\ntimezone = ../../etc/passwd\n",
	    "site:timezone: '../../etc/passwd' is not a time zone name" },
	{ "[site]\ntimezone = ICT-7\n", "site:timezone: unknown time zone" },
	{ "[gopher]\nenabled = maybe\n", "gopher:enabled: 'maybe'" },
	{ "[gopher]\nport = 1965\n", "gopher:port: same as gemini:port" },
	{ "[gopher]\ncharset = latin1\n", "gopher:charset:" },
	/* checked when Gopher is off too (it crashed config_load) */
	{ "[gopher]\nenabled = no\nlisten = nowhere\n",
	    "gopher:listen: 'nowhere' is not an IP address" },
	{ "[gopher]\nenabled = no\nlisten = ,\n", NULL },
	{ "[gopher]\nenabled = yes\nlisten = ,\n",
	    "gopher:listen: no address to listen on" },
	{ "[gemini]\ncert = /nonexistent.pem\nkey = /nonexistent.key\n",
	    "gemini:cert: /nonexistent.pem:" },
	{ "[gemini]\ncert = /nonexistent.pem\n",
	    "gemini:key: cert and key must be set together" },
	{ "[server]\nlog = syslog\naccess_log = /tmp/bantin-access.log\n",
	    NULL },
	{ "[server]\nlog = stderr\n", NULL },
	{ "[server]\nlog = /tmp/bantin.log\n", NULL },
	{ "[server]\nlog = /nonexistent/bantin.log\n",
	    "server:log: /nonexistent: No such file or directory" },
	{ "[server]\nlog = /\n", "server:log: '/' is not a file's path" },
	{ "[server]\naccess_log = syslog\n",
	    "server:access_log: 'syslog': a file's path is wanted here" },
	{ "[server]\naccess_log = /dev/null/access.log\n",
	    "server:access_log: /dev/null: not a folder" },
	{ "[labels]\nlatest = Tin mới\n", NULL },
	{ "[labels]\ntags = Từ khóa\ntag = Từ khóa\n", NULL },
	{ "[labels]\nnonsense = x\n", "labels:nonsense: unknown label" },
	{ "[limits]\nrequest_timeout = -1\n", "limits:request_timeout:" },
	{ "[limits]\nmax_connections_per_ip = 0\nrate_per_ip = 0\n", NULL },
	{ "[limits]\nmax_connections_per_ip = -1\n",
	    "limits:max_connections_per_ip: -1 is out of range" },
	{ "[limits]\nrate_per_ip = x\n",
	    "limits:rate_per_ip: 'x' is not a number" },
	{ "[counter]\nbackend = redis\nredis = /run/redis/redis.sock\n"
	    "redis_prefix = news:\ninstance = web-2:1965\n", NULL },
	{ "[counter]\nredis = [::1]:6379\n", NULL },
	{ "[counter]\nbackend = sql\n",
	    "counter:backend: 'sql' is not file or redis" },
	{ "[counter]\nredis = localhost\n",
	    "counter:redis: 'localhost' is not host:port or a socket's path" },
	{ "[counter]\nredis = localhost:0\n",
	    "counter:redis: 'localhost:0': bad port" },
	{ "[counter]\nredis = ::1:6379x\n", "counter:redis: '::1:6379x'" },
	{ "[counter]\nredis = [::1:6379\n",
	    "counter:redis: '[::1:6379': an IPv6 address goes in brackets" },
	{ "[counter]\nredis_prefix = a b\n",
	    "counter:redis_prefix: a space or a control character in 'a b'" },
	{ "[counter]\ninstance = web 2\n",
	    "counter:instance: 'web 2' is not a word" },
	{ "[counter]\ninstance = /web\n",
	    "counter:instance: '/web' is not a word" },
	{ "[limits]\nrate_burst = 0\n", "limits:rate_burst: 0 is out of range" },
	{ "[limits]\nhandshake_timeout = 0\n",
	    "limits:handshake_timeout: 0 is out of range" },
	/* the handshake is part of the request: no later deadline */
	{ "[limits]\nhandshake_timeout = 11\n",
	    "limits:handshake_timeout: 11 is longer than request_timeout (10)" },
	{ "[limits]\nhandshake_timeout = 10\n", NULL },
	{ "[limits]\nrequest_timeout = 2\nhandshake_timeout = 3\n",
	    "limits:handshake_timeout: 3 is longer than request_timeout (2)" },
	/* unset, it follows a shorter request_timeout */
	{ "[limits]\nrequest_timeout = 2\n", NULL },
	{ "[gemini]\nciphers = ECDHE-ECDSA-AES128-GCM-SHA256\n", NULL },
	{ "[gemini]\nciphers = HIGH:!aNULL\n", NULL },
	{ "[gemini]\nciphers = KHONG-CO\n",
	    "gemini:ciphers: 'KHONG-CO': OpenSSL knows no cipher in it" },
	{ "[gemini]\nciphers = !ALL\n", "gemini:ciphers:" },
	/* who may send a PROXY header */
	{ "[server]\nproxy_from = 127.0.0.1 10.0.0.0/8, 2001:db8::/32\n"
	    "[gemini]\nproxy_protocol = yes\n[gopher]\nproxy_protocol = on\n",
	    NULL },
	{ "[server]\nproxy_from = ::ffff:192.0.2.0/120 ::/0 0.0.0.0/0\n",
	    NULL },
	{ "[server]\nproxy_from = 10.0.0.1/8\n", "server:proxy_from: "
	    "'10.0.0.1/8' has bits set past its prefix length" },
	{ "[server]\nproxy_from = 2001:db8::1/32\n",
	    "'2001:db8::1/32' has bits set past its prefix length" },
	{ "[server]\nproxy_from = 10.0.0.0/33\n",
	    "'10.0.0.0/33' is not a prefix: /0 to /32" },
	{ "[server]\nproxy_from = ::1/129\n",
	    "'::1/129' is not a prefix: /0 to /128" },
	{ "[server]\nproxy_from = 10.0.0.0/\n", "'10.0.0.0/' is not a prefix" },
	{ "[server]\nproxy_from = 10.0.0.0/-8\n", "is not a prefix" },
	{ "[server]\nproxy_from = 10.0.0.0/8x\n", "is not a prefix" },
	{ "[server]\nproxy_from = haproxy.lan\n",
	    "server:proxy_from: 'haproxy.lan' is not an IP address" },
	{ "[server]\nproxy_from = 10.0.0.0/8 010.1.2.3\n",
	    "'010.1.2.3' is not an IP address" },
	{ "[server]\nproxy_from = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 "
	    "18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33\n",
	    "'1' is not an IP address" },
	{ "[server]\nproxy_from = 0.0.0.1 0.0.0.2 0.0.0.3 0.0.0.4 0.0.0.5 "
	    "0.0.0.6 0.0.0.7 0.0.0.8 0.0.0.9 0.0.0.10 0.0.0.11 0.0.0.12 "
	    "0.0.0.13 0.0.0.14 0.0.0.15 0.0.0.16 0.0.0.17 0.0.0.18 0.0.0.19 "
	    "0.0.0.20 0.0.0.21 0.0.0.22 0.0.0.23 0.0.0.24 0.0.0.25 0.0.0.26 "
	    "0.0.0.27 0.0.0.28 0.0.0.29 0.0.0.30 0.0.0.31 0.0.0.32\n", NULL },
	{ "[server]\nproxy_from = 0.0.0.1 0.0.0.2 0.0.0.3 0.0.0.4 0.0.0.5 "
	    "0.0.0.6 0.0.0.7 0.0.0.8 0.0.0.9 0.0.0.10 0.0.0.11 0.0.0.12 "
	    "0.0.0.13 0.0.0.14 0.0.0.15 0.0.0.16 0.0.0.17 0.0.0.18 0.0.0.19 "
	    "0.0.0.20 0.0.0.21 0.0.0.22 0.0.0.23 0.0.0.24 0.0.0.25 0.0.0.26 "
	    "0.0.0.27 0.0.0.28 0.0.0.29 0.0.0.30 0.0.0.31 0.0.0.32 0.0.0.33\n",
	    "server:proxy_from: more than 32 entries" },
	{ "[gemini]\nproxy_protocol = yes\n", "gemini:proxy_protocol: yes, "
	    "but server:proxy_from names no proxy" },
	{ "[gopher]\nproxy_protocol = yes\n", "gopher:proxy_protocol: yes, "
	    "but server:proxy_from names no proxy" },
	{ "[gopher]\nenabled = no\nproxy_protocol = yes\n", NULL },
	{ "[gopher]\nproxy_protocol = maybe\n",
	    "gopher:proxy_protocol: 'maybe' is not yes or no" },
};

/*
 * Fail the 1st allocation config_load makes, then the 2nd, and so on
 * until one load makes no more than it was allowed and succeeds: each
 * failed one returns NULL, says "out of memory" and leaves nothing
 * allocated. Returns how many allocations a good load makes.
 */
static long
nomem_each(const char *ini)
{
	struct config	*c;
	struct buf	 errs = BUF_INIT;
	long		 n, live;

	buf_reserve(&errs, 4096);	/* no new block while it is written */
	for (n = 1; n < 1000; n++) {
		buf_reset(&errs);
		live = alloc_live;
		alloc_calls = 0;
		alloc_fail_at = n;
		c = config_load(ini, &errs);
		alloc_fail_at = 0;
		if (alloc_calls < n) {
			if (c == NULL)
				fprintf(stderr, "no failure: %s", errs.data);
			CHECK(c != NULL);
			config_free(c);
			CHECK_INT(alloc_live, live);
			break;
		}
		if (c != NULL)
			fprintf(stderr, "allocation %ld failed, loaded\n", n);
		CHECK(c == NULL);
		CHECK_HAS(errs.data, ": out of memory\n");
		config_free(c);
		if (alloc_live != live)
			fprintf(stderr, "allocation %ld failed: %ld blocks "
			    "leaked\n", n, alloc_live - live);
		CHECK_INT(alloc_live, live);
	}
	buf_free(&errs);
	return n - 1;
}

/* packed and unpacked (as the parent hands it to the master), a
 * configuration dumps the same; every truncation of it is refused */
static void
round_trip(const struct config *c)
{
	struct config	*u;
	struct buf	 pack = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	size_t		 cut;

	CHECK(config_pack(c, &pack) == 0);
	u = config_unpack(pack.data, pack.len);
	CHECK(u != NULL);
	if (u != NULL) {
		config_dump(c, &a);
		config_dump(u, &b);
		CHECK_STR(b.data, a.data);
		CHECK_STR(u->file, c->file);
		CHECK_STR(u->catalog, c->catalog);
	}
	config_free(u);
	for (cut = 0; cut < pack.len; cut += 1 + cut / 8)
		CHECK(config_unpack(pack.data, cut) == NULL);
	buf_putc(&pack, 'x');
	CHECK(config_unpack(pack.data, pack.len) == NULL);
	buf_free(&pack);
	buf_free(&a);
	buf_free(&b);
}

int
main(void)
{
	struct config	*c;
	struct buf	 errs = BUF_INIT, dump = BUF_INIT;
	char		 cert[300], keyf[300], ini[1024];
	size_t		 i;
	long		 n;

	if (mkdtemp(dir) == NULL)
		return 1;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&errs);
		c = config_load(write_ini(cases[i].ini), &errs);
		if (cases[i].problem == NULL) {
			if (c == NULL)
				fprintf(stderr, "case %zu: %s", i, errs.data);
			CHECK(c != NULL);
			if (c != NULL)
				round_trip(c);
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
		CHECK_STR(c->ciphers, CONFIG_CIPHERS);
		CHECK_STR(c->ticket_secret, "");
		CHECK_INT(c->gopher_port, 7070);
		CHECK_STR(c->hostname, "localhost");
		CHECK_STR(c->gopher_host, "localhost");
		CHECK_INT(c->flush_interval, 10);
		CHECK_INT(c->counter_redis, 0);
		CHECK_STR(c->redis, "127.0.0.1:6379");
		CHECK_STR(c->redis_prefix, "bantin:");
		/* the host name and the Gemini port, unless named */
		CHECK(c->instance != NULL && strstr(c->instance, ":1965") !=
		    NULL && strlen(c->instance) > 5);
		CHECK_INT(c->request_timeout, 10);
		CHECK_INT(c->handshake_timeout, CONFIG_HANDSHAKE);
		CHECK(c->handshake_timeout < c->request_timeout);
		CHECK_INT(c->max_connections_per_ip, 32);
		CHECK_INT(c->rate_per_ip, CONFIG_RATE);
		CHECK_INT(c->rate_burst, CONFIG_BURST);
		CHECK(c->workers >= 1);
		CHECK(c->cert_generate);
		CHECK_STR(c->labels[L_LATEST], "Tin mới");
		config_dump(c, &dump);
		CHECK_HAS(dump.data, "gemini.port = 1965\n");
		CHECK_HAS(dump.data, "labels.latest = Tin mới\n");
		CHECK_HAS(dump.data, "site.timezone = \n");
		CHECK_HAS(dump.data, "server.proxy_from =\n");
		CHECK_HAS(dump.data, "gemini.proxy_protocol = no\n");
		CHECK_HAS(dump.data, "gopher.proxy_protocol = no\n");
		round_trip(c);
	}
	config_free(c);
	/* only a path, resolved: the parent reads the file (ticket.c) */
	buf_reset(&errs);
	c = config_load(write_ini("[gemini]\nticket_secret = etc/ticket.key\n"),
	    &errs);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK(c->ticket_secret[0] == '/');
		CHECK_HAS(c->ticket_secret, "/etc/ticket.key");
		buf_reset(&dump);
		config_dump(c, &dump);
		CHECK_HAS(dump.data, "gemini.ticket_secret = /");
		round_trip(c);
	}
	config_free(c);
	buf_reset(&errs);
	c = config_load(write_ini("[limits]\nrequest_timeout = 2\n"), &errs);
	CHECK(c != NULL && c->handshake_timeout == 2);
	config_free(c);
	buf_reset(&errs);
	c = config_load(write_ini("[limits]\nmax_connections_per_ip = 4\n"
	    "rate_per_ip = 0\nrate_burst = 5\nhandshake_timeout = 1\n"),
	    &errs);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT(c->max_connections_per_ip, 4);
		CHECK_INT(c->rate_per_ip, 0);
		CHECK_INT(c->rate_burst, 5);
		CHECK_INT(c->handshake_timeout, 1);
		buf_reset(&dump);
		config_dump(c, &dump);
		CHECK_HAS(dump.data, "limits.max_connections_per_ip = 4\n"
		    "limits.rate_per_ip = 0\nlimits.rate_burst = 5\n"
		    "limits.handshake_timeout = 1\n");
	}
	config_free(c);
	/* proxy_from as it is kept: IPv4 mapped, whole addresses bare */
	buf_reset(&errs);
	c = config_load(write_ini("[server]\nproxy_from = 127.0.0.1, "
	    "10.0.0.0/8 ::1 2001:db8::/32 ::ffff:192.0.2.0/120 0.0.0.0/0\n"
	    "[gemini]\nproxy_protocol = yes\n"), &errs);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT(c->proxy_nfrom, 6);
		CHECK_INT(c->proxy_from[0].bits, 128);
		CHECK_INT(c->proxy_from[1].bits, 104);
		CHECK_INT(c->proxy_from[3].bits, 32);
		CHECK_INT(c->gemini_proxy, 1);
		CHECK_INT(c->gopher_proxy, 0);
		buf_reset(&dump);
		config_dump(c, &dump);
		CHECK_HAS(dump.data, "server.proxy_from = 127.0.0.1 10.0.0.0/8 "
		    "::1 2001:db8::/32 192.0.2.0/24 0.0.0.0/0\n");
		CHECK_HAS(dump.data, "gemini.proxy_protocol = yes\n");
	}
	config_free(c);
	buf_reset(&errs);
	CHECK(config_load("/nonexistent/bantin.ini", &errs) == NULL);
	CHECK_HAS(errs.data, "/nonexistent/bantin.ini:");
	/* out of memory at each allocation in turn: a generated
	 * certificate, then every value that is copied set */
	CHECK((n = nomem_each(write_ini(""))) > 10);
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(keyf, sizeof(keyf), "%s/key.pem", dir);
	fclose(fopen(cert, "w"));
	fclose(fopen(keyf, "w"));
	snprintf(ini, sizeof(ini), "[server]\nhostname = example.org\n"
	    "user = nobody\nstate_dir = state\n"
	    "log = bantin.log\naccess_log = /tmp/access.log\n"
	    "[gemini]\nlisten = 127.0.0.1 ::1\ncert = %s\nkey = %s\n"
	    "[gopher]\nlisten = 127.0.0.1 ::1\nhost = gopher.example.org\n"
	    "[site]\ntitle = Tin\nlang = en\n"
	    "[labels]\nlatest = Tin mới\nhome = Nhà\n"
	    "[counter]\nfile = /tmp/counters\n", cert, keyf);
	CHECK(nomem_each(write_ini(ini)) > n);
	unlink(cert);
	unlink(keyf);
	buf_free(&errs);
	buf_free(&dump);
	unlink(write_ini(""));
	rmdir(dir);
	return t_done("test_config");
}
