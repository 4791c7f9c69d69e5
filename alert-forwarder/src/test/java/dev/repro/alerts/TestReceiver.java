package dev.repro.alerts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP receiver standing in for a target: binds 127.0.0.1 on a free port, answers each
 * POST as told ({@link #answer}), and records what it answered. It can be stopped and started again
 * on the same port, as a target that goes down and comes back.
 */
public final class TestReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // answer without Nagle's delay, as real targets do (read once, when the JDK's first HTTP server starts)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One request as received, and the status it was answered with. */
    public record Received(String path, Map<String, String> headers, byte[] body, int status) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    /** How to answer: status, body, extra headers, and a delay before answering. */
    public record Answer(int status, String body, Map<String, String> headers, Duration delay) {

        public static Answer status(int status) {
            return status(status, "");
        }

        public static Answer status(int status, String body) {
            return new Answer(status, body, Map.of(), Duration.ZERO);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> more = new TreeMap<>(headers);
            more.put(name, value);
            return new Answer(status, body, more, delay);
        }

        public Answer after(Duration wait) {
            return new Answer(status, body, headers, wait);
        }
    }

    /** By arrival; {@code null} while the request is being answered. */
    private final List<Received> received = new ArrayList<>();
    private volatile Function<Received, Answer> answers = request -> Answer.status(202, "{\"status\":\"success\"}");
    private HttpServer server;
    private ExecutorService workers;
    private volatile boolean listening;

    private TestReceiver() {
    }

    /** A receiver on a free loopback port, answering 202 to everything. */
    public static TestReceiver start() {
        TestReceiver receiver = new TestReceiver();
        receiver.listen(0);
        return receiver;
    }

    /** The URL of {@code path} on this receiver. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** How to answer from now on (the status in the argument is not yet known: 0). */
    public void answer(Function<Received, Answer> answer) {
        this.answers = answer;
    }

    /**
     * Everything received and answered so far, in arrival order (not in the order the answers were
     * sent: a request answered later can have arrived earlier, on another worker).
     */
    public synchronized List<Received> received() {
        return received.stream().filter(Objects::nonNull).toList();
    }

    /** The requests answered 2xx that match {@code filter}. */
    public List<Received> accepted(Predicate<Received> filter) {
        return received().stream().filter(Received::accepted).filter(filter).toList();
    }

    /** Stops listening; requests being answered finish first. */
    public void stop() {
        server.stop(1);
        workers.shutdownNow();
        listening = false;
    }

    /** Whether it listens (it stops on {@link #stop}). */
    public boolean listening() {
        return listening;
    }

    /** Listens again on the same port. */
    public void restart() {
        listen(server.getAddress().getPort());
    }

    @Override
    public void close() {
        stop();
    }

    private void listen(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        workers = Executors.newFixedThreadPool(4);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        listening = true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int arrival;
            synchronized (this) {
                arrival = received.size();
                received.add(null);
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            Received request = new Received(exchange.getRequestURI().getPath(), headers, body, 0);
            Answer answer = answers.apply(request);
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            synchronized (this) {
                received.set(arrival, new Received(request.path(), headers, body, answer.status()));
            }
        }
    }
}
