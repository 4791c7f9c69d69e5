package dev.repro.kafka.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a secured {@link LocalKafkaCluster} adds to each node: a {@code SASL_PLAINTEXT} listener
 * with {@code SCRAM-SHA-512} for clients and between brokers (as the administrator), the
 * {@code StandardAuthorizer} denying whatever no ACL allows, and the administrator's SCRAM
 * credential written into the metadata log when a node is formatted.
 *
 * <p>The controller listener stays {@code PLAINTEXT} (KRaft controllers cannot check SCRAM
 * credentials, which live in the metadata they serve), so its principal {@code User:ANONYMOUS} is
 * a super user too: the controller ports must be reachable by the nodes only. On loopback, for
 * tests, that is the case.
 *
 * @param adminUser     the administrator's SCRAM user name, a super user
 * @param adminPassword its password
 */
record ScramListener(String adminUser, String adminPassword) {

    /** The listener's name and security protocol. */
    static final String NAME = "SASL_PLAINTEXT";
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    /** Letters, digits, dot, dash, underscore: safe in a JAAS line and in {@code --add-scram}. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    ScramListener {
        requirePlain("admin user", adminUser);
        requirePlain("admin password", adminPassword);
    }

    /** The broker settings of the listener, the inter-broker login and the authorizer. */
    Map<String, String> brokerProperties() {
        String prefix = "listener.name." + NAME.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        props.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
        props.put(prefix + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", jaas(adminUser, adminPassword));
        props.put("authorizer.class.name", AUTHORIZER);
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", "User:" + adminUser + ";User:ANONYMOUS");
        return props;
    }

    /** {@code kafka-storage format} arguments that bootstrap the administrator's credential. */
    List<String> formatArgs() {
        return List.of("--add-scram", MECHANISM + "=[name=" + adminUser + ",password=" + adminPassword + "]");
    }

    /** Client settings to log in as {@code user}: {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}. */
    static Map<String, String> clientProperties(String user, String password) {
        requirePlain("user", user);
        requirePlain("password", password);
        return Map.of("security.protocol", NAME, "sasl.mechanism", MECHANISM, "sasl.jaas.config", jaas(user, password));
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static void requirePlain(String what, String value) {
        if (value == null || !PLAIN.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be letters, digits, '.', '-' or '_', got '" + value + "'");
        }
    }
}
