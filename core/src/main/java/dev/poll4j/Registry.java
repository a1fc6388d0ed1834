package dev.poll4j;

import dev.poll4j.spi.BackendSelector;
import java.io.IOException;
import java.util.Objects;

/**
 * Registers sources with a {@link Poll}: thread-safe, and usable from any thread while another
 * thread is blocked in {@link Poll#poll}; a change made while a poll blocks takes effect in that
 * poll.
 *
 * <p>A source is registered with at most one {@code Poll} at a time. The token is any {@code
 * long} except {@link #RESERVED_TOKEN}; poll4j never interprets it. No map is consulted per
 * event: the kernel carries the token, or (epoll) an index into the selector's registration
 * table, which also lets it drop events that raced a deregistration.
 *
 * <p>Misuse fails at once with an {@link IllegalStateException} or {@link
 * IllegalArgumentException} that says what was wrong: registering a registered source,
 * reregistering or deregistering a source that is not registered here, a closed source, a closed
 * {@code Poll}, a {@code null} interest. Kernel refusals (a closed descriptor, a regular file)
 * are {@link NativeIOException}s naming the call and the errno. After any of these failures the
 * {@code Poll} and its other registrations are unaffected.
 */
public final class Registry {
  /** The one token value users cannot use: it marks poll4j's internal wake-up. */
  public static final long RESERVED_TOKEN = BackendSelector.RESERVED_TOKEN;

  private final BackendSelector selector;

  Registry(BackendSelector selector) {
    this.selector = selector;
  }

  BackendSelector selector() {
    return selector;
  }

  /**
   * Registers {@code source} in {@link Mode#EDGE} mode.
   *
   * @param source the source
   * @param token the token its events carry
   * @param interest what to wait for
   * @throws IOException if the kernel refuses the source
   * @see #register(Source, long, Interest, Mode)
   */
  public void register(Source source, long token, Interest interest) throws IOException {
    register(source, token, interest, Mode.EDGE);
  }

  /**
   * Registers {@code source}: from now on, polls report its readiness for {@code interest} with
   * {@code token}.
   *
   * @param source the source; not closed, not registered
   * @param token the token its events carry, not {@link #RESERVED_TOKEN}
   * @param interest what to wait for
   * @param mode how readiness is reported
   * @throws IOException if the kernel refuses the source, for example a closed descriptor
   *     ({@code EBADF}) or a regular file ({@code EPERM})
   * @throws IllegalStateException if the source is registered already, or is closed, or this
   *     registry's {@code Poll} is closed
   * @throws IllegalArgumentException if {@code token} is {@link #RESERVED_TOKEN}
   */
  public void register(Source source, long token, Interest interest, Mode mode)
      throws IOException {
    checkArgs(source, interest, mode);
    source.handle().register(selector, token, interest.bits(), mode);
  }

  /**
   * Replaces token and interest of a registered source, keeping its mode; re-arms a {@link
   * Mode#ONESHOT} registration.
   *
   * @param source a source registered with this registry
   * @param token the new token
   * @param interest the new interest
   * @throws IOException if the kernel refuses the change
   * @see #reregister(Source, long, Interest, Mode)
   */
  public void reregister(Source source, long token, Interest interest) throws IOException {
    Objects.requireNonNull(source, "source");
    var r = source.handle().registration();
    reregister(source, token, interest, r != null ? r.mode() : Mode.EDGE);
  }

  /**
   * Replaces token, interest and mode of a registered source. Readiness that is already present
   * is reported by the next poll (edge registrations re-evaluate it); a {@link Mode#ONESHOT}
   * registration is re-armed.
   *
   * @param source a source registered with this registry
   * @param token the new token, not {@link #RESERVED_TOKEN}
   * @param interest the new interest
   * @param mode the new mode
   * @throws IOException if the kernel refuses the change
   * @throws IllegalStateException if the source is not registered with this registry, or is
   *     closed, or the {@code Poll} is closed
   */
  public void reregister(Source source, long token, Interest interest, Mode mode)
      throws IOException {
    checkArgs(source, interest, mode);
    source.handle().reregister(selector, token, interest.bits(), mode);
  }

  /**
   * Removes a source. Once this returns, no later poll reports its token; the source itself stays
   * open and can be registered again.
   *
   * @param source a source registered with this registry
   * @throws IOException if the kernel reports an error (the registration is gone regardless)
   * @throws IllegalStateException if the source is not registered with this registry, or is
   *     closed, or the {@code Poll} is closed
   */
  public void deregister(Source source) throws IOException {
    Objects.requireNonNull(source, "source");
    source.handle().deregister(selector);
  }

  private static void checkArgs(Source source, Interest interest, Mode mode) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(interest, "interest (an empty interest does not exist)");
    Objects.requireNonNull(mode, "mode");
  }

  @Override
  public String toString() {
    return "Registry[" + selector + "]";
  }
}
