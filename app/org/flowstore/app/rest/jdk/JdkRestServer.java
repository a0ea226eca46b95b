package org.flowstore.app.rest.jdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.flowstore.app.rest.RestApi;

/**
 * The standalone node's HTTP server: the JDK's, carrying the {@link RestApi} on a port of its own.
 * (In Karaf, the same API is carried by Karaf's HTTP service.) Not part of the OSGi bundle.
 *
 * <p>Threads: requests run on a fixed pool of {@value #THREADS} threads.
 */
public final class JdkRestServer {

    private static final int THREADS = 16;

    private final RestApi api;
    private final int port;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * Creates the server.
     *
     * @param api what it serves
     * @param port TCP port (0: any free port)
     */
    public JdkRestServer(RestApi api, int port) {
        this.api = api;
        this.port = port;
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
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String host = exchange.getRequestHeaders().getFirst("Host");
            RestApi.Response response = api.serve(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), body, "http://" + (host != null ? host : "127.0.0.1:" + port()));
            if (response.location() != null) {
                exchange.getResponseHeaders().set("Location", response.location());
            }
            byte[] bytes = RestApi.bodyBytes(response);
            if (bytes == null) {
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
