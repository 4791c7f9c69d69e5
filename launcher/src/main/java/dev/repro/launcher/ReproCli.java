package dev.repro.launcher;

import dev.repro.config.ConfigException;
import dev.repro.kafka.local.LocalKafkaException;
import dev.repro.serde.ReproSchemas;
import dev.repro.topics.TopicProvisioningException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code repro} command. Errors a user can act on are printed as one line, never as a stack
 * trace. {@code --help} and {@code --version} work on every subcommand (inherited).
 */
@Command(name = "repro", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "repro 0.1.0",
        description = "Reproducibility pipeline on Apache Kafka: builds, deploys and runs, verified by digest.",
        subcommands = {UpCommand.class, TopicsCommand.class, TailCommand.class, EmitCommand.class, BenchCommand.class,
                ReplayArchiveCommand.class, AlertsCommand.class})
public final class ReproCli {

    /** Columns of {@code --help}: the longest description line fits unbroken. */
    static final int USAGE_HELP_WIDTH = 120;

    private ReproCli() {
    }

    public static void main(String[] args) {
        System.setProperty("repro.log.dir", ReproHome.logDir().toString());
        ReproSchemas.trustGeneratedClasses();
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its subcommands, printing a user's error as one line. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ReproCli());
        // descriptions are written as lines of up to 110 characters: wrapped again at picocli's 80
        // columns they broke mid-sentence ("(API" / "v2), a JSON webhook" / "and/or …")
        cli.setUsageHelpWidth(USAGE_HELP_WIDTH);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof LauncherException || e instanceof ConfigException || e instanceof LocalKafkaException
                    || e instanceof TopicProvisioningException) {
                commandLine.getErr().println("repro: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }
}
