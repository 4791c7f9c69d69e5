package dev.repro.alerts.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.repro.app.HttpServers;

/**
 * The forwarder's operational HTTP endpoints on the JDK's HTTP server: {@code GET /metrics}
 * (Prometheus text), {@code GET /healthz} (200 while the delivery loop runs), {@code GET /readyz}
 * (200 while it is in its consumer group and consuming). Anything else is a 404; other methods a 405.
 */
public final class ForwarderHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForwarderHttpServer.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final ForwarderMetrics metrics;
    private final BooleanSupplier alive;
    private final BooleanSupplier ready;

    public ForwarderHttpServer(InetSocketAddress bind, ForwarderMetrics metrics, BooleanSupplier alive, BooleanSupplier ready)
            throws IOException {
        this.metrics = metrics;
        this.alive = alive;
        this.ready = ready;
        this.server = HttpServers.create(bind, 64);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "alert-forwarder-metrics-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    public ForwarderHttpServer start() {
        server.start();
        return this;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8082}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "application/json", "{\"status\":\"method not allowed\"}");
                return;
            }
            switch (path) {
                case "/metrics" -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
                case "/healthz" -> status(exchange, alive.getAsBoolean(), "ok", "the delivery loop has stopped");
                case "/readyz" -> status(exchange, ready.getAsBoolean(), "ready", "not consuming: starting, rebalancing or stopped");
                default -> send(exchange, 404, "application/json", "{\"status\":\"not found\",\"paths\":[\"/metrics\",\"/healthz\",\"/readyz\"]}");
            }
        } catch (IOException e) {
            LOG.debug("alert-forwarder: metrics client connection failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("alert-forwarder: unexpected failure on {}", path, e);
        }
    }

    private static void status(HttpExchange exchange, boolean ok, String okText, String reason) throws IOException {
        if (ok) {
            send(exchange, 200, "application/json", "{\"status\":\"" + okText + "\"}");
        } else {
            send(exchange, 503, "application/json", "{\"status\":\"not " + okText + "\",\"reason\":\"" + reason + "\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops accepting connections, lets requests in flight finish (up to 1 s), stops the workers. */
    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
    }
}
