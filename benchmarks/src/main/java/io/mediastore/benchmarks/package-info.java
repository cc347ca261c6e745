/**
 * JMH benchmarks that run each MediaStore module and the peer a user would pick instead in the same run,
 * so that results are ratios and survive a noisy shared machine.
 * Classes name their peer methods {@code peer*}; {@code benchmarks/run.sh} turns a run into ratios for BENCHMARKS.md.
 */
package io.mediastore.benchmarks;
