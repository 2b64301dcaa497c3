/*
 * config.h: conf/bantin.ini -> struct config, checked in one pass.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "label.h"		/* L_COUNT */

struct buf;

#define CONFIG_LISTEN_MAX	8
/* TLS 1.2 suites, OpenSSL's syntax: forward secrecy and AEAD only
 * (ECDHE with AES-GCM or ChaCha20-Poly1305); TLS 1.3 has only such */
#define CONFIG_CIPHERS		"ECDHE+AESGCM:ECDHE+CHACHA20"
#define CONFIG_WORKERS_MAX	64
/* [limits] per address, and the TLS handshake's deadline (seconds):
 * conf/bantin.ini says why these */
#define CONFIG_PER_IP		32
#define CONFIG_RATE		10
#define CONFIG_BURST		60
#define CONFIG_HANDSHAKE	5
/* [titan] uploads, bytes: an article (the scan reads at most
 * SITE_SOURCE_MAX of one) and an attachment */
#define CONFIG_TITAN_SIZE	(1024 * 1024)
#define CONFIG_TITAN_SIZE_MAX	(8 * 1024 * 1024)
#define CONFIG_TITAN_FILE	(16 * 1024 * 1024)
#define CONFIG_TITAN_FILE_MAX	(256 * 1024 * 1024)
/* [server] proxy_from: entries at most */
#define CONFIG_PROXY_FROM	32

/* An address or a prefix that may send a PROXY header. IPv4 is kept
 * as ::ffff:a.b.c.d (bits + 96), so that an IPv4 peer of a dual-stack
 * socket matches it too (proxy.c, proxy_trusted). */
struct config_net {
	unsigned char	 addr[16];
	int		 bits;			/* 0-128 */
};
#define CONFIG_INSTANCE_MAX	128		/* COUNTER_INST_MAX */

struct config {
	char	*file;				/* the ini it came from */
	/* [server] */
	char	*hostname;
	char	*state_dir;
	int	 workers;			/* resolved: >= 1 */
	char	*user;				/* "" = do not drop */
	char	*log;				/* "syslog", "stderr", a
						   resolved path; "" = stderr
						   with -d, else syslog */
	char	*access_log;			/* resolved path, "" = off */
	struct config_net proxy_from[CONFIG_PROXY_FROM];
	int	 proxy_nfrom;
	/* [gemini] */
	char	*gemini_listen[CONFIG_LISTEN_MAX];
	int	 gemini_nlisten;
	int	 gemini_port;
	char	*cert;				/* resolved paths */
	char	*key;
	int	 cert_generate;			/* cert/key were empty */
	char	*ciphers;			/* TLS 1.2, OpenSSL list */
	char	*ticket_secret;			/* resolved path, "" = a
						   random secret (tls.h) */
	int	 gemini_proxy;			/* a PROXY header first */
	/* [gopher] */
	int	 gopher_enabled;
	char	*gopher_listen[CONFIG_LISTEN_MAX];
	int	 gopher_nlisten;
	int	 gopher_port;
	char	*gopher_host;			/* advertised host */
	int	 gopher_adv_port;		/* advertised port */
	int	 gopher_ascii;			/* charset = ascii */
	int	 gopher_proxy;			/* a PROXY header first */
	/* [site] */
	char	*root;
	char	*title;
	char	*lang;
	int	 per_page;
	int	 rescan_interval;		/* seconds, 0 = off */
	char	*time_zone;			/* IANA name, "" = the
						   system's (zone.h) */
	char	*labels[L_COUNT];		/* [labels], NULL = built in */
	/* [counter] */
	char	*counter_file;
	int	 flush_interval;
	int	 counter_redis;			/* backend = redis */
	char	*redis;				/* host:port or a socket */
	char	*redis_prefix;			/* of every key */
	char	*instance;			/* this one's name there */
	/* [limits] */
	int	 request_timeout;
	int	 write_timeout;
	int	 max_connections;
	int	 max_connections_per_ip;	/* 0 = no cap */
	int	 rate_per_ip;			/* requests/s, 0 = no limit */
	int	 rate_burst;
	int	 handshake_timeout;		/* <= request_timeout */
	/* [titan] */
	int	 titan_enabled;
	char	*titan_authors;			/* resolved path, "" = none */
	int	 titan_max_size;		/* bytes of an article */
	int	 titan_max_file_size;		/* bytes of an attachment */
	char	*titan_token;			/* "" = none asked for */
	/* derived */
	char	*catalog;			/* state_dir/catalog.db */
	char	*image;				/* state_dir/site.image: the
						   snapshot for a restart */
};

/* Parse and check. Every problem is appended to errs as one line,
 * "section:key: reason", or "file: reason" for the file itself (it
 * cannot be read or parsed, or memory ran out); returns NULL if there
 * was any. */
struct config	*config_load(const char *file, struct buf *errs);
void		 config_free(struct config *);
/* The parsed configuration as bytes and back (for the unprivileged
 * master: privsep.c); config_unpack returns NULL on a malformed or
 * truncated message, or out of memory. */
int		 config_pack(const struct config *, struct buf *);
struct config	*config_unpack(const void *, size_t);
/* The normalised configuration, one "section.key = value" a line. */
void		 config_dump(const struct config *, struct buf *);

#endif
