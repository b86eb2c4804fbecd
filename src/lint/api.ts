/** Names the analyzer knows: what creates, closes, registers and ends. Data, not logic. */

/** C/C++ calls whose result is a socket this function owns. */
export const C_ACQUIRE = new Set(['socket', 'accept', 'accept4', 'WSASocket', 'WSASocketA', 'WSASocketW', 'WSAAccept']);
/**
 * Well-known wrappers (Stevens' unp.h) whose bodies are usually not in the file: they return
 * a new socket. The value says whether it may still need SO_REUSEADDR (Tcp_listen sets it).
 */
export const UNP_ACQUIRE: Record<string, boolean> = { Socket: true, Accept: false, Tcp_connect: false, Tcp_listen: false };
/** Wrappers of the same names (unp.h) that call the API and end the process on errors. */
export const UNP_WRAPPERS: Record<string, string> = {
  Bind: 'bind', Listen: 'listen', Setsockopt: 'setsockopt', Shutdown: 'shutdown',
};
/** C/C++ calls that close their first argument. */
export const C_CLOSE = new Set(['close', 'closesocket', 'Close', 'Closesocket', '_close', 'evutil_closesocket', 'CloseSocket']);
/** C/C++ read-like calls whose result may be -1 / SOCKET_ERROR. */
export const C_READ = new Set(['read', 'recv', 'recvfrom', 'recvmsg', 'WSARecv', '_read', 'SSL_read', 'pread']);
/** Calls that use a byte count: every argument after the first is a length or buffer position. */
export const C_BYTE_SINKS = new Set(['write', 'send', 'sendto', 'fwrite', 'memcpy', 'memmove', 'SSL_write', 'writen',
  'Writen', 'rio_writen', '_write', 'strncpy', 'strncat', 'memset', 'fputs', 'printf_n']);
/** Process-ending calls (paths through them are not leaks). */
export const EXIT_CALLS = new Set(['exit', '_exit', '_Exit', 'abort', 'err', 'errx', 'verr', 'verrx', 'quick_exit',
  'ExitProcess', 'err_sys', 'err_quit', 'err_dump', 'err_exit', 'die', 'fatal', 'panic', 'std::exit', 'std::abort',
  'std::terminate', 'std::quick_exit', 'sys.exit', 'os._exit', 'os.abort', 'quit', '__builtin_trap', 'assert_not_reached']);
/**
 * Calls that only use a socket (known APIs and libc); passing a socket to anything else that
 * has no body in the file may store it, which ends our ownership.
 */
export const C_BORROWING = new Set(['read', 'write', 'recv', 'send', 'recvfrom', 'sendto', 'recvmsg', 'sendmsg',
  'setsockopt', 'getsockopt', 'bind', 'listen', 'connect', 'accept', 'accept4', 'getpeername', 'getsockname',
  'fcntl', 'ioctl', 'ioctlsocket', 'select', 'poll', 'printf', 'fprintf', 'sprintf', 'snprintf', 'perror', 'puts',
  'fputs', 'dprintf', 'FD_ISSET', 'FD_ZERO', 'inet_ntoa', 'inet_ntop', 'inet_pton', 'htons', 'ntohs', 'htonl',
  'ntohl', 'memset', 'memcpy', 'bzero', 'strlen', 'sizeof', 'free', 'WSARecv', 'WSASend', 'SSL_set_fd',
  'sendfile', 'splice', 'dup', 'dup2', 'isatty', 'fstat', 'getaddrinfo', 'syslog', 'assert', 'std::cout', 'cout',
  'WSAGetLastError', 'strerror', 'FD_CLR', 'epoll_ctl', 'epoll_wait', 'wait', 'waitpid', 'sleep', 'usleep',
  'SSL_write', 'SSL_read', 'writen', 'readn', 'Writen', 'Readn', 'readline', 'Readline', 'read_line', 'max', 'std::max',
  'std::to_string', 'to_string', 'std::printf', 'static_cast', 'shutdown', 'WSAEventSelect', 'WSAAsyncSelect', 'SSL_accept',
  // unp.h wrappers (they end the process on errors, so their results are never -1)
  'Read', 'Write', 'Recv', 'Send', 'Recvfrom', 'Sendto', 'Select', 'Poll', 'Fcntl', 'Getsockname', 'Getpeername',
  'Connect', 'Bind', 'Listen', 'Setsockopt', 'Getsockopt', 'Shutdown', 'Inet_pton', 'Inet_ntop', 'Sock_ntop',
  // <algorithm> lookups only compare the value
  'std::remove', 'std::find', 'std::count', 'std::remove_if', 'std::find_if', 'std::any_of', 'std::binary_search']);
/** C++ container member functions that only look a key up (`clients_.find(fd)`): the key is not stored. */
export const C_LOOKUP_METHODS = new Set(['find', 'count', 'contains', 'at', 'lower_bound', 'upper_bound', 'equal_range']);
/** Python calls/methods that never take ownership of a socket passed to them. */
export const PY_BORROWING = new Set(['print', 'len', 'str', 'repr', 'format', 'isinstance', 'id', 'hash', 'type',
  'select.select', 'select', 'logging.info', 'logging.debug', 'logging.warning', 'logging.error', 'logging.exception',
  'log.info', 'log.debug', 'log.warning', 'log.error', 'logger.info', 'logger.debug', 'logger.warning',
  'logger.error', 'logger.exception', 'sys.stdout.write', 'sys.stderr.write', 'getattr', 'hasattr', 'vars']);
/** Python methods on a socket that only use it. */
export const PY_SOCKET_METHODS = new Set(['recv', 'recv_into', 'recvfrom', 'recvfrom_into', 'recvmsg', 'send', 'sendall',
  'sendto', 'sendmsg', 'sendfile', 'setsockopt', 'getsockopt', 'bind', 'listen', 'connect', 'connect_ex', 'settimeout',
  'sock_recv', 'sock_recv_into', 'sock_sendall', 'sock_sendto', 'sock_recvfrom', 'sock_connect', 'sock_sendfile',
  'setblocking', 'fileno', 'getpeername', 'getsockname', 'accept', 'makefile', 'gettimeout', 'ioctl']);
/** Thread/handler starters whose target owns the socket handed to it. */
export const C_THREAD_STARTERS: Record<string, number> = { pthread_create: 2, CreateThread: 2, _beginthreadex: 2, _beginthread: 0 };
