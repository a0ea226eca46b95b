package org.flowstore.app.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A node's REST API as the tools call it: JSON in, status and JSON out. */
final class RestClient {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A response: status and parsed body (MissingNode when empty or not JSON). */
    record Reply(int status, JsonNode body) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** Returns the body's error message, or the status. */
        String message() {
            return body.has("message") ? body.get("message").asText() : "HTTP " + status;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final Duration timeout;

    /**
     * Creates a client of one node.
     *
     * @param base e.g. {@code http://127.0.0.1:8181}
     * @param timeout per request
     */
    RestClient(String base, Duration timeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.timeout = timeout;
    }

    String base() {
        return base;
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body))));
    }

    Reply delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    /** GETs a path and returns its body, or fails with the server's message. */
    JsonNode getOk(String path) throws IOException, InterruptedException {
        Reply reply = get(path);
        if (!reply.ok()) {
            throw new IOException("GET " + path + " on " + base + ": " + reply.message());
        }
        return reply.body();
    }

    /** Returns true when the node answers at all. */
    boolean answers() {
        try {
            return get("/onos/v1/cluster").ok();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new IOException("cannot reach " + base + " (is the node running?)", e);
        }
        JsonNode body = MissingNode.getInstance();
        if (response.body().length > 0) {
            try {
                body = MAPPER.readTree(response.body());
            } catch (IOException e) {
                body = MissingNode.getInstance();
            }
        }
        return new Reply(response.statusCode(), body);
    }
}
