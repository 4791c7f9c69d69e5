package dev.repro.launcher;

import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.kafka.common.KafkaException;

import dev.repro.alerts.AlertForwarderApp;
import dev.repro.alerts.ForwarderSettings;
import dev.repro.config.ReproConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "alerts", description = "Alert delivery.", subcommands = AlertsCommand.Forward.class)
final class AlertsCommand {

    @Command(name = "forward", description = {
            "Forwards every FIRING and RESOLVED change of repro.alerts to Alertmanager (API v2), a JSON webhook",
            "and/or PagerDuty (Events API v2), at least once, until Ctrl-C. Flags override the REPRO_ALERTS_*",
            "settings (alert-forwarder/README.md); at least one target is required."})
    static final class Forward implements Callable<Integer> {

        @Option(names = "--alertmanager", paramLabel = "URL", description = "Alertmanager base URL, e.g. http://127.0.0.1:9093")
        String alertmanager;

        @Option(names = "--webhook", paramLabel = "URL", description = "a URL that receives each change as JSON")
        String webhook;

        @Option(names = "--pagerduty-routing-key", paramLabel = "KEY",
                description = "PagerDuty integration key (prefer $REPRO_ALERTS_PAGERDUTY_ROUTING_KEY: flags show in `ps`)")
        String pagerDutyRoutingKey;

        @Option(names = "--page-targets", paramLabel = "LIST", description = "targets of PAGE alerts: alertmanager,webhook,pagerduty")
        String pageTargets;

        @Option(names = "--ticket-targets", paramLabel = "LIST", description = "targets of TICKET alerts")
        String ticketTargets;

        @Override
        public Integer call() throws InterruptedException {
            Console console = Console.stderr();
            ReproConfig config = KafkaReach.clientConfig();
            config = with(config, ForwarderSettings.ALERTMANAGER_URL, alertmanager);
            config = with(config, ForwarderSettings.WEBHOOK_URL, webhook);
            config = with(config, ForwarderSettings.PAGERDUTY_ROUTING_KEY, pagerDutyRoutingKey);
            config = with(config, ForwarderSettings.PAGE_TARGETS, pageTargets);
            config = with(config, ForwarderSettings.TICKET_TARGETS, ticketTargets);
            ForwarderSettings settings = ForwarderSettings.from(config); // a bad or missing target fails before Kafka is asked
            KafkaReach.admin(config, 10).close();
            AlertForwarderApp.Running app;
            try {
                app = new AlertForwarderApp().start(config, settings);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                throw new LauncherException(e.getMessage());
            } catch (KafkaException e) {
                throw new LauncherException("bad Kafka client setting: " + e.getMessage());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                console.say("stopping the alert forwarder …");
                app.close();
            }, "repro-alerts-shutdown"));
            console.say("forwarding alerts: " + String.join("; ", app.endpoints()));
            console.say("Ctrl-C stops it; what was delivered is committed, the rest is sent again on the next start.");
            Optional<Throwable> failure = app.awaitTermination();
            failure.ifPresent(e -> console.say("the alert forwarder stopped: " + e.getMessage()));
            return failure.isPresent() ? 1 : 0;
        }

        private static ReproConfig with(ReproConfig config, String key, String value) {
            return value == null ? config : config.with(key, value);
        }
    }
}
