package org.flowstore.app.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.store.FlowRuleStoreException;

/**
 * The HTTP side of the REST API on the JDK's HTTP server: routing, bodies (bounded), JSON, and
 * the mapping of failures to status codes with an ONOS-style {@code {"code","message"}} body:
 * 400 bad input, 404 unknown resource, 413 body too large, 503 device without master (or its
 * master unreachable), 500 anything else (logged).
 *
 * <p>Threads: requests run on a fixed pool of {@value #THREADS} threads; handlers may block on
 * the store within its timeouts.
 */
public final class RestServer {

    private static final Logger log = LoggerFactory.getLogger(RestServer.class);
    private static final int THREADS = 16;
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
    private final int port;
    private final long maxBodyBytes;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * Creates the server.
     *
     * @param port TCP port (0: any free port)
     * @param maxBodyBytes largest request body accepted; larger ones get 413
     */
    public RestServer(int port, long maxBodyBytes) {
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Adds a route.
     *
     * @param method HTTP method
     * @param path path with {@code {name}} placeholders for one segment each
     * @param handler the handler
     * @return this server
     */
    public RestServer route(String method, String path, Handler handler) {
        String regex = path.replaceAll("\\{[^/]+}", "([^/]+)");
        routes.add(new Route(method, Pattern.compile(regex), handler));
        return this;
    }

    /**
     * Starts listening on all interfaces.
     *
     * @throws IOException if the port cannot be bound
     */
    public synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 128);
        executor = Executors.newFixedThreadPool(THREADS,
                new ThreadFactoryBuilder().setNameFormat("flowstore-rest-%d").setDaemon(true).build());
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Returns the port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once (requests in progress get at most a second). */
    public synchronized void stop() {
        if (server != null) {
            server.stop(1);
            executor.shutdownNow();
            server = null;
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                response = dispatch(exchange);
            } catch (BadRequestException e) {
                response = error(400, e.getMessage());
            } catch (NotFoundException e) {
                response = error(404, e.getMessage());
            } catch (BodyTooLargeException e) {
                response = error(413, e.getMessage());
            } catch (FlowRuleStoreException.UnknownDevice e) {
                response = error(404, e.getMessage());
            } catch (FlowRuleStoreException | UnavailableException e) {
                response = error(503, e.getMessage());
            } catch (RuntimeException e) {
                log.warn("REST {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = error(500, e.toString());
            }
            write(exchange, response);
        }
    }

    private Response dispatch(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        String method = exchange.getRequestMethod();
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
            byte[] body = readBody(exchange);
            String host = exchange.getRequestHeaders().getFirst("Host");
            String baseUri = "http://" + (host != null ? host : "127.0.0.1:" + port());
            return route.handler().handle(new Request(method, params, query(uri.getRawQuery()), body, baseUri));
        }
        if (pathMatched) {
            return error(405, method + " is not allowed on " + path);
        }
        throw new NotFoundException("no resource at " + path);
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
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

    private static void write(HttpExchange exchange, Response response) throws IOException {
        if (response.location() != null) {
            exchange.getResponseHeaders().set("Location", response.location());
        }
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
