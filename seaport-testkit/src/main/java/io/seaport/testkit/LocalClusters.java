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

/**
 * Starts {@link LocalCluster}s for a test, checks after it that their replicas agree
 * ({@link ReplicaInvariants}), and closes every one, also when it fails:
 * {@code @RegisterExtension final LocalClusters clusters = new LocalClusters();} then
 * {@code LocalCluster cluster = clusters.start("MyTest-case", 2);}.
 */
public final class LocalClusters implements AfterEachCallback {
    private final List<LocalCluster> started = new CopyOnWriteArrayList<>();
    private final List<LocalCluster> unchecked = new CopyOnWriteArrayList<>();

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
     * in a state the check would reject on purpose (a partition, a hostile member's entries).
     *
     * @param cluster a cluster this extension started
     * @param why why the check does not apply, for the reader
     */
    public void uncheckedAfterTest(LocalCluster cluster, String why) {
        Objects.requireNonNull(why, "why");
        unchecked.add(cluster);
    }

    /**
     * Checks {@link ReplicaInvariants} on every cluster of two or more members the test started
     * (unless exempted, or the test failed already), then closes them all.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        List<LocalCluster> toClose = new ArrayList<>(started);
        started.clear();
        Collections.reverse(toClose);
        try {
            if (context.getExecutionException().isEmpty()) {
                for (LocalCluster cluster : toClose) {
                    if (!unchecked.contains(cluster) && cluster.members().size() > 1) {
                        ReplicaInvariants.awaitHold(cluster.members(), ReplicaInvariants.QUIET_TIMEOUT);
                    }
                }
            }
        } finally {
            unchecked.clear();
            toClose.forEach(LocalCluster::close);
        }
    }

    private LocalCluster track(LocalCluster cluster) {
        started.add(cluster);
        return cluster;
    }
}
