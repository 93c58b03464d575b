package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

final class SortedItemsTest {
    private static final Comparator<Integer> ORDER = Comparator.naturalOrder();

    @Test
    void withAndWithout_randomChanges_matchSortedModelAtEveryStep() {
        Random random = new Random(7);
        TreeSet<Integer> model = new TreeSet<>();
        SortedItems<Integer> items = SortedItems.empty(ORDER);

        for (int step = 0; step < 20_000; step++) {
            int value = random.nextInt(3_000);
            if (random.nextInt(3) == 0) {
                model.remove(value);
                items = items.without(value);
            } else {
                model.add(value);
                items = items.with(value);
            }
            if (step % 997 == 0) {
                assertSame(items, model);
            }
        }

        assertSame(items, model);
    }

    @Test
    void of_sortedItems_equalsTheSequenceBuiltOneByOne_andTakesLaterChanges() {
        for (int size : new int[] {0, 1, 31, 32, 33, 1_000, 40_000}) {
            List<Integer> sorted = new ArrayList<>();
            SortedItems<Integer> oneByOne = SortedItems.empty(ORDER);
            for (int i = 0; i < size; i++) {
                sorted.add(i * 2);
                oneByOne = oneByOne.with(i * 2);
            }

            SortedItems<Integer> built = SortedItems.of(ORDER, sorted);

            assertThat(built).as("size %d", size).containsExactlyElementsOf(oneByOne);
            assertThat(built.size()).isEqualTo(size);
            for (int i = 0; i < size; i += Math.max(1, size / 50)) {
                assertThat(built.get(i)).isEqualTo(i * 2);
            }
            SortedItems<Integer> changed = built.with(-1).with(2 * size + 1).without(0);
            assertThat(changed.size()).isEqualTo(size == 0 ? 2 : size + 1);
            assertThat(changed.get(0)).isEqualTo(-1);
            assertThat(built.size()).isEqualTo(size); // still what it was
        }
    }

    @Test
    void with_afterLaterChanges_earlierVersionStaysAsItWas() {
        SortedItems<Integer> before = SortedItems.empty(ORDER);
        for (int i = 0; i < 1_000; i++) {
            before = before.with(i * 2);
        }
        List<Integer> expected = new ArrayList<>();
        before.forEach(expected::add);

        SortedItems<Integer> after = before;
        for (int i = 0; i < 1_000; i++) {
            after = after.with(i * 2 + 1).without(i * 2);
        }

        List<Integer> seen = new ArrayList<>();
        before.iterator().forEachRemaining(seen::add);
        assertThat(seen).isEqualTo(expected);
        assertThat(before.size()).isEqualTo(1_000);
        assertThat(after.size()).isEqualTo(1_000);
        assertThat(after.get(0)).isEqualTo(1);
    }

    @Test
    void without_everyItem_leavesEmptySequence() {
        SortedItems<Integer> items = SortedItems.empty(ORDER);
        for (int i = 0; i < 5_000; i++) {
            items = items.with(i);
        }

        for (int i = 4_999; i >= 0; i -= 2) {
            items = items.without(i);
        }
        for (int i = 0; i < 5_000; i += 2) {
            items = items.without(i);
        }

        assertThat(items.isEmpty()).isTrue();
        assertThat(items.iterator().hasNext()).isFalse();
        assertThat(items.with(3).get(0)).isEqualTo(3);
    }

    @Test
    void without_absentItem_returnsSameSequence() {
        SortedItems<Integer> items = SortedItems.<Integer>empty(ORDER).with(1).with(5);

        assertThat(items.without(3)).isSameAs(items);
    }

    @Test
    void with_itemEqualInOrder_replacesIt() {
        Comparator<String> byLength = Comparator.comparingInt(String::length);
        SortedItems<String> items = SortedItems.<String>empty(byLength).with("aa").with("b");

        SortedItems<String> replaced = items.with("cc");

        assertThat(replaced.size()).isEqualTo(2);
        assertThat(replaced.get(1)).isEqualTo("cc");
        assertThat(items.get(1)).isEqualTo("aa");
    }

    @Test
    void get_outsideBounds_throwsWithIndex() {
        SortedItems<Integer> items = SortedItems.<Integer>empty(ORDER).with(1);

        assertThatThrownBy(() -> items.get(1)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("1");
        assertThatThrownBy(() -> items.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static void assertSame(SortedItems<Integer> items, TreeSet<Integer> model) {
        List<Integer> expected = new ArrayList<>(model);
        List<Integer> iterated = new ArrayList<>();
        items.iterator().forEachRemaining(iterated::add);
        List<Integer> visited = new ArrayList<>();
        items.forEach(visited::add);
        List<Integer> indexed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            indexed.add(items.get(i));
        }
        assertThat(items.size()).isEqualTo(model.size());
        assertThat(iterated).isEqualTo(expected);
        assertThat(visited).isEqualTo(expected);
        assertThat(indexed).isEqualTo(expected);
    }
}
