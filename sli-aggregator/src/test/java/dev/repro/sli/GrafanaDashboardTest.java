package dev.repro.sli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The dashboard in grafana/ only queries metrics that /metrics exposes. */
class GrafanaDashboardTest {

    @Test
    void shouldQueryOnlyMetricsTheAggregatorExposes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("grafana/repro-slis.json").toFile());
        String exposed = SliMetrics.render(List.of(), List.of(), true);
        Pattern metric = Pattern.compile("repro_[a-z_]+");
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = metric.matcher(target.get("expr").asText());
                while (m.find()) {
                    queries++;
                    assertThat(exposed).as("panel '%s'", panel.get("title").asText()).contains("# TYPE " + m.group() + " ");
                }
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(8);
        assertThat(dashboard.get("uid").asText()).isEqualTo("repro-slis");
    }
}
