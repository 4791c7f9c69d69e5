package dev.repro.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

class BoundedRocksDbMemoryTest {

    @Test
    void shouldReadSizesInBinaryUnits() {
        assertThat(BoundedRocksDbMemory.parse("256m")).isEqualTo(256L << 20);
        assertThat(BoundedRocksDbMemory.parse(" 1G ")).isEqualTo(1L << 30);
        assertThat(BoundedRocksDbMemory.parse("65536k")).isEqualTo(64L << 20);
        assertThat(BoundedRocksDbMemory.parse("33554432")).isEqualTo(32L << 20);
    }

    @Test
    void shouldRefuseWhatIsNotASizeOrTooSmallNamingTheSetting() {
        assertThatThrownBy(() -> BoundedRocksDbMemory.parse("lots")).isInstanceOf(ConfigException.class)
                .hasMessage("REPRO_ROCKSDB_MEMORY: 'lots' is not a size (bytes, or a number with k, m or g)");
        assertThatThrownBy(() -> BoundedRocksDbMemory.parse("8m")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("REPRO_ROCKSDB_MEMORY: '8m' is below the 16m");
        assertThatThrownBy(() -> BoundedRocksDbMemory.streamsProperties(ReproConfig.of(Map.of("REPRO_ROCKSDB_MEMORY", "-1m"))))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldGiveEveryStreamsAppTheSetterAndItsBudget() {
        Map<String, Object> props = BoundedRocksDbMemory.streamsProperties(ReproConfig.of(Map.of("REPRO_ROCKSDB_MEMORY", "64m")));

        assertThat(props).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName())
                .containsEntry(BoundedRocksDbMemory.MEMORY_BYTES_PROPERTY, Long.toString(64L << 20));
        assertThat(StreamsAppRunner.properties(ReproConfig.of(Map.of("REPRO_BOOTSTRAP_SERVERS", "127.0.0.1:1")), "app"))
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
    }

    @Test
    void shouldShareOneCacheAndOneWriteBufferManagerAcrossStores() {
        RocksDB.loadLibrary();
        try (Options first = new Options(); Options second = new Options()) {
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());
            BoundedRocksDbMemory setter = new BoundedRocksDbMemory();

            setter.setConfig("store-a", first, Map.of(BoundedRocksDbMemory.MEMORY_BYTES_PROPERTY, Long.toString(64L << 20)));
            setter.setConfig("store-b", second, Map.of());

            assertThat(first.writeBufferManager()).isNotNull().isSameAs(second.writeBufferManager());
            BlockBasedTableConfig a = (BlockBasedTableConfig) first.tableFormatConfig();
            assertThat(a.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(a.blockSize()).isEqualTo(16 * 1024);
            assertThat(BoundedRocksDbMemory.budget()).as("made once, by the first store").isPositive();
            assertThat(BoundedRocksDbMemory.usage()).isLessThanOrEqualTo(BoundedRocksDbMemory.budget());
        }
    }
}
