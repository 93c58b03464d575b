package io.seaport.jgroups.internal;

import io.seaport.SeaportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.PhysicalAddress;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FILE_PING;
import org.jgroups.protocols.PingData;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.NameCache;
import org.jgroups.util.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Same-host discovery with no member cap: JGroups' {@code FILE_PING} in a directory of this user,
 * with one subdirectory per cluster, so any number of member JVMs (each on a port the system
 * picks) and any number of clusters share one host without configuration.
 *
 * <p>Four additions to {@code FILE_PING}, each for a reason seen on a real host:
 * <ul>
 * <li><b>Stale files.</b> A member killed with {@code kill -9} leaves its file behind; a joiner
 *     that believed a dead coordinator's file would send JOIN requests into the void for
 *     {@code join_timeout} times {@code max_join_attempts}. Before its first discovery a member
 *     deletes every file whose members all have a local address with no listener on their port.
 *     (The live coordinator also rewrites the directory on every view change, sparing members'
 *     own files: see the next point.)
 * <li><b>Members' own files.</b> A joiner that found a coordinator writes its own entry to its
 *     file before it asks to join: FILE_PING announces it only in one discovery response, sent
 *     below JGroups' reliable layers, and when that was lost the coordinator could not answer the
 *     JOIN request until GMS retried 5 s later. The file stays while the member is in the view
 *     (written again if FILE_PING removed it), so a member's address can always be read from the
 *     directory, also when the coordinator's file lacks it ({@link #removeAll}).
 * <li><b>Founding races.</b> Two JVMs that start together both find an empty directory and would
 *     each found a cluster of their own until MERGE3 merged them. So the initial discovery holds
 *     a per-cluster lock (a {@link FileLock} across JVMs, a semaphore within one) until this
 *     member has found a coordinator, or until it has founded the cluster and written its file.
 *     The lock dies with the process; a waiter gives up after {@link #LOCK_WAIT_MILLIS}.
 * <li><b>Cluster names as file names.</b> A name that is not a plain file name (a slash, a
 *     leading dot, more than 100 characters) becomes {@code sha256-<hex>}.
 * </ul>
 *
 * <p>Thread-safety: JGroups calls the discovery methods from its own threads; the lock state is
 * guarded by {@code this}.
 */
final class DirectoryPing extends FILE_PING {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryPing.class);

    /** The protocol id this class's headers carry: in JGroups' custom range (512 and up). */
    static final short PROTOCOL_ID = 1907;
    /** How long a joiner's own file survives the coordinator's cleanup on view changes: a join's span. */
    static final long JOINER_FILE_MILLIS = 30_000;
    /** How long a joiner waits for another JVM that is founding the same cluster. */
    static final long LOCK_WAIT_MILLIS = 30_000;

    /** The system property naming the discovery directory. */
    static final String DIRECTORY_PROPERTY = "seaport.discovery.dir";
    /** The environment variable naming the discovery directory. */
    static final String DIRECTORY_ENV = "SEAPORT_DISCOVERY_DIR";

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    private static final String LOCK_FILE = ".founding.lock";
    private static final Map<Path, Semaphore> IN_JVM_LOCKS = new ConcurrentHashMap<>();

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, DirectoryPing.class);
    }

    private Semaphore heldSemaphore;
    private FileChannel heldFile;
    private FileLock heldLock;

    DirectoryPing(Path root) {
        setLocation(root.toString());
        removeAllDataOnViewChange(true); // the coordinator's file lists every member: one file to read
        writeDataOnFind(true);
        registerShutdownHook(false); // stop() removes the file; a hook per channel would pile up
    }

    /** Returns the subdirectory name for {@code cluster}: the name itself if it is a plain file name. */
    static String directoryName(String cluster) {
        if (PLAIN_NAME.matcher(cluster).matches()) {
            return cluster;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(cluster.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Returns the directory of this user's same-host discovery: system property
     * {@value #DIRECTORY_PROPERTY}, else environment variable {@value #DIRECTORY_ENV}, else
     * {@code seaport-<user>} in {@code java.io.tmpdir}; created private to the user.
     *
     * @throws SeaportException if it cannot be created or belongs to another user
     */
    static Path root() {
        String configured = System.getProperty(DIRECTORY_PROPERTY, System.getenv(DIRECTORY_ENV));
        Path root = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "seaport-" + System.getProperty("user.name"));
        try {
            if (!Files.isDirectory(root)) {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(root, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(root);
                }
            }
            if (configured == null) {
                UserPrincipal owner = Files.getOwner(root);
                UserPrincipal me = root.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name"));
                if (!owner.equals(me)) {
                    throw new SeaportException("the discovery directory " + root + " belongs to " + owner.getName()
                            + ", not to " + me.getName() + "; set " + DIRECTORY_PROPERTY + " to a directory of yours");
                }
            }
            return root;
        } catch (IOException e) {
            throw new SeaportException("cannot create the discovery directory " + root
                    + "; set " + DIRECTORY_PROPERTY + " to a writable directory", e);
        }
    }

    Path clusterDirectory() {
        return Path.of(location, directoryName(cluster_name));
    }

    @Override
    public void findMembers(List<Address> members, boolean initialDiscovery, Responses responses) {
        if (!initialDiscovery) {
            super.findMembers(members, false, responses);
            return;
        }
        lockFounding();
        removeStaleFiles(clusterDirectory());
        super.findMembers(members, true, responses);
        for (PingData data : responses) {
            if (data.isCoord() && !data.getAddress().equals(local_addr)) {
                writeJoinerFile();
                unlockFounding(); // a coordinator is there: join it, let others look too
                break;
            }
        }
    }

    /**
     * Writes this joiner's own entry (not a coordinator) to its file, so that the coordinator can
     * look up where to answer its JOIN request. FILE_PING's joiner announces its address only in
     * one discovery response sent below JGroups' reliable layers; when that was lost (seen with 8
     * member JVMs on a loaded host) the coordinator found the joiner in no file, dropped its answer
     * ("no physical address ... dropping message") and the join waited for GMS's 5 s retry.
     */
    private void writeJoinerFile() {
        PhysicalAddress physical = (PhysicalAddress) down_prot.down(new Event(Event.GET_PHYSICAL_ADDRESS, local_addr));
        if (physical != null) {
            write(List.of(new PingData(local_addr, true, NameCache.get(local_addr), physical).coord(false)),
                    cluster_name);
        }
    }

    @Override
    public Object down(Event evt) {
        Object result = super.down(evt);
        if (evt.getType() == Event.VIEW_CHANGE) {
            unlockFounding(); // founded or joined: our coordinator's file is written
            if (!is_coord && !Files.exists(ownFile())) {
                writeJoinerFile(); // merged in, or no longer coordinator: FILE_PING removed our file
            }
        }
        return result;
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            unlockFounding();
        }
    }

    @Override
    protected void readAll(List<Address> members, String clusterName, Responses responses) {
        super.readAll(members, directoryName(clusterName), responses);
    }

    /**
     * Writes this member's file atomically (a temporary file moved over it): FILE_PING truncates
     * and rewrites in place, and readers starting that moment saw an empty or partial file, found
     * no coordinator and founded clusters of their own (seen with 32 JVMs starting together).
     */
    @Override
    protected void write(List<PingData> list, String clusterName) {
        Path directory = Path.of(location, directoryName(clusterName));
        Path file = ownFile();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            // A name of its own per write: the view handler and the info writer may write at once.
            temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
            if (Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null) {
                // as FILE_PING's files: readable by whoever shares a configured directory
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (OutputStream out = Files.newOutputStream(temporary)) {
                write(list, out);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            LOG.error("cannot write the discovery file {}", file, e);
            try {
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException ignored) {
                LOG.debug("cannot delete {}", temporary, ignored);
            }
        }
    }

    @Override
    protected void remove(String clusterName, Address address) {
        super.remove(clusterName == null ? null : directoryName(clusterName), address);
    }

    /**
     * Removes every discovery file but the members' own files (one entry, not a coordinator) of
     * members of the current view, and of joiners written in the last {@link #JOINER_FILE_MILLIS}:
     * the coordinator calls this on each view change and then writes its file listing every member
     * it knows. A member's own file is where any member finds its address when the coordinator's
     * file lacks it: with 64 member JVMs joining in waves, joiners that knew no address of some
     * members of their view (and those members none of theirs) asked them for snapshots in vain
     * for minutes (scale benchmark, 2 runs in 4), the transport dropping every request for want of
     * an address that no file held.
     */
    @Override
    protected void removeAll(String clusterName) {
        if (clusterName == null) {
            return;
        }
        long now = System.currentTimeMillis();
        deleteFiles(Path.of(location, directoryName(clusterName)), file -> !isMembersOwnFile(file, now));
    }

    private boolean isMembersOwnFile(Path file, long now) {
        try {
            List<PingData> entries = entries(file);
            if (entries.size() != 1 || entries.get(0).isCoord()) {
                return false;
            }
            View current = view;
            return current != null && current.containsMember(entries.get(0).getAddress())
                    || now - Files.getLastModifiedTime(file).toMillis() <= JOINER_FILE_MILLIS;
        } catch (IOException e) {
            return false; // gone: nothing to keep
        }
    }

    /** Returns the file FILE_PING writes this member's entries to. */
    Path ownFile() {
        return Path.of(location, directoryName(cluster_name), addressToFilename(local_addr));
    }

    /** Returns the entries of discovery file {@code file}: none if it is unreadable or was deleted meanwhile. */
    private List<PingData> entries(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<PingData> entries = read(in);
            return entries == null ? List.of() : entries;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Deletes each discovery file in {@code directory} that {@code delete} accepts. */
    private static void deleteFiles(Path directory, Predicate<Path> delete) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.list")) {
            for (Path file : files) {
                if (delete.test(file)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean the discovery directory {}", directory, e);
        }
    }

    private synchronized void lockFounding() {
        if (heldSemaphore != null) {
            return; // a retry of the initial discovery: still ours
        }
        Path directory = clusterDirectory();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_WAIT_MILLIS);
        Semaphore semaphore = IN_JVM_LOCKS.computeIfAbsent(directory, d -> new Semaphore(1));
        try {
            if (!semaphore.tryAcquire(LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("another member of cluster '{}' in this JVM held the founding lock for {} ms; discovering without it",
                        cluster_name, LOCK_WAIT_MILLIS);
                return;
            }
            heldSemaphore = semaphore;
            Files.createDirectories(directory);
            heldFile = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while ((heldLock = heldFile.tryLock()) == null) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("another JVM held the founding lock of cluster '{}' in {} for {} ms; discovering without it",
                            cluster_name, directory, LOCK_WAIT_MILLIS);
                    return;
                }
                Thread.sleep(10); // polls a lock another process holds; FileChannel.lock() cannot time out
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("cannot take the founding lock of cluster '{}' in {}; discovering without it", cluster_name, directory, e);
        }
    }

    private synchronized void unlockFounding() {
        try {
            if (heldLock != null) {
                heldLock.release();
            }
            if (heldFile != null) {
                heldFile.close();
            }
        } catch (IOException e) {
            LOG.debug("releasing the founding lock of cluster '{}'", cluster_name, e);
        } finally {
            heldLock = null;
            heldFile = null;
            if (heldSemaphore != null) {
                heldSemaphore.release();
                heldSemaphore = null;
            }
        }
    }

    /**
     * Deletes every discovery file in {@code directory} whose members all have a local address
     * with nobody listening on their port: files of members that were killed.
     */
    void removeStaleFiles(Path directory) {
        deleteFiles(directory, file -> {
            List<PingData> entries = entries(file);
            boolean gone = !entries.isEmpty() && allGone(entries);
            if (gone) {
                LOG.debug("removing the discovery file {} of members that are gone: {}", file, entries);
            }
            return gone;
        });
    }

    private static boolean allGone(List<PingData> entries) {
        List<InetSocketAddress> targets = new ArrayList<>(entries.size());
        for (PingData data : entries) {
            PhysicalAddress physical = data.getPhysicalAddr();
            if (!(physical instanceof IpAddress ip) || ip.getIpAddress() == null) {
                return false; // not something we can check: keep it
            }
            targets.add(new InetSocketAddress(ip.getIpAddress(), ip.getPort()));
        }
        return !JoinTimeout.anyoneMayAnswer(targets);
    }
}
