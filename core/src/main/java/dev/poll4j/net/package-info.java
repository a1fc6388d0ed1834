/**
 * Non-blocking sockets as {@link dev.poll4j.Source}s: {@link dev.poll4j.net.TcpListener}, {@link
 * dev.poll4j.net.TcpStream}, {@link dev.poll4j.net.UdpSocket}, {@link
 * dev.poll4j.net.UnixListener}, {@link dev.poll4j.net.UnixStream} and {@link
 * dev.poll4j.net.UnixDatagram}.
 *
 * <p>What every socket here has in common:
 *
 * <ul>
 *   <li><b>Non-blocking and close-on-exec from creation</b> ({@code SOCK_NONBLOCK|SOCK_CLOEXEC},
 *       {@code accept4}); nothing here ever blocks the calling thread.
 *   <li><b>NIO's return values, not exceptions</b>: reads and writes return the byte count,
 *       {@code 0} when they would block, {@code -1} at end of stream; {@code accept} and {@code
 *       recvFrom} return null when they would block. Would-block never throws and allocates
 *       nothing.
 *   <li><b>The drain rule</b>: with an edge-triggered registration (the default), repeat an
 *       operation until it would block before waiting for its next event. Every operation that
 *       would block tells the socket's registration so, which is how backends that emulate edge
 *       mode (poll(2), IOCP) re-arm it; on epoll and kqueue that costs one field read.
 *   <li><b>Buffers</b>: heap and direct {@link java.nio.ByteBuffer}s both work. Direct buffers
 *       go to the kernel without a copy; heap buffers are staged through one reusable buffer per
 *       thread. Native arguments (socket addresses, option values, {@code iovec}s) live in
 *       native memory reused per thread.
 *   <li><b>Errors</b> are Java's own types where they fit: {@link java.net.ConnectException}
 *       ({@code "Connection refused"}), {@link java.net.BindException}, {@link
 *       java.net.SocketException} ({@code "Connection reset"}), {@link
 *       java.net.NoRouteToHostException}, {@link java.net.PortUnreachableException} (UDP), and
 *       {@link java.nio.channels.ClosedChannelException} on a closed socket. Anything else is a
 *       {@link dev.poll4j.NativeIOException} naming the call and the errno. Sends never raise
 *       {@code SIGPIPE}.
 *   <li><b>The open-files limit</b>: a listener's {@code accept} at {@code EMFILE} or {@code
 *       ENFILE} closes the pending connections through a spare descriptor that poll4j sets
 *       aside (one per process, from the first listener on), so that the accept loop neither
 *       spins nor loses the listener; see {@link dev.poll4j.net.TcpListener#accept()}.
 *   <li><b>Options</b> are {@link java.net.StandardSocketOptions} plus {@link
 *       dev.poll4j.net.NetOptions}, through {@code setOption} and {@code getOption}.
 *   <li><b>Addresses</b>: {@link java.net.InetSocketAddress} for IP sockets (IPv6 sockets are
 *       dual-stack where the OS allows it, and IPv4-mapped addresses come back as IPv4); {@link
 *       java.net.UnixDomainSocketAddress} for Unix socket paths and {@link
 *       dev.poll4j.net.UnixAbstractAddress} for Linux's abstract namespace.
 * </ul>
 *
 * <p>Implemented for Linux so far; the BSD and macOS layouts and constants arrive with the
 * kqueue backend, and Windows sockets with the IOCP backend.
 */
package dev.poll4j.net;
