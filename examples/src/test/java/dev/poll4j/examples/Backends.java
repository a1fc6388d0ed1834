package dev.poll4j.examples;

import dev.poll4j.BackendStatus;
import dev.poll4j.Poll;
import java.util.List;
import java.util.stream.Collectors;

/** The backends the example tests run on: every one available here (on Linux, epoll and poll). */
final class Backends {
  private Backends() {}

  /** Names of the available backends, for {@code @MethodSource("dev.poll4j.examples.Backends#available")}. */
  static List<String> available() {
    List<String> names = Poll.backends().stream().filter(BackendStatus::available)
        .map(BackendStatus::name).collect(Collectors.toList());
    if (names.isEmpty()) {
      throw new IllegalStateException("no backend is available: " + Poll.backends());
    }
    return names;
  }
}
