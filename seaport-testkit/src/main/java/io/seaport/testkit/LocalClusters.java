package io.seaport.testkit;

import io.seaport.Seaport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@link LocalCluster}s for a test and closes every one after it, also when it fails:
 * {@code @RegisterExtension final LocalClusters clusters = new LocalClusters();} then
 * {@code LocalCluster cluster = clusters.start("MyTest-case", 2);}.
 *
 * <p>After a test that passed, and before closing, it checks every cluster of two or more members
 * for its {@link Invariants} ({@link LocalCluster#checkInvariants()}): once quiet, every live
 * replica equals the live owners' entries and no {@code host:port} is held twice. A test that
 * legitimately ends otherwise says why with {@link #uncheckedAfterTest} or adjusts
 * {@link LocalCluster#invariants()}. A test that failed is not checked (its own failure says more).
 */
public final class LocalClusters implements AfterEachCallback {
    private static final Logger LOG = LoggerFactory.getLogger(LocalClusters.class);
    private final List<LocalCluster> started = new CopyOnWriteArrayList<>();

    /** Creates the extension with no cluster started yet. */
    public LocalClusters() {
        // register it with @RegisterExtension; clusters are started through start(...)
    }

    /**
     * Starts a cluster of {@code size} members, closed after the test.
     *
     * @param name the test's cluster name (made unique by {@link LocalCluster})
     * @param size how many members
     * @return the started cluster
     */
    public LocalCluster start(String name, int size) {
        return track(LocalCluster.start(name, size));
    }

    /**
     * Starts a cluster of {@code size} members with customized builders, closed after the test.
     *
     * @param name the test's cluster name
     * @param size how many members
     * @param customize applied to each member's builder
     * @return the started cluster
     */
    public LocalCluster start(String name, int size, UnaryOperator<Seaport.Builder> customize) {
        return track(LocalCluster.start(name, size, customize));
    }

    /**
     * Exempts {@code cluster} from the invariant check after the test, for a test that leaves it
     * in a state the check rejects on purpose (a partition, a hostile member's entries); the same
     * as {@link LocalCluster#skipInvariants(String)}.
     *
     * @param cluster a cluster this extension started
     * @param why why the check does not apply, logged
     */
    public void uncheckedAfterTest(LocalCluster cluster, String why) {
        Objects.requireNonNull(cluster, "cluster").skipInvariants(why);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<LocalCluster> toClose = new ArrayList<>(started);
        started.clear();
        Collections.reverse(toClose);
        try {
            if (context.getExecutionException().isEmpty()) {
                for (LocalCluster cluster : toClose) {
                    if (cluster.invariantsSkipped() != null) {
                        LOG.info("{}: invariant check of cluster {} skipped: {}", context.getDisplayName(),
                                cluster.cluster(), cluster.invariantsSkipped());
                    } else if (cluster.members().size() > 1) {
                        cluster.checkInvariants();
                    }
                }
            }
        } finally {
            toClose.forEach(LocalCluster::close);
        }
    }

    private LocalCluster track(LocalCluster cluster) {
        started.add(cluster);
        return cluster;
    }
}
