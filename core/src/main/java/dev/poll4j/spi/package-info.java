/**
 * The backend contract: what epoll, kqueue, IOCP and poll(2) each provide, written once.
 *
 * <p>A backend module provides one {@link dev.poll4j.spi.Backend} (through {@code provides} in
 * its {@code module-info} and a {@code META-INF/services/dev.poll4j.spi.Backend} entry) whose
 * {@code open()} returns a {@link dev.poll4j.spi.BackendSelector}. The selector must provide:
 *
 * <ol>
 *   <li><b>register / reregister / deregister</b> of an OS handle with a {@code long} token, an
 *       interest ({@link dev.poll4j.spi.Ops}: readable, writable, priority) and a {@link
 *       dev.poll4j.Mode} (edge, level, oneshot). Reregister replaces token, interest and mode
 *       and re-arms a oneshot registration. Errors name the native call and the errno.
 *   <li><b>select</b>: one kernel wait that fills an {@link dev.poll4j.spi.EventBuffer} with
 *       tokens and readiness bits, with no allocation. The token travels through the kernel
 *       where it can (epoll {@code data}, kqueue {@code udata}, the IOCP completion key or
 *       overlapped pointer), so no map is consulted per event. Events are a subset of the
 *       interest plus the error and closed bits. After {@code deregister} returns, no later
 *       select reports the token.
 *   <li><b>wake-up</b>: a handle that another thread signals to end a blocked wait (eventfd,
 *       {@code EVFILT_USER} or a pipe, {@code PostQueuedCompletionStatus}), drained by the
 *       select and reported to {@link dev.poll4j.spi.BackendSelector#wakeupDrained()}; the
 *       user-visible {@code Waker} is layered on top by the shared code.
 *   <li><b>close</b>: releases every descriptor and native buffer, called once no other
 *       operation runs.
 *   <li><b>the would-block hook</b>: {@link dev.poll4j.spi.SourceHandle#wouldBlock(int)} is
 *       called by every poll4j I/O operation that would block. Backends whose kernel interface
 *       is one-shot or level-only (IOCP's AFD poll, poll(2)) emulate edge mode there: a reported
 *       readiness is dropped from the registration and re-armed when the hook fires. Backends
 *       with native edge mode ignore it. This is the one place where the IOCP model shapes the
 *       contract.
 * </ol>
 *
 * <p>What the shared code in {@link dev.poll4j.spi.BackendSelector} does for every backend:
 * locking against {@code close}, coalescing of wake-ups, the waker event, and retrying waits that
 * return early, so timeouts are never cut short.
 */
package dev.poll4j.spi;
