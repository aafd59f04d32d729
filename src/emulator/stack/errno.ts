// FreeBSD errno names and their strerror(3) texts for results a local send or a
// configuration call can report. Only values: no behaviour, no state.
// Texts follow FreeBSD's sys/sys/errno.h / lib/libc strerror, as ping/route print them.

export const ERRNO_TEXT = {
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EHOSTDOWN: 'Host is down',
  EMSGSIZE: 'Message too long',
  EADDRNOTAVAIL: "Can't assign requested address",
  EADDRINUSE: 'Address already in use',
  ENETDOWN: 'Network is down',
  EEXIST: 'File exists',
  ESRCH: 'No such process',
  ENXIO: 'Device not configured',
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
  ENOBUFS: 'No buffer space available',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Operation timed out',
  ENOTCONN: 'Socket is not connected',
  EPIPE: 'Broken pipe',
  EISCONN: 'Socket is already connected',
  EAFNOSUPPORT: 'Address family not supported by protocol family',
} as const;

export type Errno = keyof typeof ERRNO_TEXT;

export type SendResult = { ok: true } | { ok: false; errno: Errno };

/** Result of a configuration call (route add, ifconfig …); `message` is what FreeBSD's tool says. */
export type ConfigResult = { ok: true } | { ok: false; errno: Errno; message: string };

export const SEND_OK: SendResult = Object.freeze({ ok: true }) as SendResult;

export function sendError(errno: Errno): SendResult {
  return { ok: false, errno };
}

export function configError(errno: Errno, message?: string): ConfigResult {
  return { ok: false, errno, message: message ?? ERRNO_TEXT[errno] };
}

export function errnoText(errno: Errno): string {
  return ERRNO_TEXT[errno];
}
