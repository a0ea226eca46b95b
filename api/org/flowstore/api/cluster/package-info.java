/**
 * The service-provider interface the store runs on: cluster membership, messaging, per-device mastership with terms, replica information and the device inventory. Implementations live in the store (Atomix) or in tests.
 */
@Export
@Version("1.2.0")
package org.flowstore.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
