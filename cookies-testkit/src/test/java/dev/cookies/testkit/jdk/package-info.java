/**
 * The test kit's own reference adapter, for the JDK's built-in {@code com.sun.net.httpserver}: written
 * only on the SPI, it proves that a custom adapter is small, and it runs the
 * {@link dev.cookies.testkit.AdapterContract} so the contract is itself tested.
 */
package dev.cookies.testkit.jdk;
