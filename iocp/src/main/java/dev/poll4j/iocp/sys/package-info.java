/**
 * JNA bindings of the IOCP backend, one class per native facility, C names kept: {@link
 * dev.poll4j.iocp.sys.Iocp} (kernel32's completion ports, {@code OVERLAPPED_ENTRY}), {@link
 * dev.poll4j.iocp.sys.Ntdll} ({@code NtCreateFile}, {@code NtDeviceIoControlFile}, {@code
 * NtCancelIoFileEx}, the NT structs), {@link dev.poll4j.iocp.sys.Winsock} ({@code WSAIoctl} and
 * the {@code SIO_*} codes) and {@link dev.poll4j.iocp.sys.Afd}, the AFD poll request as data.
 * What jna-platform binds is used from there; only what it lacks is declared here, direct-mapped
 * with primitive and address arguments. {@link dev.poll4j.iocp.sys.Windows} is the platform check
 * they share.
 */
package dev.poll4j.iocp.sys;
