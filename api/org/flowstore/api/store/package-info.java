/**
 * The flow-rule store contract (ONOS-compatible): {@link org.flowstore.api.store.FlowRuleStore}, the delegate that receives its batch events, and its typed failures.
 */
@Export
@Version("1.2.0")
package org.flowstore.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
