/**
 * The flow-rule model: rules, stored entries and their states, batch operations, their results, and the events the store raises.
 */
@Export
@Version("2.1.0")
package org.flowstore.api.flow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
