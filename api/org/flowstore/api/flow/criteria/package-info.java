/**
 * Match criteria of a {@link org.flowstore.api.flow.TrafficSelector}: one immutable class per kind of header field, built through {@link org.flowstore.api.flow.criteria.Criteria}.
 */
@Export
@Version("1.0.0")
package org.flowstore.api.flow.criteria;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
