/**
 * The messages flow stores exchange, as immutable records. Each is registered with a fixed id in
 * {@link org.flowstore.serializers.FlowStoreNamespace}; the subjects they travel on are listed in
 * {@link org.flowstore.store.flow.FlowStoreSubjects}.
 */
package org.flowstore.store.flow.protocol;
