/**
 * Match criteria of a {@link org.flowstore.api.flow.TrafficSelector}: every OpenFlow 1.3 match field and ONOS's
 * inner VLAN fields, one immutable class per shape of value (a number field of a given width, a hardware address,
 * an IP prefix, a transport port, ...), built through {@link org.flowstore.api.flow.criteria.Criteria}.
 */
@Export
@Version("1.1.0")
package org.flowstore.api.flow.criteria;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
