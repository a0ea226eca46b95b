/**
 * Identifiers and packet-header values shared by every part of flowstore: devices, cluster nodes, applications, ports, MAC and IP addresses, VLAN ids. All are small immutable values.
 */
@Export
@Version("1.1.0")
package org.flowstore.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
