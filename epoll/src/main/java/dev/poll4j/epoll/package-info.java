/**
 * The Linux epoll backend: {@link dev.poll4j.epoll.EpollBackend}, the provider that {@code
 * Poll.open()} finds through the service loader, and its selector. Not exported; the bindings live
 * in {@code dev.poll4j.epoll.sys}.
 */
package dev.poll4j.epoll;
