package org.flowstore.app.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.store.FlowRuleStoreException;

/**
 * The REST API independent of the HTTP server that carries it: routing, bodies (bounded), JSON,
 * and the mapping of failures to status codes with an ONOS-style {@code {"code","message"}} body:
 * 400 bad input, 404 unknown resource, 405 wrong method, 413 body too large, 503 device without
 * master (or its master unreachable), 500 anything else (logged). The standalone node carries it on
 * the JDK's HTTP server ({@code org.flowstore.app.rest.jdk.JdkRestServer}), Karaf on its HTTP
 * service through {@link RestServlet}.
 *
 * <p>Threads: {@link #serve} runs on the server's request thread; handlers may block on the store
 * within its timeouts. Routes are added before the first request.
 */
public final class RestApi {

    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    /** Most of an oversized body read to answer 413 cleanly; beyond it the connection is cut. */
    private static final long DRAIN_LIMIT = 64L << 20;
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Where the ONOS-compatible API lives. */
    static final String BASE = "/onos/v1";

    /**
     * A request as handlers see it.
     *
     * @param method HTTP method
     * @param pathParams the path's placeholders, URL-decoded
     * @param query query parameters, URL-decoded
     * @param body the body (bounded)
     * @param baseUri scheme and authority the client used ({@code http://host:port}), for Location
     */
    public record Request(String method, List<String> pathParams, Map<String, String> query, byte[] body,
                          String baseUri) {

        /** Returns path parameter {@code i} (0-based), URL-decoded. */
        public String param(int i) {
            return pathParams.get(i);
        }

        /** Returns the body parsed as JSON. */
        public JsonNode json() {
            if (body.length == 0) {
                throw new BadRequestException("the request needs a JSON body");
            }
            try {
                return MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new BadRequestException("the body is not valid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new BadRequestException("the body could not be read: " + e.getMessage());
            }
        }
    }

    /** What a handler answers: a status, an optional JSON body, an optional Location. */
    public record Response(int status, JsonNode body, String location) {

        /** 200 with a body. */
        public static Response ok(JsonNode body) {
            return new Response(200, body, null);
        }

        /** 201 with a Location. */
        public static Response created(String location) {
            return new Response(201, null, location);
        }

        /** 204. */
        public static Response noContent() {
            return new Response(204, null, null);
        }

        /** 202 with a JSON {@code message}: the request was taken and finishes later. */
        public static Response accepted(String message) {
            return new Response(202, MAPPER.createObjectNode().put("message", message), null);
        }
    }

    /** Handles one route. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Handles a request.
         *
         * @param request the request
         * @return the response
         */
        Response handle(Request request);
    }

    /** A resource that does not exist: answered with 404. */
    public static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the refusal.
         *
         * @param message what was not found
         */
        public NotFoundException(String message) {
            super(message);
        }
    }

    /** A request that cannot be served now (a store or cluster timeout): answered with 503. */
    public static final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the refusal.
         *
         * @param message why
         */
        public UnavailableException(String message) {
            super(message);
        }
    }

    private record Route(String method, Pattern pattern, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final long maxBodyBytes;

    /**
     * Creates the API without routes.
     *
     * @param maxBodyBytes largest request body accepted; larger ones get 413
     */
    public RestApi(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Adds a route.
     *
     * @param method HTTP method
     * @param path path with {@code {name}} placeholders for one segment each
     * @param handler the handler
     * @return this API
     */
    public RestApi route(String method, String path, Handler handler) {
        String regex = path.replaceAll("\\{[^/]+}", "([^/]+)");
        routes.add(new Route(method, Pattern.compile(regex), handler));
        return this;
    }

    /**
     * Answers one request; never throws: every failure becomes its status and message.
     *
     * @param method the HTTP method
     * @param rawPath the path as sent (percent-encoded)
     * @param rawQuery the query as sent, or null
     * @param body the request body (read here, at most the body limit)
     * @param baseUri scheme and authority the client used ({@code http://host:port}), for Location
     * @return the response
     */
    public Response serve(String method, String rawPath, String rawQuery, InputStream body, String baseUri) {
        try {
            return dispatch(method, rawPath, rawQuery, body, baseUri);
        } catch (BadRequestException e) {
            return error(400, e.getMessage());
        } catch (NotFoundException e) {
            return error(404, e.getMessage());
        } catch (BodyTooLargeException e) {
            return error(413, e.getMessage());
        } catch (FlowRuleStoreException.UnknownDevice e) {
            return error(404, e.getMessage());
        } catch (FlowRuleStoreException | UnavailableException e) {
            return error(503, e.getMessage());
        } catch (IOException e) {
            return error(400, "the request body could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            log.warn("REST {} {} failed", method, rawPath, e);
            return error(500, e.toString());
        }
    }

    /**
     * Returns a response's body as bytes to send.
     *
     * @param response the response
     * @return its JSON body in UTF-8, or null when it has none
     */
    public static byte[] bodyBytes(Response response) {
        if (response.body() == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsBytes(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body could not be written as JSON", e);
        }
    }

    private Response dispatch(String method, String path, String rawQuery, InputStream in, String baseUri)
            throws IOException {
        boolean pathMatched = false;
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathMatched = true;
            if (!route.method().equals(method)) {
                continue;
            }
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) {
                params.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
            }
            byte[] body = readBody(in);
            return route.handler().handle(new Request(method, params, query(rawQuery), body, baseUri));
        }
        if (pathMatched) {
            return error(405, method + " is not allowed on " + path);
        }
        throw new NotFoundException("no resource at " + path);
    }

    private byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            // Read (and drop) a bounded rest so the client gets the answer instead of a reset.
            long dropped = 0;
            byte[] sink = new byte[64 * 1024];
            for (int n; dropped < DRAIN_LIMIT && (n = in.read(sink)) > 0; ) {
                dropped += n;
            }
            throw new BodyTooLargeException(dropped < DRAIN_LIMIT ? String.valueOf(body.length + dropped)
                    : "more than " + (body.length + dropped));
        }
        return body;
    }

    private final class BodyTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(String size) {
            super("the request body (" + size + " bytes) exceeds the limit of " + maxBodyBytes + " bytes");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    static Response error(int status, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("code", status);
        body.put("message", message);
        return new Response(status, body, null);
    }
}
