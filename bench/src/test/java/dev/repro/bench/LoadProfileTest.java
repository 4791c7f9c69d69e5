package dev.repro.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadProfileTest {

    @Test
    void shouldParseAMixOfWeightsInAnyOrderLeavingOutKindsAsZero() {
        EventMix mix = EventMix.parse(" runs=1, builds=3 ");

        assertThat(mix.share(EventMix.EventKind.BUILDS)).isEqualTo(0.75);
        assertThat(mix.share(EventMix.EventKind.DESIRED)).isZero();
        assertThat(mix).hasToString("builds=3,runs=1,tests=0,deployments=0,desired=0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bilds=40|--mix: unknown kind 'bilds': the kinds are builds, runs, tests, deployments, desired",
            "builds=40,builds=2|--mix: builds is given twice",
            "builds=lots|--mix: the weight of builds must be a whole number of 0 or more, got 'lots'",
            "builds=-1|--mix: the weight of builds must be 0 or more, got -1",
            "builds|--mix: expected kind=weight (e.g. builds=40), got 'builds'",
            "builds=0,runs=0|--mix: at least one kind must have a weight above 0"})
    void shouldRefuseABadMixNamingTheOptionAndTheRule(String mix, String message) {
        assertThatThrownBy(() -> EventMix.parse(mix)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void shouldReadAFractionAsANumberOrAPercentage() {
        assertThat(LoadProfile.fraction("--late-fraction", "0.05")).isEqualTo(0.05);
        assertThat(LoadProfile.fraction("--late-fraction", "5%")).isEqualTo(0.05);
        assertThat(LoadProfile.fraction("--late-fraction", "0")).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--rebuild-ratio|1.5|--rebuild-ratio: must be a fraction from 0 to 1 (e.g. 0.05) or a percentage (5%), got 1.5",
            "--late-fraction|150%|--late-fraction: must be a fraction from 0 to 1 (e.g. 0.05) or a percentage (5%), got 1.5",
            "--replay-ratio|some|--replay-ratio: must be a fraction from 0 to 1 (e.g. 0.05) or a percentage (5%), got 'some'",
            "--duplicate-fraction|-0.1|--duplicate-fraction: must be a fraction from 0 to 1 (e.g. 0.05) or a percentage (5%), got -0.1"})
    void shouldRefuseAFractionOutsideZeroToOneNamingTheOption(String option, String value, String message) {
        assertThatThrownBy(() -> LoadProfile.fraction(option, value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void shouldRefuseFractionsThatCannotHoldTogether() {
        assertThatThrownBy(() -> options("0.6", "0.5", "0"))
                .hasMessage("--late-fraction plus --beyond-grace-fraction must be at most 1, got 0.6 + 0.5");
        assertThatThrownBy(() -> options("0", "0", "0.6"))
                .hasMessage("--duplicate-fraction: must be at most 0.5 (a stream of mostly re-sends measures little), got 0.6");
        assertThatThrownBy(() -> LoadProfile.fromOptions(EventMix.DEFAULT, 0, "0", "0", "0", "0", "0", "0", "0", 1))
                .hasMessage("--recipes: must be at least 1, got 0");
    }

    private static LoadProfile options(String late, String beyondGrace, String duplicates) {
        return LoadProfile.fromOptions(EventMix.DEFAULT, 100, "0.3", "0.1", "0.2", "0.1", late, beyondGrace, duplicates, 1);
    }

    @Test
    void shouldRefuseAMixThatLeavesAStageToRunWithoutInput(@org.junit.jupiter.api.io.TempDir Path out) {
        LoadProfile buildsOnly = LoadProfile.fromOptions("builds=1", 100, "0.3", "0.1", "0.2", "0.1", "0", "0", "0", 1);

        assertThatThrownBy(() -> new BenchSettings(100, 1, 1, out, List.of(), Set.of(), 1_000, buildsOnly))
                .hasMessage("--mix builds=1,runs=0,tests=0,deployments=0,desired=0 gives the drift-detector no input (it reads "
                        + "desired, deployments): give those kinds a weight, or leave it out with --only");
        assertThat(new BenchSettings(100, 1, 1, out, List.of(), Set.of("verifier", "sli-aggregator"), 1_000, buildsOnly)
                .runs("drift-detector")).isFalse();
    }

    @Test
    void shouldDescribeTheLoadInOneLine() {
        assertThat(LoadProfile.defaults(10_000).describe()).isEqualTo("load: mix builds=40,runs=20,tests=25,deployments=12,"
                + "desired=3; 10,000 recipes; rebuilds 30% of builds (10% of them unreproducible); replays 20% of runs "
                + "(10% mismatching); late 5% (+0.1% beyond grace); duplicates 2%; seed 42");
    }
}
