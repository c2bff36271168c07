/**
 * The reference app: the reference-app contract of DESIGN.md on any adapter and any store. Start with
 * {@link dev.cookies.example.Main}.
 *
 * @since 0.1
 */
package dev.cookies.example;
