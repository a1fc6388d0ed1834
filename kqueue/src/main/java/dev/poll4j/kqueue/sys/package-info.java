/**
 * JNA direct-mapped bindings of the kqueue backend, one class per native facility, C names kept:
 * {@link dev.poll4j.kqueue.sys.Kqueue} ({@code kqueue}, {@code kevent}, the shared {@code EV_*}
 * and {@code NOTE_*} values), {@link dev.poll4j.kqueue.sys.KeventSizeT} (NetBSD's {@code
 * __kevent50}/{@code __kevent100}) and {@link dev.poll4j.kqueue.sys.KeventLayout}, the per-OS
 * {@code struct kevent} layouts and constants as data. Arguments are primitives and addresses
 * only. The pipe waker, {@code fcntl} and errno come from core's POSIX bindings, which carry one
 * column of constants per system.
 */
package dev.poll4j.kqueue.sys;
