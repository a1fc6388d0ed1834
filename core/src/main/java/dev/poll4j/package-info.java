/**
 * The poll4j API: {@link dev.poll4j.Poll}, {@link dev.poll4j.Registry}, {@link
 * dev.poll4j.Events}, {@link dev.poll4j.Interest}, {@link dev.poll4j.Waker}, and the sources
 * {@link dev.poll4j.RawFd} and {@link dev.poll4j.Pipe}.
 */
package dev.poll4j;
