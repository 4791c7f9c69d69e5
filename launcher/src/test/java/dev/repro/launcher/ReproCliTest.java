package dev.repro.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class ReproCliTest {

    private static void collect(CommandLine command, List<List<String>> paths, List<String> path) {
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            List<String> longer = new ArrayList<>(path);
            longer.add(name);
            collect(sub, paths, longer);
        });
    }

    @Test
    void shouldPrintUsageForHelpOnEveryCommandAndSubcommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(ReproCli.commandLine(), paths, List.of());
        assertThat(paths).as("every command of the CLI")
                .contains(List.of("up"), List.of("emit", "build"), List.of("alerts", "forward"), List.of("replay-archive"));

        for (List<String> path : paths) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = ReproCli.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            List<String> args = new ArrayList<>(path);
            args.add("--help");

            int exit = cli.execute(args.toArray(String[]::new));

            assertThat(exit).as("repro %s --help", String.join(" ", path)).isZero();
            assertThat(out.toString()).as("repro %s --help", String.join(" ", path))
                    .startsWith("Usage: repro" + (path.isEmpty() ? "" : " " + String.join(" ", path)))
                    .contains("-h, --help");
            assertThat(err.toString()).isEmpty();
            String description = String.join("\n", subcommand(cli, path).getCommandSpec().usageMessage().description());
            assertThat(out.toString()).as("repro %s --help shows its description as written", String.join(" ", path))
                    .contains(description);
        }
    }

    private static CommandLine subcommand(CommandLine cli, List<String> path) {
        CommandLine command = cli;
        for (String name : path) {
            command = command.getSubcommands().get(name);
        }
        return command;
    }
}
