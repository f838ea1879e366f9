/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Userspace interface of /dev/liveupdate, the Live Update Orchestrator.
 *
 * This header is a contract with programs: its names, numbers and struct
 * layouts are upstream's, byte for byte, so that a program written against
 * upstream's <linux/liveupdate.h> builds against this one unchanged.
 */
#ifndef _UAPI_LIVEUPDATE_H
#define _UAPI_LIVEUPDATE_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: General ioctl format
 *
 * Every command is _IO(LIVEUPDATE_IOCTL_TYPE, nr); its argument is a pointer
 * to a struct whose first member, ``__u32 size``, the caller sets to the
 * size of the struct it knows. The kernel reads it as copy_struct_from_user()
 * does: a size below the first version of the struct is -EINVAL, bytes past
 * the struct the kernel knows must be zero (-E2BIG otherwise), and a shorter
 * struct is zero-extended. Commands numbered from 0x00 are issued on the
 * /dev/liveupdate file descriptor; those numbered from 0x40 on a session's.
 */

/* The ioctl type, listed in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define LIVEUPDATE_IOCTL_TYPE		0xBA

/* Size of a session name, counting the terminating NUL. */
#define LIVEUPDATE_SESSION_NAME_LENGTH	64

/* Commands on /dev/liveupdate */
enum {
	LIVEUPDATE_CMD_BASE = 0x00,
	LIVEUPDATE_CMD_CREATE_SESSION = LIVEUPDATE_CMD_BASE,
	LIVEUPDATE_CMD_RETRIEVE_SESSION = 0x01,
};

/* Commands on a session file descriptor */
enum {
	LIVEUPDATE_CMD_SESSION_BASE = 0x40,
	LIVEUPDATE_CMD_SESSION_PRESERVE_FD = LIVEUPDATE_CMD_SESSION_BASE,
	LIVEUPDATE_CMD_SESSION_RETRIEVE_FD = 0x41,
	LIVEUPDATE_CMD_SESSION_FINISH = 0x42,
	LIVEUPDATE_CMD_SESSION_GET_NAME = 0x43,
};

/**
 * struct liveupdate_ioctl_create_session - LIVEUPDATE_IOCTL_CREATE_SESSION
 * @size: sizeof(struct liveupdate_ioctl_create_session)
 * @fd: output; the new session's file descriptor (close-on-exec)
 * @name: input; the session's name, non-empty and NUL-terminated, unique
 *	among the sessions to be preserved
 *
 * Creates a session whose files are preserved across the next kexec. It
 * lives while a process holds its file descriptor; closing the last one
 * before the kexec unpreserves everything in it.
 */
struct liveupdate_ioctl_create_session {
	__u32	size;
	__s32	fd;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_CREATE_SESSION					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_CREATE_SESSION)

/**
 * struct liveupdate_ioctl_retrieve_session - LIVEUPDATE_IOCTL_RETRIEVE_SESSION
 * @size: sizeof(struct liveupdate_ioctl_retrieve_session)
 * @fd: output; a file descriptor of the session (close-on-exec)
 * @name: input; the name the previous kernel's session had
 *
 * Returns a session the previous kernel preserved. Its files are taken back
 * with LIVEUPDATE_SESSION_RETRIEVE_FD, and LIVEUPDATE_SESSION_FINISH ends it.
 */
struct liveupdate_ioctl_retrieve_session {
	__u32	size;
	__s32	fd;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_IOCTL_RETRIEVE_SESSION				\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_RETRIEVE_SESSION)

/**
 * struct liveupdate_session_preserve_fd - LIVEUPDATE_SESSION_PRESERVE_FD
 * @size: sizeof(struct liveupdate_session_preserve_fd)
 * @fd: input; the file descriptor to preserve
 * @token: input; the key to retrieve it by in the next kernel, unique
 *	within the session
 */
struct liveupdate_session_preserve_fd {
	__u32		size;
	__s32		fd;
	__aligned_u64	token;
};

#define LIVEUPDATE_SESSION_PRESERVE_FD					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_PRESERVE_FD)

/**
 * struct liveupdate_session_retrieve_fd - LIVEUPDATE_SESSION_RETRIEVE_FD
 * @size: sizeof(struct liveupdate_session_retrieve_fd)
 * @fd: output; a new file descriptor of the restored file (close-on-exec)
 * @token: input; the token the file was preserved with
 */
struct liveupdate_session_retrieve_fd {
	__u32		size;
	__s32		fd;
	__aligned_u64	token;
};

#define LIVEUPDATE_SESSION_RETRIEVE_FD					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_RETRIEVE_FD)

/**
 * struct liveupdate_session_finish - LIVEUPDATE_SESSION_FINISH
 * @size: sizeof(struct liveupdate_session_finish)
 * @reserved: must be zero
 *
 * Ends a retrieved session: whatever it preserved and was not retrieved is
 * released.
 */
struct liveupdate_session_finish {
	__u32	size;
	__u32	reserved;
};

#define LIVEUPDATE_SESSION_FINISH					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_FINISH)

/**
 * struct liveupdate_session_get_name - LIVEUPDATE_SESSION_GET_NAME
 * @size: sizeof(struct liveupdate_session_get_name)
 * @reserved: must be zero
 * @name: output; the session's name, NUL-terminated
 */
struct liveupdate_session_get_name {
	__u32	size;
	__u32	reserved;
	__u8	name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

#define LIVEUPDATE_SESSION_GET_NAME					\
	_IO(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_GET_NAME)

#endif /* _UAPI_LIVEUPDATE_H */
