package dev.poll4j;

import java.io.Closeable;
import java.util.Objects;

/**
 * Wakes a {@link Poll} from any thread: the wake shows up as a readable event carrying the
 * waker's token.
 *
 * <p>Wakes coalesce: several wakes before the poll that reports them give one event. A wake after
 * that event was returned always gives a new event, and no event is reported without a wake.
 * A {@code Poll} has at most one {@code Waker} at a time; share it between threads.
 *
 * <pre>{@code
 * Waker waker = Waker.create(poll.registry(), WAKE_TOKEN);
 * executor.submit(() -> { queue.add(task); waker.wake(); });
 * }</pre>
 */
public final class Waker implements Closeable {
  private final Registry registry;
  private final long token;
  // Tells this waker apart from a later one of the same Poll.
  private final Object identity;

  private Waker(Registry registry, long token, Object identity) {
    this.registry = registry;
    this.token = token;
    this.identity = identity;
  }

  /**
   * Creates the waker of the {@code Poll} behind {@code registry}.
   *
   * @param registry the registry of the poll to wake
   * @param token the token of its events, not {@link Registry#RESERVED_TOKEN}
   * @return the waker
   * @throws IllegalStateException if that {@code Poll} has a waker already or is closed
   */
  public static Waker create(Registry registry, long token) {
    Objects.requireNonNull(registry, "registry");
    return new Waker(registry, token, registry.selector().attachWaker(token));
  }

  /**
   * Makes a blocked poll (or the next one) return an event with this waker's token. Safe from
   * any thread; cheap when a wake is already pending.
   *
   * @throws IllegalStateException if the waker or its {@code Poll} is closed
   */
  public void wake() {
    registry.selector().wakeWaker(identity);
  }

  /**
   * The token this waker's events carry.
   *
   * @return the token
   */
  public long token() {
    return token;
  }

  /** Detaches the waker from its {@code Poll}; another one may then be created. Idempotent. */
  @Override
  public void close() {
    registry.selector().detachWaker(identity);
  }

  @Override
  public String toString() {
    return "Waker[token=" + token + "]";
  }
}
