/**
 * The cluster services the flow store runs on, implemented with Atomix 3.1: membership (SWIM),
 * point-to-point messaging (Netty), per-device mastership (one Raft-backed leader election per
 * device, whose term is the mastership term) and the device inventory.
 */
package org.flowstore.store.cluster;
