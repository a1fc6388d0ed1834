/**
 * The kqueue backend of macOS and the BSDs: {@link dev.poll4j.kqueue.KqueueBackend}, the provider
 * that {@code Poll.open()} finds through the service loader, and its selector, which reaches the
 * kernel only through a narrow call interface (so its logic is tested against a simulated kqueue
 * on any host). Not exported; the bindings live in {@code dev.poll4j.kqueue.sys}.
 */
package dev.poll4j.kqueue;
