package dev.repro.drift;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetKeyTest {

    @Test
    void shouldReadADeploymentKey() {
        TargetKey key = TargetKey.ofDeployment("shop/prod/eu-1").orElseThrow();

        assertThat(key).isEqualTo(new TargetKey("shop", "prod", "eu-1"));
        assertThat(key.environmentKey()).isEqualTo("shop/prod");
        assertThat(key).hasToString("shop/prod/eu-1");
    }

    @Test
    void shouldReadADesiredStateKeyForEveryCluster() {
        TargetKey key = TargetKey.of("shop/prod").orElseThrow();

        assertThat(key.cluster()).isNull();
        assertThat(key).hasToString("shop/prod");
        assertThat(TargetKey.ofDeployment("shop/prod")).isEmpty();
    }

    @Test
    void shouldRefuseKeysThatAreNotTargets() {
        assertThat(TargetKey.of(null)).isEmpty();
        assertThat(TargetKey.of("shop")).isEmpty();
        assertThat(TargetKey.of("")).isEmpty();
        assertThat(TargetKey.of("shop/")).isEmpty();
        assertThat(TargetKey.of("/prod")).isEmpty();
        assertThat(TargetKey.of("/prod/eu-1")).isEmpty();
        assertThat(TargetKey.of("shop/prod//")).isEmpty();
        assertThat(TargetKey.of("shop//eu-1")).isEmpty();
        assertThat(TargetKey.of("shop/prod/")).isEmpty();
        assertThat(TargetKey.of("shop/prod/eu-1/extra")).isEmpty();
    }
}
