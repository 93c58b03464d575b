package io.seaport.benchmarks;

import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.ServiceEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A member JVM for {@link HostileScenarios}: joins with the TLS settings of its system properties
 * ({@code seaport.tls.*}; none: plaintext), timing its own {@code join()}, then answers commands on
 * stdin, one line each:
 * <pre>
 * join CLUSTER BASEPORT ROLE   -> joined MICROS COUNT     (join() duration; services of ROLE right after)
 * register ROLE PORT           -> registered
 * count ROLE                   -> count N
 * watch-gone ROLE              -> watching, later: gone MICROS (wall clock when ROLE has no service left)
 * memory                       -> memory HEAP DIRECT THREADS SOCKETS (heap used after GC, direct buffers, bytes)
 * sockets                      -> sockets STATE=N ... (this JVM's TCP sockets by state, from /proc/net/tcp)
 * exit
 * </pre>
 */
public final class TlsBenchMember {
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final List<Registration> registrations = new ArrayList<>();
    private Seaport seaport;

    private TlsBenchMember() {
    }

    /**
     * Runs the member until {@code exit} or the end of stdin.
     *
     * @param args none
     * @throws IOException if stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        new TlsBenchMember().run();
        System.exit(0);
    }

    private void run() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            try {
                if (!command(line)) {
                    return;
                }
            } catch (RuntimeException | IOException e) {
                out.println("error " + e);
            }
        }
    }

    /** Runs one command; returns false for {@code exit}. */
    private boolean command(String line) throws IOException {
        String[] w = line.trim().split(" ");
        switch (w[0]) {
            case "join" -> {
                long start = System.nanoTime();
                seaport = Seaport.builder().cluster(w[1]).bindPort(Integer.parseInt(w[2])).join();
                long micros = (System.nanoTime() - start) / 1_000;
                out.println("joined " + micros + " " + seaport.query(w[3]).size());
            }
            case "register" -> {
                registrations.add(seaport.register(w[1] + "@1.0.0", Integer.parseInt(w[2])));
                out.println("registered");
            }
            case "count" -> out.println("count " + seaport.query(w[1]).size());
            case "watch-gone" -> {
                String role = w[1];
                seaport.watch(role, event -> {
                    if (event instanceof ServiceEvent.Freed && seaport.query(role).isEmpty()) {
                        out.println("gone " + Micros.now());
                    }
                });
                out.println("watching");
            }
            case "memory" -> out.println(memory());
            case "sockets" -> out.println(socketStates());
            case "exit" -> {
                if (seaport != null) {
                    seaport.close();
                }
                return false;
            }
            default -> out.println("error unknown command '" + line + "'");
        }
        return true;
    }

    private static String socketStates() throws IOException {
        java.util.Map<String, String> stateByInode = new java.util.HashMap<>();
        String[] names = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
            "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> rows = Files.readAllLines(file);
            for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
                String[] f = row.trim().split("\\s+");
                int state = Integer.parseInt(f[3], 16);
                stateByInode.put(f[9], state < names.length ? names[state] : f[3]);
            }
        }
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        counts.merge(stateByInode.getOrDefault(link.substring(8, link.length() - 1), "other"), 1,
                                Integer::sum);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        StringBuilder line = new StringBuilder("sockets");
        counts.forEach((state, n) -> line.append(' ').append(state).append('=').append(n));
        return line.toString();
    }

    private static String memory() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        long heap = memory.getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
            }
        }
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        int sockets = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return "memory " + heap + " " + direct + " " + threads + " " + sockets;
    }
}
