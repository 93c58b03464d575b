package io.seaport.jgroups.internal;

import io.seaport.Health;

/**
 * The thresholds of one health check: counts probes in a row and says when the health changes.
 * A draining service stays draining. Not thread-safe: one check's probes run one at a time.
 */
final class CheckState {
    private final int failuresToFail;
    private final int passesToPass;
    private int failedInRow;
    private int passedInRow;

    CheckState(int failuresToFail, int passesToPass) {
        this.failuresToFail = failuresToFail;
        this.passesToPass = passesToPass;
    }

    /** Records one probe's result and returns the health that follows from {@code current}. */
    Health next(Health current, boolean passed) {
        if (passed) {
            failedInRow = 0;
            passedInRow++;
            return current == Health.FAILING && passedInRow >= passesToPass ? Health.PASSING : current;
        }
        passedInRow = 0;
        failedInRow++;
        return current == Health.PASSING && failedInRow >= failuresToFail ? Health.FAILING : current;
    }
}
