package dev.repro.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimeIndexTest {

    private KeyValueStore<String, String> store;
    private TimeIndex index;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("index"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        index = new TimeIndex(store);
    }

    @Test
    void shouldSortKeysByTimeWithNegativeTimesFirst() {
        assertThat(TimeIndex.key(42, "a")).isEqualTo("0000000000000000042|a");
        assertThat(TimeIndex.key(-5, "a")).isEqualTo("0000000000000000000|a");
        assertThat(TimeIndex.timeOf(TimeIndex.key(1_767_225_600_000L, "x|y"))).isEqualTo(1_767_225_600_000L);
    }

    @Test
    void shouldReturnWhatIsDueOldestFirstAndNothingAtOrAfterTheBound() {
        index.put(300, "c", "C");
        index.put(100, "a", "A");
        index.put(200, "b", "B");

        assertThat(index.before(200)).extracting(kv -> kv.value).containsExactly("A");
        assertThat(index.before(301)).extracting(kv -> kv.value).containsExactly("A", "B", "C");
        assertThat(index.takeFirstBefore(100)).isEmpty();
        assertThat(index.takeFirstBefore(101)).map(kv -> kv.value).contains("A");
        assertThat(index.before(0)).isEmpty();
    }

    @Test
    void shouldFindAnEntryPutBeforeTheFloorALaterScanRaised() {
        index.put(1_000, "late", "L");
        assertThat(index.takeFirstBefore(500)).as("the floor is now 1000").isEmpty();

        index.put(10, "early", "E");

        assertThat(index.takeFirstBefore(500)).map(kv -> kv.value).contains("E");
        assertThat(index.before(2_000)).extracting(kv -> kv.value).containsExactly("L");
    }

    @Test
    void shouldFindEntriesAgainAfterAScanFoundNone() {
        assertThat(index.before(Long.MAX_VALUE)).isEmpty();
        index.put(50, "x", "X");

        assertThat(index.before(51)).extracting(kv -> kv.value).containsExactly("X");
    }

    @Test
    void shouldGoPastDeletedEntriesToTheNextOne() {
        index.put(100, "a", "A");
        index.put(200, "b", "B");
        List<KeyValue<String, String>> due = index.before(150);
        due.forEach(kv -> index.delete(kv.key));
        index.delete(200, "b");
        index.put(300, "c", "C");

        assertThat(index.before(250)).isEmpty();
        assertThat(index.before(301)).extracting(kv -> kv.value).containsExactly("C");
    }

    @Test
    void shouldTakeWhatIsDueAndLeaveTheRest() {
        index.put(100, "a", "A");
        index.put(200, "b", "B");
        index.put(300, "c", "C");

        assertThat(index.takeBefore(250)).extracting(kv -> kv.value).containsExactly("A", "B");
        assertThat(store.get(TimeIndex.key(100, "a"))).isNull();
        assertThat(index.takeBefore(250)).isEmpty();
        index.put(120, "late", "LATE");
        assertThat(index.takeBefore(400)).extracting(kv -> kv.value).containsExactly("LATE", "C");
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void shouldNotReturnEntriesAtOrAfterTheBound() {
        index.put(100, "a", "A");
        index.put(500, "b", "B");
        // an entry written behind the index's back at or after a bound already scanned is found by a later, larger bound
        assertThat(index.before(200)).extracting(kv -> kv.value).containsExactly("A");
        store.put(TimeIndex.key(300, "hidden"), "H");

        assertThat(index.before(400)).extracting(kv -> kv.value).containsExactly("A", "H");
    }

    @Test
    void shouldNotTouchTheStoreForABoundBelowTheEarliestEntry() {
        index.put(1_000, "a", "A");
        assertThat(index.takeFirstBefore(10)).isEmpty();
        // written behind the index's back: below its floor, it is not seen; the class says every write goes through it
        store.put(TimeIndex.key(5, "hidden"), "H");

        assertThat(index.takeFirstBefore(10)).isEmpty();
        assertThat(new TimeIndex(store).takeFirstBefore(10)).as("a fresh index scans from the start").map(kv -> kv.value).contains("H");
    }

    @Test
    void shouldMoveTheFloorToTheNextEntryWithinTheLookAhead() {
        index.put(30_000, "a", "A");
        assertThat(index.takeFirstBefore(10)).isEmpty();
        // the scan saw the entry at 30 s: nothing before it is asked of the store (this one is written behind its back)
        store.put(TimeIndex.key(20_000, "hidden"), "H");

        assertThat(index.takeFirstBefore(25_000)).isEmpty();
        index.put(20_000, "b", "B");
        assertThat(index.takeFirstBefore(25_000)).map(kv -> kv.value).contains("B");
        assertThat(index.takeBefore(30_001)).extracting(kv -> kv.value).containsExactly("H", "A");
    }

    @Test
    void shouldMoveTheFloorPastAnEmptyLookAhead() {
        index.put(10 * TimeIndex.LOOK_AHEAD_MS, "far", "F");
        assertThat(index.takeFirstBefore(10)).isEmpty();
        // the scan to 10 looked to 60,010 ms and found nothing: the floor is there
        store.put(TimeIndex.key(30_000, "hidden"), "H1");
        store.put(TimeIndex.key(TimeIndex.LOOK_AHEAD_MS + 10, "hidden"), "H2");

        assertThat(index.takeFirstBefore(TimeIndex.LOOK_AHEAD_MS)).isEmpty();
        assertThat(index.takeFirstBefore(TimeIndex.LOOK_AHEAD_MS + 11)).map(kv -> kv.value).contains("H2");
        assertThat(index.before(Long.MAX_VALUE)).extracting(kv -> kv.value).containsExactly("F");
    }

    @Test
    void shouldTakeOneEntryAtATimeAndKnowWhereTheNextOneIs() {
        index.put(100, "a", "A");
        index.put(200, "b", "B");

        assertThat(index.takeFirstBefore(150)).map(kv -> kv.value).contains("A");
        assertThat(store.get(TimeIndex.key(100, "a"))).isNull();
        // the scan that took A saw B at 200: nothing before it is asked of the store (this one is written behind its back)
        store.put(TimeIndex.key(120, "hidden"), "H");
        assertThat(index.takeFirstBefore(150)).isEmpty();
        assertThat(index.takeFirstBefore(201)).map(kv -> kv.value).contains("B");
        assertThat(index.takeFirstBefore(Long.MAX_VALUE)).isEmpty();
        assertThat(new TimeIndex(store).takeFirstBefore(150)).as("a fresh index scans from the start").map(kv -> kv.value).contains("H");
    }
}
