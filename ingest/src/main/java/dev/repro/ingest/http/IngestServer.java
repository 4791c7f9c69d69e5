package dev.repro.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.repro.app.HttpServers;

/**
 * Ingest's HTTP API on the JDK's HTTP server (keep-alive, a bounded worker pool):
 * {@code POST /v1/events}, {@code POST /v1/attestations}, {@code GET /healthz},
 * {@code GET /readyz}, {@code GET /metrics}. Every error is {@code application/problem+json}.
 */
public final class IngestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final EventIntake intake;
    private final IngestMetrics metrics;
    private final Readiness readiness;
    private final long maxBodyBytes;
    private static final long DRAIN_LIMIT = 16L << 20;

    /** Whether ingest can take events now, and if not, why. */
    public interface Readiness {
        /** Null when ready, else the reason. */
        String notReadyReason();
    }

    public IngestServer(InetSocketAddress bind, int threads, long maxBodyBytes, EventIntake intake, IngestMetrics metrics,
                        Readiness readiness) throws IOException {
        this.intake = intake;
        this.metrics = metrics;
        this.readiness = readiness;
        this.maxBodyBytes = maxBodyBytes;
        this.server = HttpServers.create(bind, 1024);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ingest-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    public IngestServer start() {
        server.start();
        return this;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            Response response = switch (path) {
                case "/v1/events" -> post(exchange, EventIntake.Endpoint.EVENTS);
                case "/v1/attestations" -> post(exchange, EventIntake.Endpoint.ATTESTATIONS);
                case "/healthz" -> get(exchange, () -> Response.json(200, JSON.createObjectNode().put("status", "ok")));
                case "/readyz" -> get(exchange, this::ready);
                case "/metrics" -> get(exchange, () -> Response.text(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render()));
                default -> Response.problem(Problem.notFound(path));
            };
            metrics.response(knownPath(path), response.status());
            send(exchange, response);
        } catch (IOException e) {
            LOG.debug("ingest: client connection failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("ingest: unexpected failure on {}", path, e);
        }
    }

    private Response ready() {
        String reason = readiness.notReadyReason();
        return reason == null
                ? Response.json(200, JSON.createObjectNode().put("status", "ready"))
                : Response.json(503, JSON.createObjectNode().put("status", "not ready").put("reason", reason));
    }

    private Response get(HttpExchange exchange, java.util.function.Supplier<Response> body) throws IOException {
        drain(exchange.getRequestBody());
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Response.problem(Problem.methodNotAllowed(method, "GET")).withHeader("Allow", "GET, HEAD");
        }
        return body.get();
    }

    private Response post(HttpExchange exchange, EventIntake.Endpoint endpoint) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            drain(exchange.getRequestBody());
            return Response.problem(Problem.methodNotAllowed(exchange.getRequestMethod(), "POST")).withHeader("Allow", "POST");
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > maxBodyBytes) {
                    return tooLarge(exchange);
                }
            } catch (NumberFormatException e) {
                metrics.rejected("malformed");
                return Response.problem(Problem.malformed("Content-Length is not a number")).withHeader("Connection", "close");
            }
        }
        byte[] body = readLimited(exchange.getRequestBody(), maxBodyBytes);
        if (body == null) {
            return tooLarge(exchange);
        }
        EventIntake.Answer answer = intake.accept(endpoint, new EventIntake.Request(body, exchange.getRequestHeaders()));
        return answer.problem() != null ? Response.problem(answer.problem()) : Response.json(answer.status(), answer.body());
    }

    /**
     * 413. A moderately oversized body is read to its end first, so the client's keep-alive
     * connection stays usable; beyond {@link #DRAIN_LIMIT} the connection is closed instead.
     */
    private Response tooLarge(HttpExchange exchange) throws IOException {
        metrics.rejected("too-large");
        Response response = Response.problem(Problem.tooLarge(maxBodyBytes));
        boolean drainedToEnd = drain(exchange.getRequestBody(), DRAIN_LIMIT);
        return drainedToEnd ? response : response.withHeader("Connection", "close");
    }

    /** Reads and discards up to {@code limit} bytes; true when the stream ended within them. */
    private static boolean drain(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > limit) {
                return false;
            }
        }
        return true;
    }

    /** The body, or null when it is longer than {@code limit}. */
    private static byte[] readLimited(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            return null;
        }
        return bytes;
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static String knownPath(String path) {
        return switch (path) {
            case "/v1/events", "/v1/attestations", "/healthz", "/readyz", "/metrics" -> path;
            default -> "other";
        };
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] bytes = response.body();
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : (bytes.length == 0 ? -1 : bytes.length));
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** A response: status, media type, bytes, extra headers. */
    record Response(int status, String contentType, byte[] body, java.util.Map<String, String> headers) {

        static Response json(int status, JsonNode node) {
            try {
                return new Response(status, "application/json", JSON.writeValueAsBytes(node), java.util.Map.of());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Response text(int status, String contentType, String text) {
            return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8), java.util.Map.of());
        }

        static Response problem(Problem problem) {
            try {
                return new Response(problem.status(), Problem.MEDIA_TYPE, JSON.writeValueAsBytes(problem.toJson(JSON)),
                        java.util.Map.of());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Response withHeader(String name, String value) {
            java.util.Map<String, String> copy = new java.util.HashMap<>(headers);
            copy.put(name, value);
            return new Response(status, contentType, body, copy);
        }
    }

    /** Stops accepting connections, lets requests in flight finish (up to 2 s), stops the workers. */
    @Override
    public void close() {
        server.stop(2);
        workers.shutdownNow();
    }
}
