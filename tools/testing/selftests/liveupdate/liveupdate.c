// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of /dev/liveupdate, the Live Update Orchestrator, within one kernel.
 *
 * Needs a kernel with CONFIG_LIVEUPDATE and CONFIG_LIVEUPDATE_TEST_HANDLER,
 * booted with kho=on liveupdate=on. The test file handler ("test-luo-v1")
 * takes memfds whose name starts with "luo-test" and whose size is at most
 * 1 MiB.
 * Every test opens the device itself and closes every file descriptor it
 * opened before the next test starts, so no session outlives its test and
 * nothing is left preserved at the end (the last test checks that). What
 * needs a second kernel (retrieving, finishing) is tested by luoctl and the
 * luo_* scripts of tools/testing/selftests/kho/guest/tests/.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/liveupdate.h>

#include "../kselftest.h"

#define LUO_DEV			"/dev/liveupdate"
#define NAME_LEN		LIVEUPDATE_SESSION_NAME_LENGTH
#define TEST_FILE_MAX		(1024 * 1024)
#define MANY_SESSIONS		2000
#define MANY_FILES		500
/* Tokens with high bits set, to catch truncation to 32 bits or a sign. */
#define TOKEN(n)		(0xc0de000000000000ULL | (__u64)(n))
/* Bytes past the known struct in the struct size tests. */
#define EXTRA			8

/* ---- file descriptors of the running test, closed when it ends ---- */

#define MAX_TEST_FDS		4096
static int test_fds[MAX_TEST_FDS];
static int nr_test_fds;

/* track: remember @fd (if valid) to close it when the test ends. */
static int track(int fd)
{
	if (fd >= 0 && nr_test_fds < MAX_TEST_FDS)
		test_fds[nr_test_fds++] = fd;
	return fd;
}

/* untrack_close: close @fd now (the test's own close). */
static int untrack_close(int fd)
{
	int i;

	for (i = 0; i < nr_test_fds; i++) {
		if (test_fds[i] == fd) {
			test_fds[i] = test_fds[--nr_test_fds];
			break;
		}
	}
	return close(fd);
}

static void close_test_fds(void)
{
	while (nr_test_fds)
		close(test_fds[--nr_test_fds]);
}

/* Every session name a test created, to check at the end that all are gone. */
static char (*created)[NAME_LEN];
static int nr_created, max_created;
static bool checking_names;

static void remember_name(const char *name)
{
	int i;

	if (checking_names)
		return;
	for (i = nr_created - 1; i >= 0 && i >= nr_created - 8; i--)
		if (!strcmp(created[i], name))
			return;
	if (nr_created == max_created) {
		max_created = max_created ? 2 * max_created : 256;
		created = realloc(created, max_created * sizeof(*created));
		if (!created)
			ksft_exit_fail_msg("out of memory\n");
	}
	snprintf(created[nr_created++], NAME_LEN, "%s", name);
}

/* ---- error reporting ---- */

static const char *errno_name(int err)
{
	switch (err) {
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
	case ENODEV:	return "ENODEV";
	case EINVAL:	return "EINVAL";
	case EMFILE:	return "EMFILE";
	case ENOTTY:	return "ENOTTY";
	case EFBIG:	return "EFBIG";
	case ENOSPC:	return "ENOSPC";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default:	return strerror(err);
	}
}

/*
 * The checks of a test. A failed one is reported and fails the test, which
 * goes on (its later checks may fail in turn): EXPECT_ERR(call, err):
 * @call returns -1 with errno @err; EXPECT_OK(call): @call returns >= 0;
 * EXPECT(cond): @cond holds.
 */
static int test_failures;

static bool report_failure(void)
{
	return ++test_failures <= 8;
}

static void expect_err_at(long ret, int want, const char *what, const char *func,
			  int line)
{
	int err = errno;

	if (ret == -1 && err == want)
		return;
	if (report_failure())
		ksft_print_msg("%s:%d: %s: expected %s, got %s (%ld)\n", func, line,
			       what, errno_name(want),
			       ret == -1 ? errno_name(err) : "success", ret);
}

static void expect_ok_at(long ret, const char *what, const char *func, int line)
{
	int err = errno;

	if (ret >= 0)
		return;
	if (report_failure())
		ksft_print_msg("%s:%d: %s: expected success, got %s\n", func, line,
			       what, errno_name(err));
}

static void expect_at(bool cond, const char *what, const char *func, int line)
{
	if (!cond && report_failure())
		ksft_print_msg("%s:%d: expected %s\n", func, line, what);
}

#define EXPECT_ERR(call, err)	\
	expect_err_at((errno = 0, (long)(call)), err, #call, __func__, __LINE__)
#define EXPECT_OK(call)		\
	expect_ok_at((errno = 0, (long)(call)), #call, __func__, __LINE__)
#define EXPECT(cond)		expect_at(!!(cond), #cond, __func__, __LINE__)

/* ---- the ioctls, each returning -1 and errno on failure ---- */

static int dev_open(void)
{
	return track(open(LUO_DEV, O_RDWR));
}

/* create_session_raw: CREATE_SESSION with the 64 name bytes @name as is. */
static int create_session_raw(int dev, const void *name)
{
	struct liveupdate_ioctl_create_session arg = {
		.size = sizeof(arg),
		.fd = -1,
	};

	memcpy(arg.name, name, NAME_LEN);
	if (ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg))
		return -1;
	remember_name((const char *)arg.name);
	return track(arg.fd);
}

static int create_session(int dev, const char *name)
{
	char buf[NAME_LEN] = {};

	memcpy(buf, name, strnlen(name, NAME_LEN));
	return create_session_raw(dev, buf);
}

static int retrieve_session_raw(int dev, const void *name)
{
	struct liveupdate_ioctl_retrieve_session arg = {
		.size = sizeof(arg),
		.fd = -1,
	};

	memcpy(arg.name, name, NAME_LEN);
	if (ioctl(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &arg))
		return -1;
	return track(arg.fd);
}

static int retrieve_session(int dev, const char *name)
{
	char buf[NAME_LEN] = {};

	memcpy(buf, name, strnlen(name, NAME_LEN));
	return retrieve_session_raw(dev, buf);
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
	return track(arg.fd);
}

static int finish_session(int session, __u32 reserved)
{
	struct liveupdate_session_finish arg = {
		.size = sizeof(arg),
		.reserved = reserved,
	};

	return ioctl(session, LIVEUPDATE_SESSION_FINISH, &arg);
}

/* get_name: GET_NAME into @name (NAME_LEN bytes), which is filled first. */
static int get_name(int session, __u32 reserved, char *name)
{
	struct liveupdate_session_get_name arg = {
		.size = sizeof(arg),
		.reserved = reserved,
	};

	memset(arg.name, 0xa5, NAME_LEN);
	if (ioctl(session, LIVEUPDATE_SESSION_GET_NAME, &arg))
		return -1;
	memcpy(name, arg.name, NAME_LEN);
	return 0;
}

/* name_is: GET_NAME of @session is @want, NUL-terminated within 64 bytes. */
static bool name_is(int session, const char *want)
{
	char name[NAME_LEN];

	if (get_name(session, 0, name)) {
		ksft_print_msg("GET_NAME: %s\n", errno_name(errno));
		return false;
	}
	if (!memchr(name, 0, NAME_LEN)) {
		ksft_print_msg("GET_NAME: no NUL in the name\n");
		return false;
	}
	if (strcmp(name, want)) {
		ksft_print_msg("GET_NAME: \"%s\", expected \"%s\"\n", name, want);
		return false;
	}
	return true;
}

/* memfd: a memfd named @name of @size bytes of a pattern. */
static int memfd(const char *name, size_t size)
{
	static char buf[4096];
	size_t off, n;
	int fd;

	fd = track(memfd_create(name, 0));
	if (fd < 0)
		return -1;
	for (off = 0; off < size; off += n) {
		n = size - off < sizeof(buf) ? size - off : sizeof(buf);
		memset(buf, (int)(off / sizeof(buf)) + 0x5a, n);
		if (pwrite(fd, buf, n, off) != (ssize_t)n)
			return -1;
	}
	if (ftruncate(fd, size))
		return -1;
	return fd;
}

/* cloexec: @fd has FD_CLOEXEC set. */
static bool cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	return flags >= 0 && (flags & FD_CLOEXEC);
}

/* free_fd: a number that is no open file descriptor. */
static int free_fd(void)
{
	int fd = 100;

	while (fcntl(fd, F_GETFD) != -1)
		fd++;
	return fd;
}

/* ---- the device ---- */

static int test_device_present(void)
{
	struct stat st;

	EXPECT_OK(stat(LUO_DEV, &st));
	EXPECT(S_ISCHR(st.st_mode));
	EXPECT_OK(dev_open());
	return 0;
}

static int test_open_exclusive(void)
{
	int dev;

	EXPECT_OK(dev = dev_open());
	EXPECT_ERR(dev_open(), EBUSY);
	EXPECT_ERR(dev_open(), EBUSY);
	EXPECT_OK(untrack_close(dev));
	EXPECT_OK(dev = dev_open());
	EXPECT_ERR(dev_open(), EBUSY);
	return 0;
}

/* Closing the device does not end the sessions created through it. */
static int test_device_close_keeps_sessions(void)
{
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-keep"));
	EXPECT_OK(untrack_close(dev));
	EXPECT(name_is(s, "kst-keep"));
	EXPECT_OK(dev = dev_open());
	EXPECT_ERR(create_session(dev, "kst-keep"), EEXIST);
	EXPECT_OK(preserve_fd(s, memfd("luo-test-keep", 100), TOKEN(1)));
	return 0;
}

/* ---- sessions ---- */

static int test_create_session_cloexec(void)
{
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-cloexec"));
	EXPECT(s != dev);
	EXPECT(cloexec(s));
	return 0;
}

static int test_create_session_bad_names(void)
{
	char name[NAME_LEN];
	int dev;

	EXPECT_OK(dev = dev_open());
	/* Empty. */
	memset(name, 0, NAME_LEN);
	EXPECT_ERR(create_session_raw(dev, name), EINVAL);
	/* Empty, with bytes after the NUL. */
	memset(name, 'x', NAME_LEN);
	name[0] = 0;
	EXPECT_ERR(create_session_raw(dev, name), EINVAL);
	/* No NUL in the 64 bytes. */
	memset(name, 'a', NAME_LEN);
	EXPECT_ERR(create_session_raw(dev, name), EINVAL);
	return 0;
}

static int test_create_session_dup_name(void)
{
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-dup"));
	EXPECT_ERR(create_session(dev, "kst-dup"), EEXIST);
	EXPECT_OK(preserve_fd(s, memfd("luo-test-dup", 10), TOKEN(1)));
	EXPECT_ERR(create_session(dev, "kst-dup"), EEXIST);
	/* A prefix or an extension of the name is another name. */
	EXPECT_OK(create_session(dev, "kst-du"));
	EXPECT_OK(create_session(dev, "kst-dup2"));
	return 0;
}

/* The name ends at its NUL: what follows is not part of it. */
static int test_create_session_name_ends_at_nul(void)
{
	char name[NAME_LEN];
	int dev, s;

	EXPECT_OK(dev = dev_open());
	memset(name, 'z', NAME_LEN);
	memcpy(name, "kst-nul", sizeof("kst-nul"));
	EXPECT_OK(s = create_session_raw(dev, name));
	EXPECT(name_is(s, "kst-nul"));
	EXPECT_ERR(create_session(dev, "kst-nul"), EEXIST);
	return 0;
}

/* Closing the last fd of a session ends it: its name is free again. */
static int test_session_name_free_after_close(void)
{
	int dev, s, d;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-reuse"));
	EXPECT_OK(preserve_fd(s, memfd("luo-test-reuse", 10), TOKEN(1)));
	EXPECT_OK(untrack_close(s));
	EXPECT_OK(s = create_session(dev, "kst-reuse"));
	/* With a second fd (dup), the session lives until both are closed. */
	EXPECT_OK(d = track(dup(s)));
	EXPECT_OK(untrack_close(s));
	EXPECT(name_is(d, "kst-reuse"));
	EXPECT_ERR(create_session(dev, "kst-reuse"), EEXIST);
	EXPECT_OK(untrack_close(d));
	EXPECT_OK(create_session(dev, "kst-reuse"));
	return 0;
}

static int test_get_name(void)
{
	char name63[NAME_LEN];
	int dev, s;

	memset(name63, 'n', NAME_LEN - 1);
	memcpy(name63, "kst-63-", 7);
	name63[NAME_LEN - 1] = 0;
	EXPECT(strlen(name63) == 63);

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-name"));
	EXPECT(name_is(s, "kst-name"));
	EXPECT_OK(s = create_session(dev, "k"));
	EXPECT(name_is(s, "k"));
	EXPECT_OK(s = create_session(dev, name63));
	EXPECT(name_is(s, name63));
	EXPECT_ERR(create_session(dev, name63), EEXIST);
	/* Names are bytes: anything but NUL goes. */
	EXPECT_OK(s = create_session(dev, "kst/\xff \t\x01!"));
	EXPECT(name_is(s, "kst/\xff \t\x01!"));
	return 0;
}

static int test_get_name_reserved(void)
{
	char name[NAME_LEN];
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-name-reserved"));
	EXPECT_ERR(get_name(s, 1, name), EINVAL);
	EXPECT_ERR(get_name(s, 0x80000000, name), EINVAL);
	EXPECT(name_is(s, "kst-name-reserved"));
	return 0;
}

static int test_retrieve_session_unknown(void)
{
	int dev;

	EXPECT_OK(dev = dev_open());
	EXPECT_ERR(retrieve_session(dev, "kst-no-such-session"), ENOENT);
	/* An outgoing session is not an incoming one. */
	EXPECT_OK(create_session(dev, "kst-outgoing"));
	EXPECT_ERR(retrieve_session(dev, "kst-outgoing"), ENOENT);
	return 0;
}

static int test_retrieve_session_bad_names(void)
{
	char name[NAME_LEN];
	int dev;

	EXPECT_OK(dev = dev_open());
	memset(name, 0, NAME_LEN);
	EXPECT_ERR(retrieve_session_raw(dev, name), EINVAL);
	memset(name, 'a', NAME_LEN);
	EXPECT_ERR(retrieve_session_raw(dev, name), EINVAL);
	return 0;
}

/* ---- unknown ioctls and bad pointers ---- */

static int test_unknown_ioctl_device(void)
{
	struct liveupdate_ioctl_create_session arg = {
		.size = sizeof(arg),
		.name = "kst-unknown",
	};
	int dev;

	EXPECT_OK(dev = dev_open());
	EXPECT_ERR(ioctl(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x02), &arg), ENOTTY);
	EXPECT_ERR(ioctl(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x3f), &arg), ENOTTY);
	EXPECT_ERR(ioctl(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0xff), &arg), ENOTTY);
	/* Session commands are not device commands. */
	EXPECT_ERR(ioctl(dev, LIVEUPDATE_SESSION_GET_NAME, &arg), ENOTTY);
	EXPECT_ERR(ioctl(dev, LIVEUPDATE_SESSION_PRESERVE_FD, &arg), ENOTTY);
	/* The right number with another type. */
	EXPECT_ERR(ioctl(dev, _IO(LIVEUPDATE_IOCTL_TYPE + 1, 0x00), &arg), ENOTTY);
	EXPECT_ERR(ioctl(dev, _IO('x', 0x00), &arg), ENOTTY);
	/* None of them created the session. */
	EXPECT_OK(create_session(dev, "kst-unknown"));
	return 0;
}

static int test_unknown_ioctl_session(void)
{
	struct liveupdate_ioctl_create_session arg = {
		.size = sizeof(arg),
		.name = "kst-unknown-2",
	};
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-unknown"));
	EXPECT_ERR(ioctl(s, _IO(LIVEUPDATE_IOCTL_TYPE, 0x44), &arg), ENOTTY);
	EXPECT_ERR(ioctl(s, _IO(LIVEUPDATE_IOCTL_TYPE, 0x3f), &arg), ENOTTY);
	EXPECT_ERR(ioctl(s, _IO(LIVEUPDATE_IOCTL_TYPE, 0xff), &arg), ENOTTY);
	/* Device commands are not session commands. */
	EXPECT_ERR(ioctl(s, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg), ENOTTY);
	EXPECT_ERR(ioctl(s, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &arg), ENOTTY);
	EXPECT_ERR(ioctl(s, _IO('x', 0x43), &arg), ENOTTY);
	EXPECT_OK(create_session(dev, "kst-unknown-2"));
	EXPECT(name_is(s, "kst-unknown"));
	return 0;
}

static int test_bad_pointer(void)
{
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-efault"));
	EXPECT_ERR(ioctl(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, NULL), EFAULT);
	EXPECT_ERR(ioctl(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, NULL), EFAULT);
	EXPECT_ERR(ioctl(s, LIVEUPDATE_SESSION_PRESERVE_FD, NULL), EFAULT);
	EXPECT_ERR(ioctl(s, LIVEUPDATE_SESSION_RETRIEVE_FD, NULL), EFAULT);
	EXPECT_ERR(ioctl(s, LIVEUPDATE_SESSION_FINISH, NULL), EFAULT);
	EXPECT_ERR(ioctl(s, LIVEUPDATE_SESSION_GET_NAME, NULL), EFAULT);
	return 0;
}

/* ---- preserving files ---- */

static int test_preserve_ebadf(void)
{
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-ebadf"));
	EXPECT_ERR(preserve_fd(s, -1, TOKEN(1)), EBADF);
	EXPECT_ERR(preserve_fd(s, free_fd(), TOKEN(1)), EBADF);
	EXPECT_ERR(preserve_fd(s, 0x7fffffff, TOKEN(1)), EBADF);
	/* The failures used no token. */
	EXPECT_OK(preserve_fd(s, memfd("luo-test-ebadf", 10), TOKEN(1)));
	return 0;
}

static int test_preserve_unsupported(void)
{
	int dev, s, p[2], null;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-unsupported"));
	EXPECT_OK(pipe(p));
	track(p[0]);
	track(p[1]);
	EXPECT_ERR(preserve_fd(s, p[0], TOKEN(1)), ENOENT);
	EXPECT_ERR(preserve_fd(s, p[1], TOKEN(1)), ENOENT);
	EXPECT_OK(null = track(open("/dev/null", O_RDWR)));
	EXPECT_ERR(preserve_fd(s, null, TOKEN(1)), ENOENT);
	/* memfds the test handler does not take: the name is wrong. */
	EXPECT_ERR(preserve_fd(s, memfd("not-luo-test", 10), TOKEN(1)), ENOENT);
	EXPECT_ERR(preserve_fd(s, memfd("luo-tes", 10), TOKEN(1)), ENOENT);
	EXPECT_ERR(preserve_fd(s, memfd("xluo-test", 10), TOKEN(1)), ENOENT);
	/* LUO's own files. */
	EXPECT_ERR(preserve_fd(s, s, TOKEN(1)), ENOENT);
	EXPECT_ERR(preserve_fd(s, dev, TOKEN(1)), ENOENT);
	EXPECT_OK(preserve_fd(s, memfd("luo-test", 10), TOKEN(1)));
	return 0;
}

static int test_preserve_memfd(void)
{
	int dev, s, fd;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-memfd"));
	EXPECT_OK(fd = memfd("luo-test-memfd", 4096));
	EXPECT_OK(preserve_fd(s, fd, TOKEN(1)));
	EXPECT_OK(preserve_fd(s, memfd("luo-test-memfd-odd", 12345), TOKEN(2)));
	EXPECT_OK(preserve_fd(s, memfd("luo-test-memfd-empty", 0), TOKEN(3)));
	/* The file stays usable while preserved. */
	EXPECT(pwrite(fd, "hello", 5, 0) == 5);
	return 0;
}

static int test_preserve_too_big(void)
{
	int dev, s, fd;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-efbig"));
	EXPECT_OK(fd = memfd("luo-test-big", TEST_FILE_MAX + 1));
	EXPECT_ERR(preserve_fd(s, fd, TOKEN(1)), EFBIG);
	/* Sparse, but its size is what counts. */
	EXPECT_OK(fd = memfd("luo-test-big", 0));
	EXPECT_OK(ftruncate(fd, 64 * 1024 * 1024));
	EXPECT_ERR(preserve_fd(s, fd, TOKEN(1)), EFBIG);
	/* 1 MiB exactly is still accepted, with the token the failures left. */
	EXPECT_OK(fd = memfd("luo-test-1m", TEST_FILE_MAX));
	EXPECT_OK(preserve_fd(s, fd, TOKEN(1)));
	return 0;
}

static int test_preserve_same_file_same_session(void)
{
	int dev, s, fd, fd2;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-twice"));
	EXPECT_OK(fd = memfd("luo-test-twice", 100));
	EXPECT_OK(preserve_fd(s, fd, TOKEN(1)));
	EXPECT_ERR(preserve_fd(s, fd, TOKEN(2)), EBUSY);
	/* Another fd of the same open file is the same file. */
	EXPECT_OK(fd2 = track(dup(fd)));
	EXPECT_ERR(preserve_fd(s, fd2, TOKEN(3)), EBUSY);
	/* TOKEN(2) was not taken by the failure. */
	EXPECT_OK(preserve_fd(s, memfd("luo-test-other", 100), TOKEN(2)));
	return 0;
}

static int test_preserve_same_file_other_session(void)
{
	int dev, a, b, fd;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(a = create_session(dev, "kst-a"));
	EXPECT_OK(b = create_session(dev, "kst-b"));
	EXPECT_OK(fd = memfd("luo-test-shared", 100));
	EXPECT_OK(preserve_fd(a, fd, TOKEN(1)));
	EXPECT_ERR(preserve_fd(b, fd, TOKEN(1)), EBUSY);
	EXPECT_ERR(preserve_fd(b, fd, TOKEN(2)), EBUSY);
	EXPECT_OK(preserve_fd(b, memfd("luo-test-b", 100), TOKEN(1)));
	return 0;
}

static int test_preserve_dup_token(void)
{
	int dev, s, t;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-token"));
	EXPECT_OK(preserve_fd(s, memfd("luo-test-t1", 100), TOKEN(7)));
	EXPECT_ERR(preserve_fd(s, memfd("luo-test-t2", 100), TOKEN(7)), EEXIST);
	/* Tokens are per session: another session may use the same. */
	EXPECT_OK(t = create_session(dev, "kst-token-2"));
	EXPECT_OK(preserve_fd(t, memfd("luo-test-t3", 100), TOKEN(7)));
	return 0;
}

/* Tokens are 64 bits: values equal in their low 32 bits are distinct. */
static int test_preserve_tokens_64bit(void)
{
	static const __u64 tokens[] = {
		0, 1, 1ULL << 32 | 1, 2ULL << 32 | 1, 1ULL << 63, (1ULL << 63) | 1,
		0xffffffffULL, 0xffffffffffffffffULL, 0x7fffffffffffffffULL,
	};
	int dev, s;
	size_t i;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-token64"));
	for (i = 0; i < ARRAY_SIZE(tokens); i++)
		EXPECT_OK(preserve_fd(s, memfd("luo-test-t64", 10), tokens[i]));
	for (i = 0; i < ARRAY_SIZE(tokens); i++)
		EXPECT_ERR(preserve_fd(s, memfd("luo-test-t64", 10), tokens[i]), EEXIST);
	return 0;
}

/* Closing the session unpreserves its files: another session may take them. */
static int test_unpreserve_on_close(void)
{
	int dev, a, b, fd1, fd2;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(a = create_session(dev, "kst-close-a"));
	EXPECT_OK(fd1 = memfd("luo-test-close-1", 100));
	EXPECT_OK(fd2 = memfd("luo-test-close-2", 100));
	EXPECT_OK(preserve_fd(a, fd1, TOKEN(1)));
	EXPECT_OK(preserve_fd(a, fd2, TOKEN(2)));
	EXPECT_OK(b = create_session(dev, "kst-close-b"));
	EXPECT_ERR(preserve_fd(b, fd1, TOKEN(1)), EBUSY);
	EXPECT_OK(untrack_close(a));
	EXPECT_OK(preserve_fd(b, fd1, TOKEN(1)));
	EXPECT_OK(preserve_fd(b, fd2, TOKEN(2)));
	/* And back into a new session of the first name, once b is gone. */
	EXPECT_OK(a = create_session(dev, "kst-close-a"));
	EXPECT_ERR(preserve_fd(a, fd1, TOKEN(1)), EBUSY);
	EXPECT_OK(untrack_close(b));
	EXPECT_OK(preserve_fd(a, fd1, TOKEN(1)));
	EXPECT_OK(preserve_fd(a, fd2, TOKEN(2)));
	return 0;
}

/* Closing the memfd does not unpreserve it: the session holds the file. */
static int test_preserved_file_outlives_fd(void)
{
	int dev, s, fd;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-outlive"));
	EXPECT_OK(fd = memfd("luo-test-outlive", 100));
	EXPECT_OK(preserve_fd(s, fd, TOKEN(1)));
	EXPECT_OK(untrack_close(fd));
	EXPECT_ERR(preserve_fd(s, memfd("luo-test-outlive", 100), TOKEN(1)), EEXIST);
	EXPECT(name_is(s, "kst-outlive"));
	return 0;
}

/* ---- operations of incoming sessions, refused on outgoing ones ---- */

static int test_retrieve_fd_outgoing(void)
{
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-retrieve-out"));
	EXPECT_ERR(retrieve_fd(s, TOKEN(1)), EPERM);
	EXPECT_OK(preserve_fd(s, memfd("luo-test-rout", 100), TOKEN(1)));
	EXPECT_ERR(retrieve_fd(s, TOKEN(1)), EPERM);
	EXPECT_ERR(retrieve_fd(s, TOKEN(2)), EPERM);
	return 0;
}

static int test_finish_outgoing(void)
{
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-finish-out"));
	EXPECT_ERR(finish_session(s, 0), EPERM);
	EXPECT_OK(preserve_fd(s, memfd("luo-test-fout", 100), TOKEN(1)));
	EXPECT_ERR(finish_session(s, 0), EPERM);
	/* Still a working outgoing session. */
	EXPECT(name_is(s, "kst-finish-out"));
	EXPECT_ERR(preserve_fd(s, memfd("luo-test-fout", 100), TOKEN(1)), EEXIST);
	return 0;
}

/* reserved != 0 is checked before the session's direction. */
static int test_finish_reserved(void)
{
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-finish-reserved"));
	EXPECT_ERR(finish_session(s, 1), EINVAL);
	EXPECT_ERR(finish_session(s, 0xffffffff), EINVAL);
	return 0;
}

/* ---- struct size rules (copy_struct_from_user) ---- */

/* size_ioctl: @cmd on @fd; an fd it returns against the rules is tracked. */
static int size_ioctl(int fd, unsigned long cmd, void *buf)
{
	int ret = ioctl(fd, cmd, buf), err = errno;

	if (!ret && (cmd == LIVEUPDATE_IOCTL_CREATE_SESSION ||
		     cmd == LIVEUPDATE_IOCTL_RETRIEVE_SESSION ||
		     cmd == LIVEUPDATE_SESSION_RETRIEVE_FD))
		track(((struct liveupdate_session_retrieve_fd *)buf)->fd);
	errno = err;
	return ret;
}

/*
 * size_rules: @cmd on @fd with the struct of @size bytes @arg (size field
 * overwritten): sizes 0, 4 and size - 1 -> EINVAL; size + EXTRA with a
 * non-zero byte past the struct -> E2BIG; size + EXTRA all zero -> the
 * outcome of @check (called with the result and errno of the ioctl).
 */
static int size_rules(int fd, unsigned long cmd, const void *arg, size_t size,
		      int (*check)(int ret, int err, void *buf))
{
	__u64 buf[(NAME_LEN + 64 + EXTRA) / 8];
	__u32 sizes[] = { 0, 4, size - 1 };
	unsigned char *b = (unsigned char *)buf;
	size_t i;
	int ret;

	if (size + EXTRA > sizeof(buf))
		return -1;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, arg, size);
		*(__u32 *)b = sizes[i];
		EXPECT_ERR(size_ioctl(fd, cmd, buf), EINVAL);
	}
	for (i = size; i < size + EXTRA; i++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, arg, size);
		*(__u32 *)b = size + EXTRA;
		b[i] = 1;
		EXPECT_ERR(size_ioctl(fd, cmd, buf), E2BIG);
	}
	memset(buf, 0, sizeof(buf));
	memcpy(buf, arg, size);
	*(__u32 *)b = size + EXTRA;
	errno = 0;
	ret = size_ioctl(fd, cmd, buf);
	if (check(ret, errno, buf)) {
		ksft_print_msg("size %zu with zeroes past the struct: %s (%d)\n",
			       size + EXTRA, errno_name(ret < 0 ? errno : 0), ret);
		return -1;
	}
	/* Nothing was written past the struct. */
	for (i = size; i < size + EXTRA; i++)
		EXPECT(b[i] == 0);
	return 0;
}

static int expect_fd(int ret, int err, void *buf)
{
	struct liveupdate_ioctl_create_session *arg = buf;

	(void)err;
	return ret == 0 && arg->fd >= 0 ? 0 : -1;
}

static int expect_ok(int ret, int err, void *buf)
{
	(void)err;
	(void)buf;
	return ret == 0 ? 0 : -1;
}

static int expect_enoent(int ret, int err, void *buf)
{
	(void)buf;
	return ret == -1 && err == ENOENT ? 0 : -1;
}

static int expect_eperm(int ret, int err, void *buf)
{
	(void)buf;
	return ret == -1 && err == EPERM ? 0 : -1;
}

static int expect_name(int ret, int err, void *buf)
{
	struct liveupdate_session_get_name *arg = buf;

	(void)err;
	return ret == 0 && !strcmp((char *)arg->name, "kst-size") ? 0 : -1;
}

static int test_size_create_session(void)
{
	struct liveupdate_ioctl_create_session arg = {
		.name = "kst-size",
	};
	int dev;

	EXPECT_OK(dev = dev_open());
	if (size_rules(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &arg, sizeof(arg),
		       expect_fd))
		return -1;
	remember_name("kst-size");
	/* The accepted one created the session, the failed ones did not. */
	EXPECT_ERR(create_session(dev, "kst-size"), EEXIST);
	return 0;
}

static int test_size_retrieve_session(void)
{
	struct liveupdate_ioctl_retrieve_session arg = {
		.name = "kst-no-such-session",
	};
	int dev;

	EXPECT_OK(dev = dev_open());
	return size_rules(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &arg,
			  sizeof(arg), expect_enoent);
}

static int test_size_preserve_fd(void)
{
	struct liveupdate_session_preserve_fd arg = {
		.token = TOKEN(1),
	};
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-size"));
	EXPECT_OK(arg.fd = memfd("luo-test-size", 100));
	if (size_rules(s, LIVEUPDATE_SESSION_PRESERVE_FD, &arg, sizeof(arg),
		       expect_ok))
		return -1;
	/* The accepted one preserved it. */
	EXPECT_ERR(preserve_fd(s, arg.fd, TOKEN(2)), EBUSY);
	return 0;
}

static int test_size_retrieve_fd(void)
{
	struct liveupdate_session_retrieve_fd arg = {
		.token = TOKEN(1),
	};
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-size"));
	EXPECT_OK(preserve_fd(s, memfd("luo-test-size", 100), TOKEN(1)));
	return size_rules(s, LIVEUPDATE_SESSION_RETRIEVE_FD, &arg, sizeof(arg),
			  expect_eperm);
}

static int test_size_finish(void)
{
	struct liveupdate_session_finish arg = {};
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-size"));
	return size_rules(s, LIVEUPDATE_SESSION_FINISH, &arg, sizeof(arg),
			  expect_eperm);
}

static int test_size_get_name(void)
{
	struct liveupdate_session_get_name arg = {};
	int dev, s;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-size"));
	return size_rules(s, LIVEUPDATE_SESSION_GET_NAME, &arg, sizeof(arg),
			  expect_name);
}

/* ---- scale ---- */

static int test_many_sessions(void)
{
	static int fds[MANY_SESSIONS];
	char name[NAME_LEN];
	int dev, i;

	EXPECT_OK(dev = dev_open());
	for (i = 0; i < MANY_SESSIONS; i++) {
		snprintf(name, sizeof(name), "kst-many-%d", i);
		fds[i] = create_session(dev, name);
		if (fds[i] < 0) {
			ksft_print_msg("session %d of %d: %s\n", i, MANY_SESSIONS,
				       errno_name(errno));
			return -1;
		}
	}
	EXPECT(name_is(fds[0], "kst-many-0"));
	EXPECT(name_is(fds[MANY_SESSIONS / 2], "kst-many-1000"));
	EXPECT(name_is(fds[MANY_SESSIONS - 1], "kst-many-1999"));
	EXPECT_ERR(create_session(dev, "kst-many-1234"), EEXIST);
	EXPECT_OK(preserve_fd(fds[MANY_SESSIONS - 1], memfd("luo-test-many", 10),
			      TOKEN(1)));
	for (i = 0; i < MANY_SESSIONS; i++)
		EXPECT_OK(untrack_close(fds[i]));
	/* All gone: their names are free again. */
	EXPECT_OK(fds[0] = create_session(dev, "kst-many-0"));
	EXPECT_OK(fds[1] = create_session(dev, "kst-many-1999"));
	return 0;
}

static int test_many_files(void)
{
	static int fds[MANY_FILES];
	char name[32];
	int dev, s, t, i;

	EXPECT_OK(dev = dev_open());
	EXPECT_OK(s = create_session(dev, "kst-files"));
	for (i = 0; i < MANY_FILES; i++) {
		snprintf(name, sizeof(name), "luo-test-many-%d", i);
		fds[i] = memfd(name, 1 + i * 7);
		if (fds[i] < 0) {
			ksft_perror("memfd");
			return -1;
		}
		if (preserve_fd(s, fds[i], TOKEN(i) | (__u64)i << 32)) {
			ksft_print_msg("file %d of %d: %s\n", i, MANY_FILES,
				       errno_name(errno));
			return -1;
		}
	}
	EXPECT_ERR(preserve_fd(s, fds[MANY_FILES - 1], TOKEN(MANY_FILES)), EBUSY);
	EXPECT_ERR(preserve_fd(s, memfd("luo-test-more", 10), TOKEN(0)), EEXIST);
	/* Closing the session lets another one take all of them. */
	EXPECT_OK(t = create_session(dev, "kst-files-2"));
	EXPECT_ERR(preserve_fd(t, fds[0], TOKEN(0)), EBUSY);
	EXPECT_OK(untrack_close(s));
	for (i = 0; i < MANY_FILES; i++)
		EXPECT_OK(preserve_fd(t, fds[i], TOKEN(i)));
	return 0;
}

/* Every session the tests created is gone, so nothing stays preserved. */
static int test_all_sessions_closed(void)
{
	int dev, s, i;

	checking_names = true;
	EXPECT_OK(dev = dev_open());
	for (i = 0; i < nr_created; i++) {
		s = create_session(dev, created[i]);
		if (s < 0) {
			ksft_print_msg("session \"%s\" still exists: %s\n",
				       created[i], errno_name(errno));
			return -1;
		}
		untrack_close(s);
	}
	ksft_print_msg("%d session names checked\n", nr_created);
	return 0;
}

struct luo_test {
	const char *name;
	int (*fn)(void);
};

#define T(f) { #f, test_##f }
static const struct luo_test tests[] = {
	T(device_present),
	T(open_exclusive),
	T(device_close_keeps_sessions),
	T(create_session_cloexec),
	T(create_session_bad_names),
	T(create_session_dup_name),
	T(create_session_name_ends_at_nul),
	T(session_name_free_after_close),
	T(get_name),
	T(get_name_reserved),
	T(retrieve_session_unknown),
	T(retrieve_session_bad_names),
	T(unknown_ioctl_device),
	T(unknown_ioctl_session),
	T(bad_pointer),
	T(preserve_ebadf),
	T(preserve_unsupported),
	T(preserve_memfd),
	T(preserve_too_big),
	T(preserve_same_file_same_session),
	T(preserve_same_file_other_session),
	T(preserve_dup_token),
	T(preserve_tokens_64bit),
	T(unpreserve_on_close),
	T(preserved_file_outlives_fd),
	T(retrieve_fd_outgoing),
	T(finish_outgoing),
	T(finish_reserved),
	T(size_create_session),
	T(size_retrieve_session),
	T(size_preserve_fd),
	T(size_retrieve_fd),
	T(size_finish),
	T(size_get_name),
	T(many_sessions),
	T(many_files),
	T(all_sessions_closed),
};

/* raise_fd_limit: room for MANY_SESSIONS session fds and more. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	rlim_t want = MANY_SESSIONS + MANY_FILES + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= want)
		return;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		ksft_print_msg("cannot raise RLIMIT_NOFILE to %lu: %s\n",
			       (unsigned long)want, strerror(errno));
}

int main(void)
{
	size_t i;
	int fd;

	ksft_print_header();
	fd = open(LUO_DEV, O_RDWR);
	if (fd < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO))
		ksft_exit_skip("%s: %s (needs CONFIG_LIVEUPDATE, kho=on liveupdate=on)\n",
			       LUO_DEV, strerror(errno));
	if (fd >= 0)
		close(fd);
	raise_fd_limit();
	ksft_set_plan(ARRAY_SIZE(tests));
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		int ret;

		test_failures = 0;
		ret = tests[i].fn();
		close_test_fds();
		ksft_test_result(!ret && !test_failures, "%s\n", tests[i].name);
	}
	ksft_finished();
}
