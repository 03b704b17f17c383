// berth's only native code: the few syscalls Node does not expose.
// mount/umount2, mknod, extended attributes on links, and SOCK_SEQPACKET unix sockets (conmon's attach socket).
// Every function throws a JS Error carrying `code` (errno name) and `errno` on failure.
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_PATH_ARG 4096

static const char *errno_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EBUSY: return "EBUSY";
    case EACCES: return "EACCES";
    case ENOTDIR: return "ENOTDIR";
    case ENODATA: return "ENODATA";
    case ENOTSUP: return "ENOTSUP";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ERANGE: return "ERANGE";
    case ENOSPC: return "ENOSPC";
    default: return "EUNKNOWN";
  }
}

static napi_value throw_errno(napi_env env, const char *syscall, const char *path) {
  int e = errno;
  char msg[MAX_PATH_ARG + 128];
  snprintf(msg, sizeof msg, "%s: %s%s%s", errno_name(e), syscall, path ? " " : "", path ? path : "");
  napi_value message, error, code, num;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &error);
  napi_create_string_utf8(env, errno_name(e), NAPI_AUTO_LENGTH, &code);
  napi_create_int32(env, -e, &num);
  napi_set_named_property(env, error, "code", code);
  napi_set_named_property(env, error, "errno", num);
  napi_throw(env, error);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, "wrong number of arguments");
    return 0;
  }
  return 1;
}

// Copies a JS string into buf; an empty JS null/undefined gives NULL.
static const char *get_str(napi_env env, napi_value v, char *buf, size_t len, int nullable) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (nullable && (t == napi_null || t == napi_undefined)) return NULL;
  size_t n;
  if (napi_get_value_string_utf8(env, v, buf, len, &n) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a string");
    return (const char *)-1;
  }
  if (n >= len - 1) {
    napi_throw_range_error(env, NULL, "string argument too long");
    return (const char *)-1;
  }
  return buf;
}

#define BAD(p) ((p) == (const char *)-1)

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// mount(source|null, target, fstype|null, flags, data|null)
static napi_value js_mount(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!get_args(env, info, 5, argv)) return NULL;
  static char src[MAX_PATH_ARG], tgt[MAX_PATH_ARG], fs[256];
  char *data = malloc(65536);
  if (!data) return throw_errno(env, "malloc", NULL);
  const char *s = get_str(env, argv[0], src, sizeof src, 1);
  const char *t = get_str(env, argv[1], tgt, sizeof tgt, 0);
  const char *f = get_str(env, argv[2], fs, sizeof fs, 1);
  const char *d = get_str(env, argv[4], data, 65536, 1);
  int64_t flags = 0;
  napi_get_value_int64(env, argv[3], &flags);
  napi_value result = NULL;
  if (!BAD(s) && !BAD(t) && !BAD(f) && !BAD(d)) {
    if (mount(s, t, f, (unsigned long)flags, d) != 0) throw_errno(env, "mount", t);
    else result = undefined(env);
  }
  free(data);
  return result;
}

// umount(target, flags)
static napi_value js_umount(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  char tgt[MAX_PATH_ARG];
  const char *t = get_str(env, argv[0], tgt, sizeof tgt, 0);
  if (BAD(t)) return NULL;
  int32_t flags = 0;
  napi_get_value_int32(env, argv[1], &flags);
  if (umount2(t, flags) != 0) return throw_errno(env, "umount2", t);
  return undefined(env);
}

// mknod(path, mode, major, minor): mode includes the file type bits (S_IFCHR, S_IFBLK, S_IFIFO).
static napi_value js_mknod(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, 4, argv)) return NULL;
  char path[MAX_PATH_ARG];
  const char *p = get_str(env, argv[0], path, sizeof path, 0);
  if (BAD(p)) return NULL;
  uint32_t mode, major, minor;
  napi_get_value_uint32(env, argv[1], &mode);
  napi_get_value_uint32(env, argv[2], &major);
  napi_get_value_uint32(env, argv[3], &minor);
  if (mknod(p, mode, makedev(major, minor)) != 0) return throw_errno(env, "mknod", p);
  return undefined(env);
}

// lsetxattr(path, name, value: Buffer)
static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv)) return NULL;
  char path[MAX_PATH_ARG], name[256];
  const char *p = get_str(env, argv[0], path, sizeof path, 0);
  const char *n = get_str(env, argv[1], name, sizeof name, 0);
  if (BAD(p) || BAD(n)) return NULL;
  void *data;
  size_t len;
  if (napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "value must be a Buffer");
    return NULL;
  }
  if (lsetxattr(p, n, data, len, 0) != 0) return throw_errno(env, "lsetxattr", p);
  return undefined(env);
}

// lgetxattr(path, name) -> Buffer | null (null when the attribute is absent)
static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  char path[MAX_PATH_ARG], name[256];
  const char *p = get_str(env, argv[0], path, sizeof path, 0);
  const char *n = get_str(env, argv[1], name, sizeof name, 0);
  if (BAD(p) || BAD(n)) return NULL;
  char buf[65536];
  ssize_t len = lgetxattr(p, n, buf, sizeof buf);
  napi_value out;
  if (len < 0) {
    if (errno == ENODATA || errno == ENOTSUP) {
      napi_get_null(env, &out);
      return out;
    }
    return throw_errno(env, "lgetxattr", p);
  }
  void *dst;
  napi_create_buffer_copy(env, (size_t)len, buf, &dst, &out);
  return out;
}

// llistxattr(path) -> string[]
static napi_value js_llistxattr(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  char path[MAX_PATH_ARG];
  const char *p = get_str(env, argv[0], path, sizeof path, 0);
  if (BAD(p)) return NULL;
  char buf[65536];
  ssize_t len = llistxattr(p, buf, sizeof buf);
  napi_value arr;
  napi_create_array(env, &arr);
  if (len < 0) {
    if (errno == ENOTSUP) return arr;
    return throw_errno(env, "llistxattr", p);
  }
  uint32_t i = 0;
  for (ssize_t off = 0; off < len;) {
    size_t n = strlen(buf + off);
    napi_value s;
    napi_create_string_utf8(env, buf + off, n, &s);
    napi_set_element(env, arr, i++, s);
    off += (ssize_t)n + 1;
  }
  return arr;
}

// seqpacketConnect(path) -> fd: a connected, non-blocking, close-on-exec AF_UNIX SOCK_SEQPACKET socket.
static napi_value js_seqpacket_connect(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  char path[MAX_PATH_ARG];
  const char *p = get_str(env, argv[0], path, sizeof path, 0);
  if (BAD(p)) return NULL;
  if (strlen(p) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return throw_errno(env, "connect", p);
  }
  strcpy(addr.sun_path, p);
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", NULL);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return throw_errno(env, "connect", p);
  }
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  napi_value out;
  napi_create_int32(env, fd, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"mount", NULL, js_mount, NULL, NULL, NULL, napi_default, NULL},
    {"umount", NULL, js_umount, NULL, NULL, NULL, napi_default, NULL},
    {"mknod", NULL, js_mknod, NULL, NULL, NULL, napi_default, NULL},
    {"lsetxattr", NULL, js_lsetxattr, NULL, NULL, NULL, napi_default, NULL},
    {"lgetxattr", NULL, js_lgetxattr, NULL, NULL, NULL, napi_default, NULL},
    {"llistxattr", NULL, js_llistxattr, NULL, NULL, NULL, napi_default, NULL},
    {"seqpacketConnect", NULL, js_seqpacket_connect, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
