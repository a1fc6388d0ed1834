package dev.poll4j;

/**
 * What the loader knows about one backend on this machine.
 *
 * @param name the backend's name, as used with {@code -Dpoll4j.backend=NAME}
 * @param installed whether its module is on the class path or module path
 * @param available whether it can be used here
 * @param priority its rank when no backend is named (highest available wins)
 * @param reason why it is not available, or {@code null} when it is
 */
public record BackendStatus(
    String name, boolean installed, boolean available, int priority, String reason) {

  @Override
  public String toString() {
    if (available) {
      return name + ": available, priority " + priority;
    }
    return name + ": " + (installed ? "not available: " : "") + reason;
  }
}
