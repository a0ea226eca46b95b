/**
 * Instructions of a {@link org.flowstore.api.flow.TrafficTreatment}: output, group, meter, table, queue, drop and header modifications, built through {@link org.flowstore.api.flow.instructions.Instructions}.
 */
@Export
@Version("1.0.0")
package org.flowstore.api.flow.instructions;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
