// SPDX-License-Identifier: GPL-2.0
/*
 * luoctl - drive /dev/liveupdate from a shell, for the LUO tests that span
 * several kernels (tools/testing/selftests/kho/guest/tests/luo_*.sh).
 *
 * usage:
 *   luoctl hold SESSIONS FILES SEED [--prefix P] [--fail-freeze] [--drop-files]
 *	Create sessions P0 .. P<SESSIONS-1> (P is "luo-s" by default), each
 *	with FILES memfds "luo-test-<i>-<j>" preserved with token TOKEN(SEED,
 *	i, j), of 1 to 64 KiB of bytes drawn from (SEED, i, j). --fail-freeze
 *	adds a memfd "luo-test-fail-freeze" to the first session, which the
 *	test handler refuses to freeze. --drop-files closes the memfds once
 *	preserved, so that only the sessions hold them. Then fork a holder,
 *	which closes the device, keeps every other fd open and sleeps until
 *	killed, and exit 0. Prints one "preserved" line per session, a
 *	"preserved total" line and "holder: PID".
 *   luoctl verify SESSIONS FILES SEED [--prefix P] [--finish]
 *		   [--represerve SEED2] [--drop-files] [--dropped I]
 *		   [--bad-file [I:]J]
 *	In the next kernel, retrieve each session by name and each of its
 *	files by token, and check the file's size and every byte, with read()
 *	and through mmap(), its close-on-exec flag, and the errors the session
 *	must give (RETRIEVE_SESSION again: EBUSY; RETRIEVE_FD again: EBUSY; an
 *	unknown token: ENOENT; PRESERVE_FD: EPERM; FINISH with reserved set:
 *	EINVAL). --finish then finishes each session and checks it is gone
 *	(ioctls on it: ENOENT; RETRIEVE_SESSION: ENOENT). --represerve then
 *	creates the sessions anew, outgoing, preserves every retrieved file in
 *	them with TOKEN(SEED2, i, j), rewrites it (after preserving it) with
 *	the size and bytes of SEED2, and forks a holder as hold does. Prints
 *	one "verified" line per session and a "verified total" line (then
 *	hold's lines for --represerve); exits 1 on any mismatch. For the
 *	hostile handovers: --dropped I expects session I to be absent
 *	(RETRIEVE_SESSION: ENOENT), --bad-file I:J expects RETRIEVE_FD of
 *	file J of session I (0 if not given) to fail with ENOENT; neither
 *	goes with --represerve.
 *   luoctl absent NAME...
 *	Exit 0 iff RETRIEVE_SESSION of every NAME fails with ENOENT.
 *   luoctl outgoing SESSIONS [--prefix P]
 *	Print how many of P0 .. P<SESSIONS-1> exist as outgoing sessions
 *	(CREATE_SESSION fails with EEXIST; a session it creates instead is
 *	closed at once, so this changes nothing). Exit 0 unless an error
 *	other than EEXIST occurs.
 *   luoctl count [--prefix P]
 *	Print how many incoming sessions P0, P1, ... can be retrieved, up to
 *	the first that fails with ENOENT. Each is closed without FINISH.
 *   luoctl stop PID
 *	SIGKILL the holder PID and wait until it has exited (its fds closed).
 *
 * The 64-bit token of file j of session i is 0xa5c0000000000000 |
 * (SEED & 0xfff) << 40 | i << 20 | j. The checksums printed are FNV-1a 64
 * over the bytes of the files in order: equal checksums in two kernels mean
 * the same contents.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <linux/liveupdate.h>

#define LUO_DEV			"/dev/liveupdate"
#define NAME_LEN		LIVEUPDATE_SESSION_NAME_LENGTH
#define MAX_SESSIONS		10000
#define MAX_FILES		10000
#define MAX_FILE_SIZE		(64 * 1024)
#define FAIL_FREEZE_NAME	"luo-test-fail-freeze"
#define FAIL_FREEZE_TOKEN	0xfa11fa11fa11fa11ULL
#define FNV_OFFSET		0xcbf29ce484222325ULL
#define FNV_PRIME		0x100000001b3ULL
/* Mismatches reported per file before the rest are only counted. */
#define MAX_REPORTS		4

static const char *prefix = "luo-s";
static int errors;
/* verify: the session expected to be dropped, the file expected refused. */
static int dropped = -1, bad_session = -1, bad_file = -1;

static void err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "luoctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errors++;
}

static noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "luoctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0:		return "success";
	case EPERM:	return "EPERM";
	case ENOENT:	return "ENOENT";
	case EIO:	return "EIO";
	case E2BIG:	return "E2BIG";
	case EBADF:	return "EBADF";
	case ENOMEM:	return "ENOMEM";
	case EFAULT:	return "EFAULT";
	case EBUSY:	return "EBUSY";
	case EEXIST:	return "EEXIST";
	case EINVAL:	return "EINVAL";
	case EMFILE:	return "EMFILE";
	case ENOTTY:	return "ENOTTY";
	case EFBIG:	return "EFBIG";
	case ENOSPC:	return "ENOSPC";
	default:	return strerror(e);
	}
}

/* ---- the deterministic payload ---- */

static __u64 mix(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static __u64 file_key(__u64 seed, int i, int j)
{
	return mix(mix(mix(seed) ^ (__u64)i) ^ (__u64)j << 32);
}

static __u64 token_of(__u64 seed, int i, int j)
{
	return 0xa5c0000000000000ULL | (seed & 0xfff) << 40 |
	       (__u64)i << 20 | (__u64)j;
}

static size_t size_of(__u64 seed, int i, int j)
{
	return 1 + file_key(seed, i, j) % MAX_FILE_SIZE;
}

/* fill: the bytes of file (i, j) of SEED into @buf; returns their number. */
static size_t fill(unsigned char *buf, __u64 seed, int i, int j)
{
	__u64 key = file_key(seed, i, j), w = 0;
	size_t size = size_of(seed, i, j), k;

	for (k = 0; k < size; k++) {
		if (!(k % 8))
			w = mix(key ^ (k / 8));
		buf[k] = w >> (8 * (k % 8));
	}
	return size;
}

static __u64 fnv(__u64 h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * FNV_PRIME;
	return h;
}

static void session_name(char name[NAME_LEN], int i)
{
	memset(name, 0, NAME_LEN);
	if (snprintf(name, NAME_LEN, "%s%d", prefix, i) >= NAME_LEN)
		die("session name %s%d longer than %d bytes", prefix, i,
		    NAME_LEN - 1);
}

/* ---- the ioctls ---- */

static int open_dev(void)
{
	int dev = open(LUO_DEV, O_RDWR);

	if (dev < 0)
		die("%s: %s", LUO_DEV, errno_name(errno));
	return dev;
}

static int create_session(int dev, const char *name)
{
	struct liveupdate_ioctl_create_session arg = {
		.size = sizeof(arg),
		.fd = -1,
	};

	memcpy(arg.name, name, strnlen(name, NAME_LEN - 1));
	if (ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg))
		return -1;
	return arg.fd;
}

static int retrieve_session(int dev, const char *name)
{
	struct liveupdate_ioctl_retrieve_session arg = {
		.size = sizeof(arg),
		.fd = -1,
	};

	memcpy(arg.name, name, strnlen(name, NAME_LEN - 1));
	if (ioctl(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &arg))
		return -1;
	return arg.fd;
}

static int preserve_fd(int session, int fd, __u64 token)
{
	struct liveupdate_session_preserve_fd arg = {
		.size = sizeof(arg),
		.fd = fd,
		.token = token,
	};

	return ioctl(session, LIVEUPDATE_SESSION_PRESERVE_FD, &arg);
}

static int retrieve_fd(int session, __u64 token)
{
	struct liveupdate_session_retrieve_fd arg = {
		.size = sizeof(arg),
		.fd = -1,
		.token = token,
	};

	if (ioctl(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &arg))
		return -1;
	return arg.fd;
}

static int finish_session(int session, __u32 reserved)
{
	struct liveupdate_session_finish arg = {
		.size = sizeof(arg),
		.reserved = reserved,
	};

	return ioctl(session, LIVEUPDATE_SESSION_FINISH, &arg);
}

static int get_name(int session, char name[NAME_LEN])
{
	struct liveupdate_session_get_name arg = {
		.size = sizeof(arg),
	};

	if (ioctl(session, LIVEUPDATE_SESSION_GET_NAME, &arg))
		return -1;
	memcpy(name, arg.name, NAME_LEN);
	name[NAME_LEN - 1] = 0;
	return 0;
}

/*
 * expect_err: @ret (of @what, on session @name) is -1 with errno @want;
 * counts an error otherwise. A file descriptor it unexpectedly got is
 * closed if @is_fd.
 */
static void expect_err(const char *name, const char *what, int ret, int want,
		       bool is_fd)
{
	int e = errno;

	if (ret == -1 && e == want)
		return;
	err("%s: %s: expected %s, got %s", name, what, errno_name(want),
	    ret == -1 ? errno_name(e) : "success");
	if (ret >= 0 && is_fd)
		close(ret);
}

static bool cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	return flags >= 0 && (flags & FD_CLOEXEC);
}

/* write_all: make @fd exactly the @size bytes of @buf. */
static int write_all(int fd, const unsigned char *buf, size_t size)
{
	size_t off = 0;
	ssize_t n;

	if (ftruncate(fd, size))
		return -1;
	while (off < size) {
		n = pwrite(fd, buf + off, size - off, off);
		if (n <= 0)
			return -1;
		off += n;
	}
	return 0;
}

static void raise_fd_limit(rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
		return;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		err("cannot raise RLIMIT_NOFILE to %lu: %s", (unsigned long)want,
		    errno_name(errno));
}

/* ---- hold ---- */

/*
 * fork_holder: fork the process that keeps the sessions alive; returns in
 * the parent once the holder has closed the device (so the next luoctl can
 * open it), after closing it here too.
 */
static void fork_holder(int dev)
{
	int sync[2], null;
	pid_t pid;
	char c;

	fflush(stdout);
	fflush(stderr);
	if (pipe(sync))
		die("pipe: %s", errno_name(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", errno_name(errno));
	if (!pid) {
		close(sync[0]);
		close(dev);
		setsid();
		/* Let $(luoctl hold ...) end: keep no pipe of the caller. */
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
		if (write(sync[1], "h", 1) != 1)
			_exit(1);
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) != 1)
		die("the holder %d died", (int)pid);
	close(sync[0]);
	close(dev);
	printf("holder: %d\n", (int)pid);
}

/*
 * preserve_sessions: create the SESSIONS outgoing sessions with FILES files
 * each, from @seed; the files are new memfds, or those of @reuse (which
 * are then rewritten after being preserved). Prints the "preserved" lines.
 */
static void preserve_sessions(int dev, int sessions, int files, __u64 seed,
			      int *reuse, bool fail_freeze, bool drop_files)
{
	unsigned long long total = FNV_OFFSET, bytes = 0, nr = 0;
	unsigned char *buf = malloc(MAX_FILE_SIZE);
	char name[NAME_LEN], fname[64];
	int i, j, s, fd;

	if (!buf)
		die("out of memory");
	for (i = 0; i < sessions; i++) {
		unsigned long long csum = FNV_OFFSET, sbytes = 0;

		session_name(name, i);
		s = create_session(dev, name);
		if (s < 0)
			die("%s: CREATE_SESSION: %s", name, errno_name(errno));
		for (j = 0; j < files; j++) {
			size_t size = fill(buf, seed, i, j);
			unsigned long long token = token_of(seed, i, j);

			if (reuse) {
				fd = reuse[i * files + j];
			} else {
				snprintf(fname, sizeof(fname), "luo-test-%d-%d", i, j);
				fd = memfd_create(fname, MFD_CLOEXEC);
				if (fd < 0)
					die("memfd_create: %s", errno_name(errno));
				if (write_all(fd, buf, size))
					die("%s: write: %s", fname, errno_name(errno));
			}
			if (preserve_fd(s, fd, token))
				die("%s: PRESERVE_FD of file %d (token %#llx): %s",
				    name, j, token, errno_name(errno));
			/* A reused file gets its new contents once preserved. */
			if (reuse && write_all(fd, buf, size))
				die("%s: rewriting file %d: %s", name, j,
				    errno_name(errno));
			if (drop_files)
				close(fd);
			csum = fnv(csum, buf, size);
			total = fnv(total, buf, size);
			sbytes += size;
			nr++;
		}
		if (fail_freeze && i == 0) {
			fd = memfd_create(FAIL_FREEZE_NAME, MFD_CLOEXEC);
			if (fd < 0 || write_all(fd, (const unsigned char *)"x", 1))
				die("%s: %s", FAIL_FREEZE_NAME, errno_name(errno));
			if (preserve_fd(s, fd, FAIL_FREEZE_TOKEN))
				die("%s: PRESERVE_FD of %s: %s", name,
				    FAIL_FREEZE_NAME, errno_name(errno));
			if (drop_files)
				close(fd);
			printf("preserved %s: %s, token 0x%016llx\n", name,
			       FAIL_FREEZE_NAME, FAIL_FREEZE_TOKEN);
		}
		bytes += sbytes;
		printf("preserved %s: %d files, %llu bytes, csum 0x%016llx\n",
		       name, files, sbytes, csum);
	}
	printf("preserved total: %d sessions, %llu files, %llu bytes, csum 0x%016llx\n",
	       sessions, nr, bytes, total);
	free(buf);
}

static int cmd_hold(int sessions, int files, __u64 seed, bool fail_freeze,
		    bool drop_files)
{
	int dev;

	raise_fd_limit(sessions * (files + 1) + 64);
	dev = open_dev();
	preserve_sessions(dev, sessions, files, seed, NULL, fail_freeze,
			  drop_files);
	fork_holder(dev);
	return 0;
}

/* ---- verify ---- */

/* check_file: @fd holds exactly the @size bytes of @want (read into @got). */
static void check_file(const char *name, int j, int fd,
		       const unsigned char *want, size_t size, unsigned char *got)
{
	size_t off = 0, k;
	int reports = 0;
	struct stat st;
	ssize_t n;
	void *map;

	if (fstat(fd, &st)) {
		err("%s: file %d: fstat: %s", name, j, errno_name(errno));
		return;
	}
	if ((size_t)st.st_size != size) {
		err("%s: file %d: size %lld, expected %zu", name, j,
		    (long long)st.st_size, size);
		return;
	}
	if (lseek(fd, 0, SEEK_END) != (off_t)size)
		err("%s: file %d: lseek(SEEK_END) is not %zu", name, j, size);
	if (lseek(fd, 0, SEEK_SET) != 0)
		err("%s: file %d: lseek(SEEK_SET): %s", name, j, errno_name(errno));
	while (off < size) {
		n = read(fd, got + off, size - off);
		if (n <= 0) {
			err("%s: file %d: read at %zu: %s", name, j, off,
			    n ? errno_name(errno) : "end of file");
			return;
		}
		off += n;
	}
	if (read(fd, got, 1) != 0)
		err("%s: file %d: read past the end did not return 0", name, j);
	for (k = 0; k < size; k++) {
		if (got[k] == want[k])
			continue;
		if (reports++ < MAX_REPORTS)
			err("%s: file %d: byte %zu is 0x%02x, expected 0x%02x",
			    name, j, k, got[k], want[k]);
	}
	if (reports > MAX_REPORTS)
		err("%s: file %d: %d bad bytes in all", name, j, reports);

	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		err("%s: file %d: mmap: %s", name, j, errno_name(errno));
	} else {
		if (memcmp(map, want, size))
			err("%s: file %d: its mmap() differs", name, j);
		munmap(map, size);
	}
}

static int cmd_verify(int sessions, int files, __u64 seed, bool finish,
		      bool represerve, __u64 seed2, bool drop_files)
{
	unsigned char *want = malloc(MAX_FILE_SIZE), *got = malloc(MAX_FILE_SIZE);
	unsigned long long total = FNV_OFFSET, bytes = 0, nr = 0;
	int *fds = calloc((size_t)sessions * files + 1, sizeof(int));
	char name[NAME_LEN], got_name[NAME_LEN];
	int dev, i, j, s, fd, x;

	if (!want || !got || !fds)
		die("out of memory");
	raise_fd_limit(sessions * (files + 1) + 64);
	dev = open_dev();
	for (i = 0; i < sessions; i++) {
		unsigned long long csum = FNV_OFFSET, sbytes = 0;
		int nfiles = 0;

		session_name(name, i);
		if (i == dropped) {
			expect_err(name, "RETRIEVE_SESSION of a dropped session",
				   retrieve_session(dev, name), ENOENT, true);
			printf("dropped %s\n", name);
			continue;
		}
		s = retrieve_session(dev, name);
		if (s < 0) {
			err("%s: RETRIEVE_SESSION: %s", name, errno_name(errno));
			continue;
		}
		if (!cloexec(s))
			err("%s: session fd without FD_CLOEXEC", name);
		if (get_name(s, got_name))
			err("%s: GET_NAME: %s", name, errno_name(errno));
		else if (strcmp(got_name, name))
			err("%s: GET_NAME says \"%s\"", name, got_name);
		expect_err(name, "RETRIEVE_SESSION while retrieved",
			   retrieve_session(dev, name), EBUSY, true);

		for (j = 0; j < files; j++) {
			size_t size = fill(want, seed, i, j);
			unsigned long long token = token_of(seed, i, j);

			fds[i * files + j] = -1;
			if (i == bad_session && j == bad_file) {
				expect_err(name, "RETRIEVE_FD of the refused file",
					   retrieve_fd(s, token), ENOENT, true);
				continue;
			}
			fd = retrieve_fd(s, token);
			if (fd < 0) {
				err("%s: RETRIEVE_FD of file %d (token %#llx): %s",
				    name, j, token, errno_name(errno));
				continue;
			}
			if (!cloexec(fd))
				err("%s: file %d: fd without FD_CLOEXEC", name, j);
			x = errors;
			check_file(name, j, fd, want, size, got);
			if (errors == x) {
				csum = fnv(csum, got, size);
				total = fnv(total, got, size);
				sbytes += size;
				nfiles++;
				nr++;
			}
			if (represerve)
				fds[i * files + j] = fd;
			else
				close(fd);
		}

		/* What an incoming session refuses. */
		j = i == bad_session && bad_file == 0;
		if (j < files)
			expect_err(name, "RETRIEVE_FD of a retrieved token",
				   retrieve_fd(s, token_of(seed, i, j)), EBUSY, true);
		expect_err(name, "RETRIEVE_FD of an unknown token",
			   retrieve_fd(s, token_of(seed, i, files)), ENOENT, true);
		fd = memfd_create("luo-test-incoming", MFD_CLOEXEC);
		if (fd < 0 || write_all(fd, (const unsigned char *)"x", 1))
			die("memfd_create: %s", errno_name(errno));
		expect_err(name, "PRESERVE_FD on an incoming session",
			   preserve_fd(s, fd, token_of(seed, i, files + 1)),
			   EPERM, false);
		close(fd);
		expect_err(name, "FINISH with reserved != 0",
			   finish_session(s, 1), EINVAL, false);

		if (finish) {
			if (finish_session(s, 0))
				err("%s: FINISH: %s", name, errno_name(errno));
			expect_err(name, "GET_NAME after FINISH",
				   get_name(s, got_name), ENOENT, false);
			expect_err(name, "RETRIEVE_FD after FINISH",
				   retrieve_fd(s, token_of(seed, i, 0)), ENOENT, true);
			expect_err(name, "FINISH after FINISH",
				   finish_session(s, 0), ENOENT, false);
		}
		close(s);
		if (finish)
			expect_err(name, "RETRIEVE_SESSION after FINISH",
				   retrieve_session(dev, name), ENOENT, true);
		bytes += sbytes;
		printf("verified %s: %d files, %llu bytes, csum 0x%016llx%s\n",
		       name, nfiles, sbytes, csum, finish ? ", finished" : "");
	}
	printf("verified total: %d sessions, %llu files, %llu bytes, csum 0x%016llx\n",
	       sessions, nr, bytes, total);

	if (represerve) {
		if (errors) {
			err("%d errors: not preserving again", errors);
			return 1;
		}
		preserve_sessions(dev, sessions, files, seed2, fds, false,
				  drop_files);
		fork_holder(dev);
	}
	free(fds);
	free(want);
	free(got);
	return errors ? 1 : 0;
}

/* ---- absent, outgoing, count, stop ---- */

static int cmd_absent(int argc, char **argv)
{
	int dev = open_dev(), i, s, ret = 0;

	for (i = 0; i < argc; i++) {
		s = retrieve_session(dev, argv[i]);
		if (s < 0 && errno == ENOENT) {
			printf("%s: absent\n", argv[i]);
			continue;
		}
		if (s >= 0) {
			printf("%s: present\n", argv[i]);
			close(s);
		} else {
			printf("%s: RETRIEVE_SESSION: %s\n", argv[i], errno_name(errno));
		}
		ret = 1;
	}
	return ret;
}

static int cmd_outgoing(int sessions)
{
	int dev = open_dev(), i, s, n = 0;
	char name[NAME_LEN];

	for (i = 0; i < sessions; i++) {
		session_name(name, i);
		s = create_session(dev, name);
		if (s >= 0)
			close(s);
		else if (errno == EEXIST)
			n++;
		else
			err("%s: CREATE_SESSION: %s", name, errno_name(errno));
	}
	printf("%d\n", n);
	return errors ? 1 : 0;
}

static int cmd_count(void)
{
	int dev = open_dev(), i, s;
	char name[NAME_LEN];

	for (i = 0; i < MAX_SESSIONS; i++) {
		session_name(name, i);
		s = retrieve_session(dev, name);
		if (s < 0) {
			if (errno != ENOENT)
				err("%s: RETRIEVE_SESSION: %s", name, errno_name(errno));
			break;
		}
		close(s);
	}
	printf("%d\n", i);
	return errors ? 1 : 0;
}

/* gone: @pid no longer runs (it exited, a zombie at most). */
static bool gone(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && (p[2] == 'Z' || p[2] == 'X');
}

static int cmd_stop(pid_t pid)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	if (pid <= 1)
		die("will not kill pid %d", (int)pid);
	if (kill(pid, SIGKILL) && errno != ESRCH)
		die("kill %d: %s", (int)pid, errno_name(errno));
	for (i = 0; i < 3000; i++) {
		if (gone(pid))
			return 0;
		nanosleep(&ts, NULL);
	}
	die("holder %d still running after 30 s", (int)pid);
}

/* ---- command line ---- */

static noreturn void bad_usage(void)
{
	fprintf(stderr,
		"usage: luoctl hold SESSIONS FILES SEED [--prefix P] [--fail-freeze] [--drop-files]\n"
		"       luoctl verify SESSIONS FILES SEED [--prefix P] [--finish]\n"
		"                     [--represerve SEED2] [--drop-files] [--dropped I]\n"
		"                     [--bad-file [I:]J]\n"
		"       luoctl absent NAME...\n"
		"       luoctl outgoing SESSIONS [--prefix P]\n"
		"       luoctl count [--prefix P]\n"
		"       luoctl stop PID\n");
	exit(2);
}

static __u64 number(const char *s, __u64 max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v > max)
		die("bad value \"%s\" (at most %llu)", s, (unsigned long long)max);
	return v;
}

/* --bad-file [I:]J */
static void bad_file_arg(char *arg)
{
	char *colon = strchr(arg, ':');

	bad_session = 0;
	if (colon) {
		*colon = 0;
		bad_session = number(arg, MAX_SESSIONS);
		arg = colon + 1;
	}
	bad_file = number(arg, MAX_FILES);
}

int main(int argc, char **argv)
{
	bool fail_freeze = false, drop_files = false, finish = false;
	bool represerve = false;
	__u64 seed2 = 0;
	char *pos[16];
	int npos = 0, i;
	const char *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		bad_usage();
	cmd = argv[1];
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--prefix") && i + 1 < argc)
			prefix = argv[++i];
		else if (!strcmp(argv[i], "--fail-freeze"))
			fail_freeze = true;
		else if (!strcmp(argv[i], "--drop-files"))
			drop_files = true;
		else if (!strcmp(argv[i], "--finish"))
			finish = true;
		else if (!strcmp(argv[i], "--represerve") && i + 1 < argc)
			represerve = true, seed2 = number(argv[++i], ~0ULL);
		else if (!strcmp(argv[i], "--dropped") && i + 1 < argc)
			dropped = number(argv[++i], MAX_SESSIONS);
		else if (!strcmp(argv[i], "--bad-file") && i + 1 < argc)
			bad_file_arg(argv[++i]);
		else if (!strncmp(argv[i], "--", 2) || npos == 16)
			bad_usage();
		else
			pos[npos++] = argv[i];
	}

	if (!strcmp(cmd, "hold") && npos == 3)
		return cmd_hold(number(pos[0], MAX_SESSIONS), number(pos[1], MAX_FILES),
				number(pos[2], ~0ULL), fail_freeze, drop_files);
	if (represerve && (dropped >= 0 || bad_file >= 0))
		bad_usage();
	if (!strcmp(cmd, "verify") && npos == 3)
		return cmd_verify(number(pos[0], MAX_SESSIONS),
				  number(pos[1], MAX_FILES),
				  number(pos[2], ~0ULL), finish, represerve,
				  seed2, drop_files);
	if (!strcmp(cmd, "absent") && npos >= 1)
		return cmd_absent(npos, pos);
	if (!strcmp(cmd, "outgoing") && npos == 1)
		return cmd_outgoing(number(pos[0], MAX_SESSIONS));
	if (!strcmp(cmd, "count") && npos == 0)
		return cmd_count();
	if (!strcmp(cmd, "stop") && npos == 1)
		return cmd_stop(number(pos[0], 0x7fffffff));
	bad_usage();
}
