package org.flowstore.app.bench;

import org.flowstore.app.rest.BadRequestException;
import org.flowstore.app.rest.RestApi;

/**
 * The load generator's REST route, on nodes started with {@code loadGenerator=true} only (it lets
 * any client load the cluster): {@code POST /flowstore/v1/bench/load} with a {@link LoadSpec} as
 * JSON runs the load on this node and answers 200 with the {@link LoadResult} when it ended;
 * 400 for an invalid spec or while another run is under way.
 */
public final class LoadResource {

    /** The route's path. */
    public static final String PATH = "/flowstore/v1/bench/load";

    private final LoadGenerator generator;

    /**
     * Creates the resource.
     *
     * @param generator the node's generator
     */
    public LoadResource(LoadGenerator generator) {
        this.generator = generator;
    }

    /**
     * Adds the route to an API.
     *
     * @param api the node's API
     */
    public void register(RestApi api) {
        api.route("POST", PATH, request -> {
            LoadSpec spec;
            try {
                spec = LoadSpec.fromJson(request.json());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(e.getMessage());
            }
            try {
                return RestApi.Response.ok(generator.run(spec).toJson());
            } catch (IllegalStateException e) {
                throw new BadRequestException(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RestApi.UnavailableException("the load run was interrupted");
            }
        });
    }
}
