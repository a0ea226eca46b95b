package org.flowstore.api;

import java.util.Optional;

/**
 * Cluster-wide registry of application names and their numeric ids: every node gives a name the
 * same id, and no two names share one (the id is part of every flow id the application creates).
 */
public interface ApplicationIdService {

    /**
     * Returns the id of an application, registering the name on first use.
     *
     * @param name the application name, such as {@code org.onosproject.rest}
     * @return its id, the same on every node and across restarts of the cluster's nodes
     * @throws IllegalArgumentException if the name is blank or longer than 255 characters
     * @throws IllegalStateException if the registry cannot be reached or every id is taken
     */
    ApplicationId registerApplication(String name);

    /**
     * Returns the id of a registered application.
     *
     * @param name the application name
     * @return its id, or empty when no node registered that name
     */
    Optional<ApplicationId> getAppId(String name);
}
