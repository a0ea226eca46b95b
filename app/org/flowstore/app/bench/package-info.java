/**
 * The benchmarks behind {@code tools/flowstore bench}: the workloads ({@link org.flowstore.app.bench.LocalBench}
 * on one node, {@link org.flowstore.app.bench.ReplicationBench} for bytes on the wire), the load
 * generator a node runs for the cluster benchmark ({@link org.flowstore.app.bench.LoadGenerator},
 * reached through {@link org.flowstore.app.bench.LoadResource}), and the report every mode writes
 * ({@link org.flowstore.app.bench.BenchReport}: {@code metric=} lines, JSON, plots). Part of the
 * standalone node, not of the OSGi bundle.
 */
package org.flowstore.app.bench;
