package io.seaport.jgroups.internal;

/**
 * The timers of failure detection and partition repair, stretched with the size of the view so
 * that what each member sends for them stays about the same however large the cluster grows.
 *
 * <p>Over TCP every heartbeat and every MERGE3 round goes to each member separately, so with fixed
 * timers a member's background traffic, and the CPU every member spends receiving it, grows with
 * the cluster: 4 KB/s per member at 32 members, and with 64 member JVMs on one 2-core machine the
 * members starved each other until heartbeats arrived late, members were suspected, and the views
 * kept splitting and merging (scale benchmark, 2026-12-03). Up to {@link #BASE_MEMBERS} members
 * the base timers apply; beyond, each further {@link #BASE_MEMBERS} members add one base period:
 * 64 members heartbeat every 4 s and suspect after 12 s of silence. A crashed member is still
 * dropped at once (its connection closes, and {@link CrashEvidence} finds its port refused); only
 * a member that hangs with its sockets open is found later in a large cluster. Stateless.
 */
final class ViewSizeTimers {
    /** The view size up to which the base timers apply unchanged. */
    static final int BASE_MEMBERS = 16;

    static final long FD_INTERVAL_MILLIS = 1_000;
    static final long FD_TIMEOUT_MILLIS = 3_000;
    static final long VERIFY_SUSPECT_MILLIS = 500;
    static final long MERGE_MIN_MILLIS = 500;
    static final long MERGE_MAX_MILLIS = 2_000;

    private ViewSizeTimers() {
    }

    /** Returns by how much the base timers are stretched for a view of {@code members}: 1 up to {@link #BASE_MEMBERS}. */
    static int factor(int members) {
        return Math.max(1, (members + BASE_MEMBERS - 1) / BASE_MEMBERS);
    }

    static long fdInterval(int members) {
        return FD_INTERVAL_MILLIS * factor(members);
    }

    static long fdTimeout(int members) {
        return FD_TIMEOUT_MILLIS * factor(members);
    }

    static long verifySuspect(int members) {
        return VERIFY_SUSPECT_MILLIS * factor(members);
    }

    static long mergeMin(int members) {
        return MERGE_MIN_MILLIS * factor(members);
    }

    static long mergeMax(int members) {
        return MERGE_MAX_MILLIS * factor(members);
    }
}
