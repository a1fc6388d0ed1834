/**
 * JNA direct-mapped bindings of the epoll backend, one class per native facility, C names kept:
 * {@link dev.poll4j.epoll.sys.Epoll} ({@code epoll_create1}, {@code epoll_ctl}, {@code
 * epoll_wait}, {@code struct epoll_event}), {@link dev.poll4j.epoll.sys.EpollPwait2} (optional,
 * glibc 2.35+) and {@link dev.poll4j.epoll.sys.Eventfd}. Arguments are primitives and addresses
 * only; errno is read with the core module's {@code Errno.errno()} after a {@code -1} return.
 */
package dev.poll4j.epoll.sys;
