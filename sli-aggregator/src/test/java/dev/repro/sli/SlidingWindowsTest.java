package dev.repro.sli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class SlidingWindowsTest {

    private static final long MIN = 60_000;

    /** Buckets in a map, counting how many are read by range scans. */
    private static final class MapBuckets implements SlidingWindows.Buckets {
        final TreeMap<Long, Counts> map = new TreeMap<>();

        @Override
        public Counts get(long start) {
            Counts c = map.get(start);
            return c == null ? null : c.copy();
        }

        @Override
        public void put(long start, Counts counts) {
            if (counts.isEmpty()) {
                map.remove(start);
            } else {
                map.put(start, counts.copy());
            }
        }

        @Override
        public List<Map.Entry<Long, Counts>> range(long from, long to) {
            return new ArrayList<>(map.subMap(from, true, to, false).entrySet());
        }
    }

    private final ScopeState state = new ScopeState();
    private final MapBuckets buckets = new MapBuckets();

    private void add(long minute, boolean good) {
        SlidingWindows.apply(state, buckets, new SlidingWindows.Entry(minute * MIN, 1, good ? 1 : 0, 1, null));
    }

    @Test
    void shouldEndEveryWindowAtTheBucketAfterTheLatestEvent() {
        add(12, true);
        assertThat(state.end()).isEqualTo(15 * MIN);
        assertThat(state.asOf()).isEqualTo(12 * MIN);
        assertThat(state.sum(SliWindow.M5).total()).isEqualTo(1);
    }

    @Test
    void shouldCountALateEventOnlyInTheWindowsThatCoverIt() {
        add(100, true);
        add(70, false); // 30 minutes late: in 30m? window [75,105) no; 1h [45,105) yes
        assertThat(state.sum(SliWindow.M5).total()).isEqualTo(1);
        assertThat(state.sum(SliWindow.M30).total()).isEqualTo(1);
        assertThat(state.sum(SliWindow.H1).total()).isEqualTo(2);
        assertThat(state.sum(SliWindow.H1).good()).isEqualTo(1);
        assertThat(state.asOf()).isEqualTo(100 * MIN);
    }

    @Test
    void shouldSubtractBucketsThatSlideOutAndDeleteThoseOlderThanTheLongestWindow() {
        add(0, false);
        add(61, true);
        assertThat(state.sum(SliWindow.H1).total()).isEqualTo(1);
        assertThat(state.sum(SliWindow.H2).total()).isEqualTo(2);
        add(29L * 24 * 60, true);
        assertThat(state.sum(SliWindow.D28).total()).isEqualTo(1);
        assertThat(buckets.map).hasSize(1);
    }

    @Test
    void shouldIgnoreAContributionOlderThanEveryWindow() {
        add(40L * 24 * 60, true);
        boolean applied = SlidingWindows.apply(state, buckets, new SlidingWindows.Entry(0, 1, 1, 1, null));
        assertThat(applied).isFalse();
        assertThat(state.sum(SliWindow.D28).total()).isEqualTo(1);
    }

    @Test
    void shouldRetractExactly() {
        add(5, false);
        SlidingWindows.apply(state, buckets, new SlidingWindows.Entry(5 * MIN, -1, 0, 1, null));
        add(6, true);
        assertThat(state.sum(SliWindow.M5)).isEqualTo(new Counts(1, 1, new Histogram()));
    }
}
