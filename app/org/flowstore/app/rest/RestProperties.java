package org.flowstore.app.rest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype description of the REST component's properties (read as a map by {@link RestServlet}). */
@ObjectClassDefinition(name = "flowstore REST API",
        description = "The ONOS-compatible REST API under /onos/v1 on the OSGi HTTP Whiteboard")
@interface RestProperties {

    /** Largest request body. */
    @AttributeDefinition(description = "Largest request body in bytes; larger ones get 413 (at least 1024)")
    int maxBodyBytes() default RestServlet.DEFAULT_MAX_BODY_BYTES;

    /** How long a write may wait. */
    @AttributeDefinition(description = "Milliseconds a write may wait for the store before the request fails"
            + " (100..600000)")
    int writeTimeout() default RestServlet.DEFAULT_WRITE_TIMEOUT_MILLIS;
}
