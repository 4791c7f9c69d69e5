package dev.repro.launcher;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.repro.config.ReproConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "replay-archive", description = {
        "Re-derives every typed, verdict, drift, SLI and alert topic from repro.events.archive into fresh topics",
        "under another prefix (fresh application ids; the live pipeline is left alone), then compares each result",
        "topic key by key with the live one. After fixing a bug: replay, check the differences, then point",
        "consumers at the new prefix."})
final class ReplayArchiveCommand implements Callable<Integer> {

    @Option(names = "--into", paramLabel = "PREFIX",
            description = "topic prefix of the re-derived topics (default: <live prefix>replay-<UTC time>.)")
    String into;

    @Option(names = "--timeout", paramLabel = "MINUTES", description = "longest wait for the replay to catch up (default: ${DEFAULT-VALUE})")
    int timeoutMinutes = 60;

    @Override
    public Integer call() throws Exception {
        Console console = Console.stderr();
        ReproConfig config = KafkaReach.clientConfig();
        KafkaReach.admin(config, 10).close();
        String prefix = into != null ? into : config.topicPrefix() + "replay-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)) + ".";
        List<TopicComparison> comparisons = new ArchiveReplay(config, prefix, Duration.ofMinutes(timeoutMinutes),
                line -> console.say("replay: " + line)).run();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"LIVE TOPIC", "REPLAYED INTO", "LIVE KEYS", "REPLAYED KEYS", "IDENTICAL", "FIRST DIFFERING KEYS"});
        for (TopicComparison c : comparisons) {
            rows.add(new String[] {c.live(), c.replayed(), String.valueOf(c.liveKeys()), String.valueOf(c.replayedKeys()),
                    String.valueOf(c.equal()), c.differing().isEmpty() ? "-" : String.join(" ", c.differing())});
        }
        System.out.print(Table.render(rows));
        System.out.flush();
        boolean identical = comparisons.stream().allMatch(TopicComparison::identical);
        console.say(identical ? "the re-derived results are identical to the live ones"
                : "the re-derived results differ from the live ones where shown (expected after a fix; read them with "
                        + "REPRO_TOPIC_PREFIX=" + prefix + " ./repro tail …)");
        return 0;
    }
}
