/**
 * Instructions of a {@link org.flowstore.api.flow.TrafficTreatment}: every OpenFlow 1.3 action and instruction
 * (output, group, queue, meter, goto-table, write-metadata, push/pop of VLAN, MPLS and PBB headers, TTL
 * operations, and setting every header field), in ONOS's kinds and subtypes.
 */
@Export
@Version("1.1.0")
package org.flowstore.api.flow.instructions;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
