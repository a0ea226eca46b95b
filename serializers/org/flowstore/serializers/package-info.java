/**
 * The wire format of flowstore: one Kryo namespace ({@link org.flowstore.serializers.FlowStoreNamespace})
 * that lists every type crossing the cluster against a fixed numeric id, hand-written encodings that
 * check every length against the bytes actually present, and the pooled, thread-safe
 * {@link org.flowstore.serializers.StoreSerializer}.
 */
package org.flowstore.serializers;
