package dev.repro.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvironmentPartitionerTest {

    @Test
    void theEnvironmentOfATargetIsEverythingBeforeTheSecondSlash() {
        assertThat(EnvironmentPartitioner.environmentOf("checkout/prod/eu-1")).isEqualTo("checkout/prod");
        assertThat(EnvironmentPartitioner.environmentOf("checkout/prod")).isEqualTo("checkout/prod");
        assertThat(EnvironmentPartitioner.environmentOf("checkout")).isEqualTo("checkout");
    }

    @Test
    void everyClusterOfOneEnvironmentAndItsEnvironmentWideDesiredStateShareAPartition() {
        for (int partitions : new int[] {1, 3, 6, 12}) {
            int expected = EnvironmentPartitioner.partition("checkout/prod", partitions);
            for (String cluster : new String[] {"eu-1", "us-1", "ap-1", "a/b"}) {
                assertThat(EnvironmentPartitioner.partition("checkout/prod/" + cluster, partitions)).isEqualTo(expected);
            }
        }
    }

    @Test
    void environmentsSpreadOverThePartitions() {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            used.add(EnvironmentPartitioner.partition("service-" + i + "/prod/eu-1", 6));
        }
        assertThat(used).hasSize(6);
    }
}
