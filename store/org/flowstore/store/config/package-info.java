/**
 * How every flowstore component reads its configuration: component properties (typed from DS, or
 * text from a Karaf {@code .cfg} file or the standalone node), with defaults, ranges, and a reason
 * for each refused value.
 */
package org.flowstore.store.config;
