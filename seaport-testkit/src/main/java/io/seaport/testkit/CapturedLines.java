package io.seaport.testkit;

import io.seaport.testkit.JavaProcess.Line;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * One captured output stream of a {@link JavaProcess}: every kept line, and which of them have
 * not been returned by a take yet. Guarded by {@link #lock}; {@link #changed} is signalled on
 * every new line and at the end of the stream.
 */
final class CapturedLines {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    /** Whether the stream has ended; read with {@link #lock} held. */
    boolean ended;
    private final int maxKept;
    private final ArrayDeque<Line> all = new ArrayDeque<>();
    private final List<Line> untaken = new ArrayList<>();
    private long dropped;

    CapturedLines(int maxKept) {
        this.maxKept = maxKept;
    }

    void add(Line line) {
        lock.lock();
        try {
            all.add(line);
            untaken.add(line);
            if (all.size() > maxKept) {
                all.removeFirst();
                dropped++;
            }
            if (untaken.size() > maxKept) {
                untaken.remove(0);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held. */
    Optional<Line> take(Predicate<String> condition) {
        for (Iterator<Line> it = untaken.iterator(); it.hasNext(); ) {
            Line line = it.next();
            if (condition.test(line.text())) {
                it.remove();
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    List<String> texts() {
        lock.lock();
        try {
            List<String> texts = new ArrayList<>(all.size());
            all.forEach(l -> texts.add(l.text()));
            return texts;
        } finally {
            lock.unlock();
        }
    }

    List<String> tail(int count) {
        lock.lock();
        try {
            List<String> texts = new ArrayList<>();
            if (dropped > 0 && all.size() <= count) {
                texts.add("[" + dropped + " earlier lines dropped]");
            }
            int skip = Math.max(0, all.size() - count);
            all.stream().skip(skip).forEach(l -> texts.add(l.text()));
            return texts;
        } finally {
            lock.unlock();
        }
    }
}
