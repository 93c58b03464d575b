package io.seaport.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A hostile client in a JVM of its own: it keeps up to {@code --count} connections open to one
 * port on 127.0.0.1 (and nowhere else), each behaving as {@code --kind} says, reopening those
 * the victim closes, until {@code --seconds} have passed, {@code --max-opens} connections were
 * opened, or a line {@code stop} arrives on stdin. Launch it with {@link JavaProcess}.
 *
 * <p>Kinds: {@code idle} (connect, send nothing); {@code trickle} (a TLS record header, one byte
 * per second, then one zero byte per second); {@code garbage} (256 random bytes, then silence);
 * {@code oversize} (a TLS record header announcing 65,535 bytes, then silence);
 * {@code jgroups-oversize} (a JGroups connection header with a valid cookie and the version given
 * by {@code --jgroups-version}, JGroups' {@code Version.version}, then a length of 2,147,483,632
 * bytes: what FD_SOCK2's side socket and a plaintext transport read).
 *
 * <p>Prints {@code started opened=.. open=..} once {@code --count} connections were opened and each
 * has connected or failed (or after 60 s), {@code status open=.. opened=.. closed=..} every second and
 * {@code done opened=.. closed=..} before exiting with 0; bad arguments print {@code usage: ...}
 * and exit with 2. One thread, non-blocking sockets, bounded in count and time.
 */
public final class HostileClient {
    /** The kinds of hostile connection this client makes. */
    public static final List<String> KINDS = List.of("idle", "trickle", "garbage", "oversize", "jgroups-oversize");

    private static final byte[] TLS_HEADER = {0x16, 0x03, 0x01, 0x02, 0x00};
    private static final byte[] TLS_OVERSIZE = {0x16, 0x03, 0x03, (byte) 0xff, (byte) 0xff};

    private final int port;
    private final short jgroupsVersion;
    private final String kind;
    private final int count;
    private final long maxOpens;
    private final long deadline;
    private final PrintStream out;
    private final Random random = new Random(42);
    private final Map<SocketChannel, Integer> sent = new HashMap<>();
    private volatile boolean stopped;
    private long opened;
    private long closed;

    private HostileClient(int port, String kind, int count, long maxOpens, long seconds, short jgroupsVersion,
            PrintStream out) {
        this.port = port;
        this.jgroupsVersion = jgroupsVersion;
        this.kind = kind;
        this.count = count;
        this.maxOpens = maxOpens;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        this.out = out;
    }

    /**
     * Runs a hostile client; see the class comment.
     *
     * @param args {@code --port P --kind KIND --count N [--seconds S (60)] [--max-opens M (20 × N)]
     *     [--jgroups-version V (needed by jgroups-oversize)]}
     * @throws IOException if the selector cannot be opened
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String kind = options.getOrDefault("--kind", "");
        if (!options.containsKey("--port") || !options.containsKey("--count") || !KINDS.contains(kind)
                || (kind.equals("jgroups-oversize") && !options.containsKey("--jgroups-version"))) {
            System.out.println("usage: --port P --kind " + String.join("|", KINDS) + " --count N [--seconds S] "
                    + "[--max-opens M] [--jgroups-version V]; got " + String.join(" ", args));
            System.exit(2);
        }
        int count = Integer.parseInt(options.get("--count"));
        HostileClient client = new HostileClient(Integer.parseInt(options.get("--port")), kind, count,
                Long.parseLong(options.getOrDefault("--max-opens", String.valueOf(20L * count))),
                Long.parseLong(options.getOrDefault("--seconds", "60")),
                Short.parseShort(options.getOrDefault("--jgroups-version", "0")), System.out);
        Thread stdin = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.trim().equals("stop")) {
                        break;
                    }
                }
            } catch (IOException e) {
                // stdin gone: stop as if told to
            }
            client.stopped = true;
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        client.run();
        System.exit(0);
    }

    private void run() throws IOException {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        boolean announced = false;
        long announceBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long nextStatus = System.nanoTime();
        long nextTrickle = System.nanoTime();
        try (Selector selector = Selector.open()) {
            while (!stopped && System.nanoTime() - deadline < 0) {
                while (sent.size() < count && opened < maxOpens) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.connect(target);
                    channel.register(selector, SelectionKey.OP_CONNECT);
                    sent.put(channel, -1);
                    opened++;
                }
                selector.select(100);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable() && channel.finishConnect()) {
                            key.interestOps(SelectionKey.OP_READ);
                            sent.put(channel, 0);
                            opening(channel);
                        } else if (key.isReadable() && channel.read(ByteBuffer.allocate(4096)) < 0) {
                            drop(channel);
                        }
                    } catch (IOException e) {
                        drop(channel);
                    }
                }
                long now = System.nanoTime();
                if (kind.equals("trickle") && now - nextTrickle >= 0) {
                    nextTrickle = now + TimeUnit.SECONDS.toNanos(1);
                    for (SocketChannel channel : new ArrayList<>(sent.keySet())) {
                        trickle(channel);
                    }
                }
                int connected = (int) sent.values().stream().filter(v -> v >= 0).count();
                boolean allTried = opened >= count && connected == sent.size();
                if (!announced && (allTried || now - announceBy >= 0)) {
                    announced = true;
                    out.println("started opened=" + opened + " open=" + connected);
                }
                if (now - nextStatus >= 0) {
                    nextStatus = now + TimeUnit.SECONDS.toNanos(1);
                    out.println(String.format(Locale.ROOT, "status open=%d opened=%d closed=%d", connected, opened,
                            closed));
                }
            }
            for (SocketChannel channel : sent.keySet()) {
                channel.close();
            }
        }
        out.println("done opened=" + opened + " closed=" + closed);
    }

    private void opening(SocketChannel channel) throws IOException {
        switch (kind) {
            case "garbage" -> {
                byte[] junk = new byte[256];
                random.nextBytes(junk);
                junk[0] = 0x16; // past a first-byte check: a record header of random version and length
                channel.write(ByteBuffer.wrap(junk));
            }
            case "oversize" -> channel.write(ByteBuffer.wrap(TLS_OVERSIZE));
            case "jgroups-oversize" -> channel.write(ByteBuffer.allocate(19)
                    .put(new byte[] {'b', 'e', 'l', 'a'}).putShort(jgroupsVersion)
                    .putShort((short) 7).put((byte) 4).put(InetAddress.getLoopbackAddress().getAddress())
                    .putShort((short) 7800).putInt(Integer.MAX_VALUE - 15).flip());
            default -> { }
        }
    }

    private void trickle(SocketChannel channel) {
        Integer done = sent.get(channel);
        if (done == null || done < 0) {
            return;
        }
        byte next = done < TLS_HEADER.length ? TLS_HEADER[done] : 0;
        try {
            channel.write(ByteBuffer.wrap(new byte[] {next}));
            sent.put(channel, done + 1);
        } catch (IOException e) {
            drop(channel);
        }
    }

    private void drop(SocketChannel channel) {
        if (sent.remove(channel) != null) {
            closed++;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
