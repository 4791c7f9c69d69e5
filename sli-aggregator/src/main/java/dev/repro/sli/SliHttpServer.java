package dev.repro.sli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.repro.app.HttpServers;
import dev.repro.schema.Alert;
import dev.repro.serde.RecordJson;

/**
 * The dashboards' HTTP API on the JDK's HTTP server: {@code GET /metrics} (Prometheus text),
 * {@code GET /v1/sli}, {@code GET /v1/alerts}, {@code GET /v1/verdicts/rebuild/{recipe key}},
 * {@code GET /v1/verdicts/replay/{original run id}}, {@code GET /v1/drift} (JSON from the state
 * stores), {@code GET /healthz}, {@code GET /readyz}. Errors are {@code application/problem+json};
 * 503 while the stores are not queryable (starting, rebalancing).
 */
public final class SliHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SliHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEMS = "https://repro.dev/problems/";

    private final HttpServer server;
    private final ExecutorService workers;
    private final SliQueries queries;
    private final RecordJson recordJson;
    private final BooleanSupplier ready;

    public SliHttpServer(InetSocketAddress bind, SliQueries queries, RecordJson recordJson, BooleanSupplier ready)
            throws IOException {
        this.queries = queries;
        this.recordJson = recordJson;
        this.ready = ready;
        this.server = HttpServers.create(bind, 128);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sli-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    public SliHttpServer start() {
        server.start();
        return this;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private record Response(int status, String contentType, byte[] body) {

        static Response json(int status, JsonNode node) {
            try {
                return new Response(status, "application/json", JSON.writeValueAsBytes(node));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Response problem(int status, String type, String title, String detail) {
            ObjectNode node = JSON.createObjectNode().put("type", PROBLEMS + type).put("title", title).put("status", status)
                    .put("detail", detail);
            try {
                return new Response(status, "application/problem+json", JSON.writeValueAsBytes(node));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            Response response;
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                response = Response.problem(405, "method-not-allowed", "Method not allowed", method + " is not allowed here; use GET");
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            } else {
                response = route(path, query(exchange.getRequestURI().getRawQuery()));
            }
            send(exchange, response);
        } catch (IOException e) {
            LOG.debug("sli-aggregator: client connection failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("sli-aggregator: unexpected failure on {}", path, e);
        }
    }

    private Response route(String path, Map<String, String> query) {
        try {
            if (path.equals("/healthz")) {
                return Response.json(200, JSON.createObjectNode().put("status", "ok"));
            }
            if (path.equals("/readyz")) {
                return ready.getAsBoolean() ? Response.json(200, JSON.createObjectNode().put("status", "ready"))
                        : Response.json(503, JSON.createObjectNode().put("status", "not ready")
                                .put("reason", "Kafka Streams is not RUNNING"));
            }
            if (path.equals("/metrics")) {
                String text = SliMetrics.render(queries.slis(null, null, null), queries.alerts(), ready.getAsBoolean());
                return new Response(200, "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
            }
            if (path.equals("/v1/sli")) {
                ArrayNode values = JSON.createArrayNode();
                for (SliQueries.SliRow row : queries.slis(query.get("sli"), query.get("scope"), query.get("window"))) {
                    ObjectNode node = (ObjectNode) recordJson.toJson(row.value());
                    if (row.p50() != null) {
                        node.put("p50", row.p50());
                    }
                    values.add(node);
                }
                return Response.json(200, JSON.createObjectNode().set("slis", values));
            }
            if (path.equals("/v1/alerts")) {
                ArrayNode alerts = JSON.createArrayNode();
                for (Alert a : queries.alerts()) {
                    if ((query.get("status") == null || query.get("status").equalsIgnoreCase(a.getStatus().name()))
                            && (query.get("kind") == null || query.get("kind").equalsIgnoreCase(a.getKind().name()))) {
                        alerts.add(recordJson.toJson(a));
                    }
                }
                return Response.json(200, JSON.createObjectNode().set("alerts", alerts));
            }
            if (path.equals("/v1/drift")) {
                ArrayNode drift = JSON.createArrayNode();
                queries.drift().forEach(d -> drift.add(recordJson.toJson(d)));
                return Response.json(200, JSON.createObjectNode().set("drift", drift));
            }
            if (path.startsWith("/v1/verdicts/rebuild/") || path.startsWith("/v1/verdicts/replay/")) {
                boolean rebuild = path.startsWith("/v1/verdicts/rebuild/");
                String key = URLDecoder.decode(path.substring(rebuild ? "/v1/verdicts/rebuild/".length()
                        : "/v1/verdicts/replay/".length()), StandardCharsets.UTF_8);
                Optional<? extends IndexedRecord> verdict = rebuild ? queries.rebuildVerdict(key) : queries.replayVerdict(key);
                return verdict.map(v -> Response.json(200, recordJson.toJson(v)))
                        .orElseGet(() -> Response.problem(404, "not-found", "Not found",
                                "no " + (rebuild ? "rebuild" : "replay") + " verdict for '" + key + "'"));
            }
            return Response.problem(404, "not-found", "Not found", "no resource at " + path
                    + " (try /metrics, /v1/sli, /v1/alerts, /v1/verdicts/{rebuild|replay}/{key}, /v1/drift)");
        } catch (InvalidStateStoreException e) {
            return Response.problem(503, "state-unavailable", "State not queryable",
                    "the state stores are not queryable now (starting or rebalancing): " + e.getMessage());
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        boolean head = exchange.getRequestMethod().equals("HEAD");
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops accepting connections, lets requests in flight finish (up to 1 s), stops the workers. */
    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
    }

    static List<String> paths() {
        return List.of("/metrics", "/v1/sli", "/v1/alerts", "/v1/verdicts/rebuild/{key}", "/v1/verdicts/replay/{key}",
                "/v1/drift", "/healthz", "/readyz");
    }
}
