package dev.repro.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.repro.alerts.AlertForwarderApp;
import dev.repro.alerts.ForwarderSettings;
import dev.repro.app.RunningApp;
import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.drift.DriftDetectorApp;
import dev.repro.ingest.IngestService;
import dev.repro.ingest.IngestSettings;
import dev.repro.kafka.local.LocalKafkaCluster;
import dev.repro.launcher.demo.DemoFeed;
import dev.repro.launcher.demo.DemoStory;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.SliValue;
import dev.repro.serde.AvroSerdes;
import dev.repro.sli.SliAggregatorApp;
import dev.repro.sli.SliConfig;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;
import dev.repro.verifier.VerifierApp;

/**
 * Issue 8's security check: the README's ACL table, as {@code deploy/kafka/create-acls.sh} grants
 * it, is enough for every app and no more. Three Kafka nodes (one KRaft quorum) with a
 * SASL/SCRAM-SHA-512 client listener and the {@code StandardAuthorizer} denying whatever no ACL
 * allows; an administrator creates the catalog's topics and one SCRAM user per app, then runs the
 * real script, whose {@code kafka-acls.sh} is Kafka's own {@code AclCommand} from the jars.
 *
 * <p>Each app then runs as its own principal, logged in through {@code KAFKA_*} settings as a user
 * configures it, and does its job on the demo's story posted over HTTP: ingest archives and routes
 * it, the verifier writes rebuild verdicts, the drift detector drift statuses, the SLI aggregator
 * SLI values and alerts, and the alert forwarder delivers those alerts to a webhook and commits
 * its group's offsets. And each principal, with plain clients, is refused what the table does not
 * give it: another app's topics, groups and transactional ids, creating or deleting catalog
 * topics, the ACLs themselves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredClusterIT {

    private static final String PREFIX = "repro.";
    private static final String ADMIN = "admin";
    private static final String INGEST = "repro-ingest";
    private static final String VERIFIER = "repro-verifier";
    private static final String DRIFT = "repro-drift-detector";
    private static final String SLI = "repro-sli-aggregator";
    private static final String FORWARDER = "repro-alert-forwarder";
    private static final List<String> APP_USERS = List.of(INGEST, VERIFIER, DRIFT, SLI, FORWARDER);
    private static final Duration RESULTS_WITHIN = Duration.ofSeconds(120);
    private static final Path ACLS_SCRIPT = Path.of("..", "deploy", "kafka", "create-acls.sh").toAbsolutePath().normalize();

    private static final AvroSerdes SERDES = AvroSerdes.create();
    private static final TopicCatalog CATALOG = TopicCatalog.of(PREFIX, 3, (short) 3);

    @TempDir
    static Path work;

    private static LocalKafkaCluster cluster;
    private static final List<RunningApp> APPS = new ArrayList<>();
    private static final Map<String, Long> TIMINGS = new LinkedHashMap<>();

    @BeforeAll
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    static void startASecuredClusterAndGrantTheAclsWithTheScript() throws Exception {
        long start = System.nanoTime();
        cluster = LocalKafkaCluster.builder(work.resolve("kafka")).nodes(3).heap("512m")
                .scram(ADMIN, password(ADMIN))
                .startTimeout(Duration.ofSeconds(150))
                .build();
        cluster.start();
        TIMINGS.put("cluster started", ms(System.nanoTime() - start));

        try (Admin admin = Admin.create(cluster.adminClientProperties())) {
            new TopicProvisioner(admin, Duration.ofSeconds(60)).ensure(CATALOG.all());
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (String user : APP_USERS) {
                users.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        password(user)));
            }
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
        }
        TIMINGS.put("topics and users created", ms(System.nanoTime() - start));

        long script = System.nanoTime();
        String output = runCreateAclsScript();
        TIMINGS.put("create-acls.sh", ms(System.nanoTime() - script));
        assertThat(output).contains("repro: ACLs granted for the topics under 'repro.'");
        try (Admin admin = Admin.create(cluster.adminClientProperties())) {
            Set<String> principals = Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)
                    .stream().map(b -> b.entry().principal()).toList());
            assertThat(principals).containsExactlyInAnyOrderElementsOf(APP_USERS.stream().map(u -> "User:" + u).toList());
        }
    }

    @AfterAll
    static void stopEverything() {
        try {
            ClusterTeardown.stop(APPS, cluster);
        } finally {
            System.out.println("SecuredClusterIT timings (ms; set-up, then each test, cumulative within each): " + TIMINGS);
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldLetEveryAppDoItsJobAsItsOwnPrincipal() throws Exception {
        // Given ingest, the verifier, the drift detector and the SLI aggregator, each logged in as itself
        long start = System.nanoTime();
        IngestService ingest = IngestService.start(configAs(INGEST, Map.of(
                IngestSettings.BIND, "127.0.0.1:0",
                IngestSettings.TRANSACTIONAL_ID, PREFIX + "ingest-1")));
        APPS.add(ingest);
        StreamsAppRunner verifier = new VerifierApp().start(configAs(VERIFIER, Map.of()));
        APPS.add(verifier);
        StreamsAppRunner drift = new DriftDetectorApp().start(configAs(DRIFT, Map.of()));
        APPS.add(drift);
        SliAggregatorApp.Running sli = new SliAggregatorApp().start(configAs(SLI, Map.of(SliConfig.BIND, "127.0.0.1:0")));
        APPS.add(sli);
        awaitUntil(Duration.ofSeconds(120), () -> APPS.stream().allMatch(RunningApp::isReady),
                () -> "ready: ingest " + ingest.isReady() + ", verifier " + verifier.state() + ", drift-detector "
                        + drift.state() + ", sli-aggregator " + sli.state());
        TIMINGS.put("apps ready", ms(System.nanoTime() - start));

        // When the demo's story is posted over HTTP
        DemoStory story = DemoStory.endingBefore(Instant.now());
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        int accepted = new DemoFeed(new IngestClient(ingest.url(), null, null),
                new PrintStream(shown, true, StandardCharsets.UTF_8), Duration.ZERO).feed(story, Duration.ofSeconds(60));
        assertThat(accepted).as(shown.toString(StandardCharsets.UTF_8)).isEqualTo(story.steps().size());

        // Then each stream app writes its results: verdicts, drift statuses, SLI values and alerts
        String usOne = "checkout/prod/us-1";
        String rebuildAlert = "rebuild/" + story.artifact("search");
        try (ResultTopics results = new ResultTopics(cluster.adminClientProperties(), CATALOG,
                List.of(TopicId.REBUILD_VERDICTS, TopicId.DRIFT, TopicId.SLI, TopicId.ALERTS))) {
            awaitUntil(RESULTS_WITHIN, () -> {
                results.poll(Duration.ofMillis(300));
                return results.latest(TopicId.REBUILD_VERDICTS).size() == 3
                        && results.all(TopicId.DRIFT, usOne).stream().anyMatch(d -> ((DriftStatus) d).getStatus() == DriftState.DRIFTED)
                        && results.latest(TopicId.SLI).get("artifact_reproducibility_rate/global/1d") instanceof SliValue v
                        && v.getGood() == 2 && v.getTotal() == 3
                        && results.latest(TopicId.ALERTS).containsKey(rebuildAlert);
            }, results::summary);
            assertThat(((RebuildVerdict) results.latest(TopicId.REBUILD_VERDICTS).get(story.recipeKey("checkout"))).getStatus())
                    .isEqualTo(RebuildStatus.REPRODUCIBLE);
            assertThat(((RebuildVerdict) results.latest(TopicId.REBUILD_VERDICTS).get(story.recipeKey("search"))).getStatus())
                    .isEqualTo(RebuildStatus.UNREPRODUCIBLE);
            TIMINGS.put("story's results", ms(System.nanoTime() - start));

            // and the alert forwarder, as itself, delivers the alerts to a webhook and commits its group's offsets
            try (Webhook webhook = Webhook.start();
                 AlertForwarderApp.Running forwarder = new AlertForwarderApp().start(configAs(FORWARDER, Map.of(
                         ForwarderSettings.WEBHOOK_URL, webhook.url(), ForwarderSettings.BIND, "127.0.0.1:0")))) {
                Set<String> alertKeys = results.latest(TopicId.ALERTS).keySet();
                awaitUntil(RESULTS_WITHIN, () -> alertKeys.stream().allMatch(k -> webhook.bodies().stream()
                        .anyMatch(b -> b.contains("\"key\":\"" + k + "\""))), () -> webhook.bodies().size() + " deliveries");
                try (Admin admin = Admin.create(cluster.adminClientProperties())) {
                    awaitUntil(Duration.ofSeconds(30), () -> !committedOffsets(admin, ForwarderSettings.DEFAULT_GROUP_ID).isEmpty(),
                            () -> "offsets of " + ForwarderSettings.DEFAULT_GROUP_ID);
                }
                TIMINGS.put("alerts forwarded", ms(System.nanoTime() - start));
                assertThat(forwarder.isReady()).isTrue();
            }
        }
        // and none of them met an authorization error on the way: each is still running
        assertThat(APPS).allSatisfy(app -> assertThat(app.isReady()).as(app.endpoints().toString()).isTrue());
    }

    @Test
    @Order(2)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldRefuseEachAppWhatItsAclsDoNotGiveIt() throws Exception {
        long start = System.nanoTime();
        // Given each app's own settings (and, as its internal topics need, an app may create and delete
        // topics named <application id>-…)
        try (Admin verifier = Admin.create(clients(VERIFIER).admin())) {
            String scratch = PREFIX + "verifier-scratch";
            verifier.createTopics(List.of(new NewTopic(scratch, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            verifier.deleteTopics(List.of(scratch)).all().get(30, TimeUnit.SECONDS);
        }

        // When each tries what its row of the table does not give it, Then Kafka refuses
        List<Forbidden> forbidden = List.of(
                new Forbidden(VERIFIER, "write repro.sli", TopicAuthorizationException.class, () -> write(VERIFIER, TopicId.SLI)),
                new Forbidden(VERIFIER, "read repro.alerts", TopicAuthorizationException.class, () -> read(VERIFIER, TopicId.ALERTS)),
                new Forbidden(VERIFIER, "create a topic not named <application id>-…", TopicAuthorizationException.class,
                        () -> createTopic(VERIFIER, PREFIX + "verifier2")),
                new Forbidden(VERIFIER, "create a topic beside the catalog's", TopicAuthorizationException.class,
                        () -> createTopic(VERIFIER, PREFIX + "verdicts.audit")),
                new Forbidden(VERIFIER, "use ingest's transactional id", TransactionalIdAuthorizationException.class,
                        () -> initTransactions(VERIFIER, PREFIX + "ingest-1")),
                new Forbidden(VERIFIER, "join the sli-aggregator's group", GroupAuthorizationException.class,
                        () -> joinGroup(VERIFIER, PREFIX + "sli-aggregator", TopicId.BUILDS)),
                new Forbidden(INGEST, "read repro.verdicts.rebuild", TopicAuthorizationException.class,
                        () -> read(INGEST, TopicId.REBUILD_VERDICTS)),
                new Forbidden(INGEST, "delete repro.events.archive", TopicAuthorizationException.class,
                        () -> deleteTopic(INGEST, CATALOG.name(TopicId.ARCHIVE))),
                new Forbidden(DRIFT, "write repro.alerts", TopicAuthorizationException.class, () -> write(DRIFT, TopicId.ALERTS)),
                new Forbidden(DRIFT, "read repro.events.builds", TopicAuthorizationException.class, () -> read(DRIFT, TopicId.BUILDS)),
                new Forbidden(SLI, "write repro.events.builds", TopicAuthorizationException.class, () -> write(SLI, TopicId.BUILDS)),
                new Forbidden(SLI, "grant itself an ACL", ClusterAuthorizationException.class, () -> grantItselfRead(SLI, TopicId.ARCHIVE)),
                new Forbidden(SLI, "list the ACLs", ClusterAuthorizationException.class, () -> listAcls(SLI)),
                new Forbidden(FORWARDER, "write repro.events.builds", TopicAuthorizationException.class,
                        () -> write(FORWARDER, TopicId.BUILDS)),
                new Forbidden(FORWARDER, "read repro.sli", TopicAuthorizationException.class, () -> read(FORWARDER, TopicId.SLI)),
                new Forbidden(FORWARDER, "read repro.alerts as the verifier's group", GroupAuthorizationException.class,
                        () -> joinGroup(FORWARDER, PREFIX + "verifier", TopicId.ALERTS)),
                new Forbidden(FORWARDER, "create a topic", TopicAuthorizationException.class,
                        () -> createTopic(FORWARDER, PREFIX + "alerts-copy")));

        SoftAssertions softly = new SoftAssertions();
        for (Forbidden f : forbidden) {
            Throwable thrown = catchAny(f.attempt());
            softly.assertThat(thrown).as("%s may not %s", f.user(), f.what()).isNotNull();
            if (thrown != null) {
                softly.assertThat(causes(thrown)).as("%s may not %s: %s", f.user(), f.what(), thrown)
                        .hasAtLeastOneElementOfType(f.error());
            }
        }
        softly.assertAll();
        TIMINGS.put("refusals checked", ms(System.nanoTime() - start));
    }

    // ------------------------------------------------------------------ the script and the apps' settings

    /**
     * Runs {@code deploy/kafka/create-acls.sh} as an administrator would, with {@code KAFKA_BIN}
     * holding a {@code kafka-acls.sh} that runs Kafka's {@code AclCommand} from this JVM's class
     * path; returns what it printed.
     */
    private static String runCreateAclsScript() throws IOException, InterruptedException {
        Path adminConfig = work.resolve("admin.properties");
        Properties props = new Properties();
        props.putAll(cluster.adminClientProperties());
        props.remove("bootstrap.servers");
        try (OutputStream out = Files.newOutputStream(adminConfig)) {
            props.store(out, "the administrator's client settings, for --command-config");
        }
        Path bin = Files.createDirectories(work.resolve("kafka-bin"));
        Path tool = bin.resolve("kafka-acls.sh");
        Files.writeString(tool, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
                + "' org.apache.kafka.tools.AclCommand \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder builder = new ProcessBuilder("bash", ACLS_SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().put("REPRO_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        builder.environment().put("REPRO_TOPIC_PREFIX", PREFIX);
        builder.environment().put("REPRO_ADMIN_CLIENT_CONFIG", adminConfig.toString());
        builder.environment().put("KAFKA_BIN", bin.toString());
        Process script = builder.start();
        String output;
        try (InputStream in = script.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as("%s printed:%n%s", ACLS_SCRIPT, output).isZero();
        return output;
    }

    private static String password(String user) {
        return user + "-secret";
    }

    /** The app's settings as its env file gives them: the pipeline's, and its own login through {@code KAFKA_*}. */
    private static ReproConfig configAs(String user, Map<String, String> own) {
        Map<String, String> settings = new HashMap<>(Map.of(
                ReproConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, PREFIX,
                ReproConfig.TOPIC_PARTITIONS, "3",
                ReproConfig.TOPIC_REPLICATION_FACTOR, "3",
                StreamsAppRunner.STATE_DIR, work.resolve("state").toString(),
                "KAFKA_COMMIT_INTERVAL_MS", "200",
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password(user) + "\";"));
        settings.putAll(own);
        return ReproConfig.of(settings);
    }

    private static KafkaClientSettings clients(String user) {
        return new KafkaClientSettings(configAs(user, Map.of()));
    }

    // ------------------------------------------------------------------ attempts, each with plain clients of one principal

    /** One thing a principal may not do, and the error Kafka refuses it with. */
    private record Forbidden(String user, String what, Class<? extends Throwable> error, ThrowingCallable attempt) {
    }

    private static void write(String user, TopicId topic) throws Exception {
        Map<String, Object> props = new HashMap<>(clients(user).producer());
        props.put("max.block.ms", 20_000);
        props.put("delivery.timeout.ms", 30_000);
        props.put("request.timeout.ms", 10_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(CATALOG.name(topic), "forged", new byte[] {1})).get(30, TimeUnit.SECONDS);
        }
    }

    private static void read(String user, TopicId topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(user, null)) {
            consumer.assign(List.of(new TopicPartition(CATALOG.name(topic), 0)));
            pollFor(consumer, Duration.ofSeconds(20));
        }
    }

    private static void joinGroup(String user, String group, TopicId topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(user, group)) {
            consumer.subscribe(List.of(CATALOG.name(topic)));
            pollFor(consumer, Duration.ofSeconds(20));
        }
    }

    private static void initTransactions(String user, String transactionalId) {
        Map<String, Object> props = new HashMap<>(clients(user).producer());
        props.put("transactional.id", transactionalId);
        props.put("max.block.ms", 20_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
        }
    }

    private static void createTopic(String user, String name) throws Exception {
        try (Admin admin = Admin.create(clients(user).admin())) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void deleteTopic(String user, String name) throws Exception {
        try (Admin admin = Admin.create(clients(user).admin())) {
            admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void grantItselfRead(String user, TopicId topic) throws Exception {
        try (Admin admin = Admin.create(clients(user).admin())) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, CATALOG.name(topic), PatternType.LITERAL),
                    new AccessControlEntry("User:" + user, "*", AclOperation.READ, AclPermissionType.ALLOW))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void listAcls(String user) throws Exception {
        try (Admin admin = Admin.create(clients(user).admin())) {
            admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String user, String group) {
        Map<String, Object> props = new HashMap<>(clients(user).consumer(group));
        props.put("default.api.timeout.ms", 20_000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls until the consumer throws or {@code within} passes (then the attempt did not fail). */
    private static void pollFor(KafkaConsumer<String, byte[]> consumer, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500));
        }
    }

    private static Throwable catchAny(ThrowingCallable attempt) {
        try {
            attempt.call();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    // ------------------------------------------------------------------ reading the results as the administrator

    private static Map<TopicPartition, ?> committedOffsets(Admin admin, String group) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Map.of();
        }
    }

    /** Polls {@code condition} every 200 ms until it holds; fails with {@code state} after {@code within}. */
    private static void awaitUntil(Duration within, BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %d s; so far: %s", within.toSeconds(), state.get()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** A webhook receiver on loopback that answers 200 and keeps every body. */
    private record Webhook(HttpServer server, List<String> bodies) implements AutoCloseable {

        static Webhook start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            List<String> bodies = new CopyOnWriteArrayList<>();
            server.createContext("/hook", exchange -> {
                try (exchange) {
                    bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return new Webhook(server, bodies);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
