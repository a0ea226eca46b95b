/**
 * The messages flow stores exchange, as immutable records. Each is registered with a fixed id in
 * {@link org.flowstore.serializers.FlowStoreNamespace}, beside them, so the wire format depends on
 * nothing above it; the subjects they travel on are the store's ({@code FlowStoreSubjects}).
 */
package org.flowstore.serializers.protocol;
