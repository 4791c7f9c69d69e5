package dev.repro.alerts.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RunbookLinksTest {

    @Test
    void shouldKeepAbsoluteLinksAndResolvePathsAgainstTheBase() {
        RunbookLinks links = new RunbookLinks(Optional.of(URI.create("https://github.com/acme/repro/blob/main")));

        assertThat(links.link("https://wiki.example/runbooks/drift")).contains(URI.create("https://wiki.example/runbooks/drift"));
        assertThat(links.link("docs/runbooks/drift.md")).contains(URI.create("https://github.com/acme/repro/blob/main/docs/runbooks/drift.md"));
        assertThat(links.link("/docs/runbooks/drift.md")).contains(URI.create("https://github.com/acme/repro/blob/main/docs/runbooks/drift.md"));
        assertThat(links.link("mailto:oncall@example.com")).isEmpty();
        assertThat(links.link("")).isEmpty();
        assertThat(links.text("not a uri ^")).isEqualTo("not a uri ^");
    }

    @Test
    void shouldLeavePathsAsTextWithoutABase() {
        RunbookLinks links = new RunbookLinks(Optional.empty());

        assertThat(links.link("docs/runbooks/drift.md")).isEmpty();
        assertThat(links.text("docs/runbooks/drift.md")).isEqualTo("docs/runbooks/drift.md");
    }
}
