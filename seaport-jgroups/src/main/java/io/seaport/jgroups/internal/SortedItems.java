package io.seaport.jgroups.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * An immutable sequence kept in a given order, stored as a persistent B+-tree with subtree sizes.
 *
 * <p>Design: {@link #with} and {@link #without} return a new sequence that shares every node with
 * this one except the path from the root to the changed leaf, so a change costs
 * O({@value #CAPACITY} &middot; log n) whatever the size, where a sorted array costs a copy of all n
 * items. Positional access ({@link #get}) descends by subtree sizes in O(log n); iteration walks the
 * leaves. Nodes never change once built, so a sequence handed to other threads through a volatile
 * or concurrent map needs no lock. Removal drops emptied nodes and collapses a root with one child
 * but does not merge half-empty siblings: the height stays that of the largest size the sequence
 * had (at most 4 levels for a million items), which bounds every operation just the same.
 *
 * <p>Thread-safety: immutable; safe for any number of threads.
 *
 * @param <T> the element type; elements that the order says are equal replace each other
 */
final class SortedItems<T> implements Iterable<T> {
    /** Most items in a leaf and most children of a branch. */
    static final int CAPACITY = 32;

    private final Comparator<? super T> order;
    private final Node root; // null when empty

    private SortedItems(Comparator<? super T> order, Node root) {
        this.order = order;
        this.root = root;
    }

    /** Returns the empty sequence kept in {@code order}. */
    static <T> SortedItems<T> empty(Comparator<? super T> order) {
        return new SortedItems<>(order, null);
    }

    /**
     * Returns the sequence of {@code sorted}, built bottom-up in O(n): leaves and branches filled
     * evenly (at least half full when there is more than one). {@code sorted} must already be in
     * {@code order} with no two items equal under it; that is not checked.
     */
    static <T> SortedItems<T> of(Comparator<? super T> order, List<T> sorted) {
        if (sorted.isEmpty()) {
            return empty(order);
        }
        List<Node> level = new ArrayList<>();
        int leaves = (sorted.size() + CAPACITY - 1) / CAPACITY;
        for (int i = 0; i < leaves; i++) {
            level.add(new Leaf(sorted.subList(share(sorted.size(), i, leaves), share(sorted.size(), i + 1, leaves))
                    .toArray()));
        }
        while (level.size() > 1) {
            int branches = (level.size() + CAPACITY - 1) / CAPACITY;
            List<Node> up = new ArrayList<>(branches);
            for (int i = 0; i < branches; i++) {
                up.add(Branch.of(level.subList(share(level.size(), i, branches), share(level.size(), i + 1, branches))
                        .toArray(Node[]::new)));
            }
            level = up;
        }
        return new SortedItems<>(order, level.get(0));
    }

    /** Returns where part {@code i} of {@code parts} even parts of {@code n} starts. */
    private static int share(int n, int i, int parts) {
        return (int) ((long) n * i / parts);
    }

    /** Returns how many items this sequence holds. */
    int size() {
        return root == null ? 0 : root.size;
    }

    /** Returns whether this sequence holds no item. */
    boolean isEmpty() {
        return root == null;
    }

    /** Returns the item at {@code index}; throws IndexOutOfBoundsException outside 0..size-1. */
    @SuppressWarnings("unchecked")
    T get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (size() - 1));
        }
        Node node = root;
        int i = index;
        while (node instanceof Branch branch) {
            int child = branch.childAt(i);
            if (child > 0) {
                i -= branch.ends[child - 1];
            }
            node = branch.children[child];
        }
        return (T) ((Leaf) node).items[i];
    }

    /** Returns this sequence with {@code item} added, or replacing the item the order says equals it. */
    SortedItems<T> with(T item) {
        if (root == null) {
            return new SortedItems<>(order, new Leaf(new Object[] {item}));
        }
        Node[] result = insert(root, item);
        Node top = result.length == 1 ? result[0] : Branch.of(result);
        return new SortedItems<>(order, top);
    }

    /** Returns this sequence without the item the order says equals {@code item}; itself if there is none. */
    SortedItems<T> without(T item) {
        if (root == null) {
            return this;
        }
        Node result = remove(root, item);
        if (result == root) {
            return this;
        }
        while (result instanceof Branch branch && branch.children.length == 1) {
            result = branch.children[0];
        }
        return new SortedItems<>(order, result);
    }

    /** Calls {@code action} with every item, in order. */
    @Override
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super T> action) {
        if (root != null) {
            forEach(root, (Consumer<Object>) action);
        }
    }

    private static void forEach(Node node, Consumer<Object> action) {
        if (node instanceof Leaf leaf) {
            for (Object item : leaf.items) {
                action.accept(item);
            }
        } else {
            for (Node child : ((Branch) node).children) {
                forEach(child, action);
            }
        }
    }

    /** Returns an iterator over the items, in order. */
    @Override
    public Iterator<T> iterator() {
        return new Walk<>(root);
    }

    @SuppressWarnings("unchecked")
    private int compare(Object a, Object b) {
        return order.compare((T) a, (T) b);
    }

    /** Returns the node(s) replacing {@code node} once {@code item} is in: one, or two after a split. */
    private Node[] insert(Node node, T item) {
        if (node instanceof Leaf leaf) {
            Object[] items = leaf.items;
            int at = search(items, item);
            if (at >= 0) {
                Object[] copy = items.clone();
                copy[at] = item;
                return new Node[] {new Leaf(copy)};
            }
            int insertAt = -at - 1;
            Object[] grown = new Object[items.length + 1];
            System.arraycopy(items, 0, grown, 0, insertAt);
            grown[insertAt] = item;
            System.arraycopy(items, insertAt, grown, insertAt + 1, items.length - insertAt);
            if (grown.length <= CAPACITY) {
                return new Node[] {new Leaf(grown)};
            }
            int half = grown.length / 2;
            return new Node[] {new Leaf(Arrays.copyOfRange(grown, 0, half)),
                    new Leaf(Arrays.copyOfRange(grown, half, grown.length))};
        }
        Branch branch = (Branch) node;
        int child = route(branch, item);
        Node[] replaced = insert(branch.children[child], item);
        Node[] children = splice(branch.children, child, replaced);
        if (children.length <= CAPACITY) {
            return new Node[] {Branch.of(children)};
        }
        int half = children.length / 2;
        return new Node[] {Branch.of(Arrays.copyOfRange(children, 0, half)),
                Branch.of(Arrays.copyOfRange(children, half, children.length))};
    }

    /** Returns {@code node} without {@code item}: the same node if absent, null if it became empty. */
    private Node remove(Node node, T item) {
        if (node instanceof Leaf leaf) {
            Object[] items = leaf.items;
            int at = search(items, item);
            if (at < 0) {
                return leaf;
            }
            if (items.length == 1) {
                return null;
            }
            Object[] shrunk = new Object[items.length - 1];
            System.arraycopy(items, 0, shrunk, 0, at);
            System.arraycopy(items, at + 1, shrunk, at, items.length - at - 1);
            return new Leaf(shrunk);
        }
        Branch branch = (Branch) node;
        int child = route(branch, item);
        Node old = branch.children[child];
        Node replaced = remove(old, item);
        if (replaced == old) {
            return branch;
        }
        Node[] children = splice(branch.children, child, replaced == null ? new Node[0] : new Node[] {replaced});
        return children.length == 0 ? null : Branch.of(children);
    }

    /** Returns the index of {@code item} in {@code items}, or -(insertion point) - 1. */
    private int search(Object[] items, Object item) {
        int low = 0;
        int high = items.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(items[mid], item);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -low - 1;
    }

    /** Returns the child of {@code branch} whose range holds {@code item}: the last one starting at or before it. */
    private int route(Branch branch, Object item) {
        int low = 1;
        int high = branch.firsts.length - 1;
        int found = 0;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(branch.firsts[mid], item) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Returns {@code nodes} with the one at {@code at} replaced by {@code replacement} (zero, one or two nodes). */
    private static Node[] splice(Node[] nodes, int at, Node[] replacement) {
        Node[] result = new Node[nodes.length - 1 + replacement.length];
        System.arraycopy(nodes, 0, result, 0, at);
        System.arraycopy(replacement, 0, result, at, replacement.length);
        System.arraycopy(nodes, at + 1, result, at + replacement.length, nodes.length - at - 1);
        return result;
    }

    private abstract static sealed class Node permits Leaf, Branch {
        final int size;

        Node(int size) {
            this.size = size;
        }

        abstract Object first();
    }

    private static final class Leaf extends Node {
        final Object[] items; // sorted, never empty

        Leaf(Object[] items) {
            super(items.length);
            this.items = items;
        }

        @Override
        Object first() {
            return items[0];
        }
    }

    private static final class Branch extends Node {
        final Node[] children; // never empty
        final Object[] firsts; // firsts[i] = children[i].first(), for routing without descending
        final int[] ends; // ends[i] = sizes of children 0..i added up, for positional access

        private Branch(Node[] children, Object[] firsts, int[] ends) {
            super(ends[ends.length - 1]);
            this.children = children;
            this.firsts = firsts;
            this.ends = ends;
        }

        static Branch of(Node[] children) {
            Object[] firsts = new Object[children.length];
            int[] ends = new int[children.length];
            int total = 0;
            for (int i = 0; i < children.length; i++) {
                firsts[i] = children[i].first();
                total += children[i].size;
                ends[i] = total;
            }
            return new Branch(children, firsts, ends);
        }

        @Override
        Object first() {
            return firsts[0];
        }

        /** Returns the child holding position {@code index}: the first whose end is past it. */
        int childAt(int index) {
            int low = 0;
            int high = ends.length - 1;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (ends[mid] > index) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            return low;
        }
    }

    /** Walks the leaves left to right with a stack of positions in the branches above. */
    private static final class Walk<T> implements Iterator<T> {
        private final Branch[] branches = new Branch[16];
        private final int[] positions = new int[16];
        private int depth = -1;
        private Object[] leaf;
        private int next;

        Walk(Node root) {
            if (root != null) {
                descend(root);
            }
        }

        private void descend(Node node) {
            while (node instanceof Branch branch) {
                depth++;
                branches[depth] = branch;
                positions[depth] = 0;
                node = branch.children[0];
            }
            leaf = ((Leaf) node).items;
            next = 0;
        }

        @Override
        public boolean hasNext() {
            return leaf != null && next < leaf.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T item = (T) leaf[next++];
            if (next == leaf.length) {
                advance();
            }
            return item;
        }

        /** Moves to the next leaf, or ends the walk. */
        private void advance() {
            while (depth >= 0) {
                Branch branch = branches[depth];
                int position = ++positions[depth];
                if (position < branch.children.length) {
                    descend(branch.children[position]);
                    return;
                }
                depth--;
            }
            leaf = null;
        }
    }
}
