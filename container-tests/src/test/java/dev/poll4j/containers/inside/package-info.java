/**
 * Checks that run inside the containers, next to the conformance suite: each proves that the
 * container really has the setting its run is about (architecture, JDK, seccomp filter, open-files
 * limit, CPU quota, read-only root) and what poll4j does there. Their names end in {@code Check},
 * so neither surefire nor failsafe runs them on the host; {@link dev.poll4j.containers.ConsoleRun}
 * selects them by name in the container. Expectations come in as {@code -Dpoll4j.expect.*} system
 * properties.
 */
package dev.poll4j.containers.inside;
