package io.seaport.jgroups.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.PingHeader;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Same-host discovery with the default settings: no bind port, no peers, no port cap. */
final class DirectoryDiscoveryTest {
    private final List<Seaport> members = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeMembers() {
        members.forEach(Seaport::close);
    }

    @Test
    void join_defaults_membersOnTheSameHostFindEachOtherOnPortsTheSystemPicks() {
        String cluster = cluster("find");

        Seaport a = join(cluster);
        Seaport b = join(cluster);
        a.register("db@1.0.0", 5432);

        Await.until("b sees a's service", () -> b.query("db").size() == 1, () -> describe(a, b));
        assertThat(view(b).size()).isEqualTo(2);
        assertThat(port(a)).as("a port outside the old 7800..7810 block").isNotIn(7800, 7801, 7802, 7803, 7804, 7805, 7806, 7807, 7808, 7809, 7810);
        assertThat(Files.exists(directory(cluster))).isTrue();
    }

    @Test
    void join_joinersAnnouncementLost_coordinatorFindsItInTheDirectoryAndAnswersTheFirstJoinRequest()
            throws Exception {
        String cluster = cluster("lost-announcement");
        Seaport a = join(cluster);
        a.register("db@1.0.0", 5432);
        AtomicInteger joinRequests = new AtomicInteger();
        // The joiner's discovery response is its only announcement of its address to a.
        DropFirst announcements = new DropFirst(Integer.MAX_VALUE, message -> {
            if (message.getHeader(gmsId(a)) instanceof GMS.GmsHeader header
                    && header.getType() == GMS.GmsHeader.JOIN_REQ) {
                joinRequests.incrementAndGet(); // counted, passed up
            }
            return message.getHeader(pingId(a)) instanceof PingHeader header
                    && header.type() == PingHeader.GET_MBRS_RSP;
        });
        channel(a).getProtocolStack().insertProtocol(announcements, ProtocolStack.Position.ABOVE, TCP.class);

        Seaport b = join(cluster);

        assertThat(b.query("db")).hasSize(1);
        assertThat(announcements.dropped()).as("announcements dropped").isPositive();
        assertThat(joinRequests.get()).as("JOIN requests a received (a retry follows an unanswered one)").isEqualTo(1);
    }

    private static short gmsId(Seaport seaport) {
        return channel(seaport).getProtocolStack().findProtocol(GMS.class).getId();
    }

    private static short pingId(Seaport seaport) {
        return channel(seaport).getProtocolStack().findProtocol(DirectoryPing.class).getId();
    }

    @Test
    void join_twoClustersSideBySide_neitherSeesTheOther() {
        String red = cluster("red");
        String blue = cluster("blue");

        Seaport red1 = join(red);
        Seaport blue1 = join(blue);
        Seaport red2 = join(red);
        red1.register("red@1.0.0", 1000);
        blue1.register("blue@1.0.0", 2000);

        Await.until("red2 sees red's service", () -> red2.query("red").size() == 1, () -> describe(red1, red2, blue1));
        assertThat(red2.query("blue")).isEmpty();
        assertThat(blue1.query("red")).isEmpty();
        assertThat(view(blue1).size()).isEqualTo(1);
        assertThat(view(red2).size()).isEqualTo(2);
    }

    @Test
    void join_staleFileOfAKilledCoordinator_removesItAndFoundsTheCluster() throws IOException {
        String cluster = cluster("stale");
        Path directory = directory(cluster);
        Files.createDirectories(directory);
        int deadPort = freePort();
        Path stale = directory.resolve("dead.list");
        Files.writeString(stale, "dead " + UUID.randomUUID() + " 127.0.0.1:" + deadPort + " T\n");

        Seaport first = join(cluster);

        assertThat(stale).doesNotExist();
        assertThat(view(first).getCoord()).isEqualTo(channel(first).getAddress());
        assertThat(view(first).size()).isEqualTo(1);
    }

    @Test
    void viewChange_keepsEveryMembersOwnFile_andRemovesAnOldFileOfANonMember() throws IOException {
        String cluster = cluster("own");
        Seaport a = join(cluster);
        Seaport b = join(cluster);
        Path bFile = channel(b).getProtocolStack().<DirectoryPing>findProtocol(DirectoryPing.class).ownFile();
        Await.until("b's own file written", () -> Files.exists(bFile), () -> describe(a, b));
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(bFile, hourAgo); // long past a joiner's grace
        Path ghost = directory(cluster).resolve("ghost.list"); // a killed member's, long excluded
        Files.writeString(ghost, "ghost " + UUID.randomUUID() + " 127.0.0.1:" + port(b) + " F\n");
        Files.setLastModifiedTime(ghost, hourAgo);

        Seaport c = join(cluster); // a view change: the coordinator rewrites the directory
        Await.until("one view of 3", () -> view(a).size() == 3 && view(c).size() == 3, () -> describe(a, b, c));

        Await.until("the ghost's file removed", () -> !Files.exists(ghost), () -> describe(a, b, c));
        assertThat(bFile).as("a member's own file, where others find its address").exists();
        assertThat(Files.getLastModifiedTime(bFile).toMillis()).as("kept, not removed and written again")
                .isEqualTo(hourAgo.toMillis());
    }

    @Test
    void join_fileOfALiveListener_keepsIt() throws IOException {
        String cluster = cluster("live");
        Path directory = directory(cluster);
        Files.createDirectories(directory);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = directory.resolve("other.list");
            Files.writeString(file, "other " + UUID.randomUUID() + " 127.0.0.1:" + listener.getLocalPort() + " F\n");

            new DirectoryPing(DirectoryPing.root()).removeStaleFiles(directory);

            assertThat(file).exists();
        }
    }

    @Test
    void join_severalAtOnce_oneFoundsAndTheOthersJoinIt() {
        String cluster = cluster("race");
        List<CompletableFuture<Seaport>> joins = new ArrayList<>();

        List<Boolean> coordinatorAtJoin = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            joins.add(CompletableFuture.supplyAsync(() -> {
                Seaport seaport = join(cluster);
                coordinatorAtJoin.add(view(seaport).getCoord().equals(channel(seaport).getAddress()));
                return seaport;
            }));
        }
        List<Seaport> joined = joins.stream().map(CompletableFuture::join).toList();

        assertThat(coordinatorAtJoin).as("whether each join() returned as its own coordinator").containsOnlyOnce(true);
        Await.until("one view of 4", () -> joined.stream().allMatch(s -> view(s).size() == 4),
                () -> describe(joined.toArray(Seaport[]::new)));
    }

    @Test
    void partition_healed_mergesThroughTheDirectory_andEveryRegistrationIsEverywhere() throws Exception {
        String cluster = cluster("merge");
        List<JGroupsSeaport> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add((JGroupsSeaport) join(cluster));
        }
        Seaport[] all = four.toArray(Seaport[]::new);
        Await.until("one view of 4", () -> four.stream().allMatch(s -> view(s).size() == 4), () -> describe(all));
        List<DISCARD> discards = PartitionTest.insertDiscard(four);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if (i / 2 != j / 2) {
                    discards.get(i).addIgnoreMember(four.get(j).channel().getAddress());
                }
            }
        }
        Await.until("two views of 2", () -> four.stream().allMatch(s -> view(s).size() == 2), () -> describe(all));
        four.get(0).register("left@1.0.0", 7001);
        four.get(3).register("right@1.0.0", 7002); // each side registers while apart

        discards.forEach(DISCARD::resetIgnoredMembers);

        // Only MERGE3 through the directory (and ReconnectMerge, which calls it) brings the sides together.
        Await.until("one view of 4 again", () -> four.stream().allMatch(s -> view(s).size() == 4),
                () -> describe(all));
        Await.until("both registrations on every member", () -> four.stream()
                .allMatch(s -> s.query("left").size() == 1 && s.query("right").size() == 1), () -> describe(all));
    }

    @Test
    void directoryName_nameThatIsNoPlainFileName_isHashed() {
        assertThat(DirectoryPing.directoryName("orders-prod_1.2")).isEqualTo("orders-prod_1.2");
        assertThat(DirectoryPing.directoryName("../etc")).startsWith("sha256-").doesNotContain("/");
        assertThat(DirectoryPing.directoryName("a/b")).startsWith("sha256-").hasSize(7 + 64);
        assertThat(DirectoryPing.directoryName(".hidden")).startsWith("sha256-");
        assertThat(DirectoryPing.directoryName("x".repeat(101))).startsWith("sha256-");
    }

    @Test
    void join_clusterNameWithASlash_findsItsPeersInAHashedDirectory() {
        String cluster = "slash/" + cluster("name");

        Seaport a = join(cluster);
        Seaport b = join(cluster);

        assertThat(view(b).size()).as(describe(a, b)).isEqualTo(2);
        assertThat(directory(cluster).getFileName().toString()).startsWith("sha256-");
        assertThat(Files.isDirectory(directory(cluster))).isTrue();
    }

    private Seaport join(String cluster) {
        Seaport seaport = Seaport.builder().cluster(cluster).join();
        members.add(seaport);
        return seaport;
    }

    private static String cluster(String name) {
        return "DirectoryDiscoveryTest-" + name + "-" + UUID.randomUUID();
    }

    private static Path directory(String cluster) {
        return DirectoryPing.root().resolve(DirectoryPing.directoryName(cluster));
    }

    private static JChannel channel(Seaport seaport) {
        return ((JGroupsSeaport) seaport).channel();
    }

    private static org.jgroups.View view(Seaport seaport) {
        return channel(seaport).getView();
    }

    private static int port(Seaport seaport) {
        Object physical = channel(seaport).down(new org.jgroups.Event(org.jgroups.Event.GET_PHYSICAL_ADDRESS,
                channel(seaport).getAddress()));
        return ((org.jgroups.stack.IpAddress) physical).getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static String describe(Seaport... seaports) {
        return java.util.Arrays.stream(seaports)
                .map(s -> s.member() + " view " + view(s) + " services " + s.query("*").stream()
                        .map(Service::role).collect(Collectors.toList()))
                .collect(Collectors.joining("; "));
    }
}
