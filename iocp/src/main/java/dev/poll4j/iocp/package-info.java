/**
 * The IOCP backend of Windows: {@link dev.poll4j.iocp.IocpBackend}, the provider that {@code
 * Poll.open()} finds through the service loader, and its selector, which runs the per-socket AFD
 * poll state machine and reaches the kernel only through a narrow call interface (so its logic is
 * tested against a simulated completion port and AFD driver on any host). Not exported; the
 * bindings live in {@code dev.poll4j.iocp.sys}.
 */
package dev.poll4j.iocp;
