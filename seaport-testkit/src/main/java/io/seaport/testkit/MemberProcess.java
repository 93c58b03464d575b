package io.seaport.testkit;

import io.seaport.Health;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A Seaport member running {@link MemberMain} in a JVM of its own, with typed methods over its
 * line protocol ({@link MemberProtocol}).
 *
 * <pre>{@code
 * @RegisterExtension final JavaProcesses processes = new JavaProcesses();
 *
 * int base = TestPorts.clusterBasePort();
 * MemberProcess server = MemberProcess.launcher("my-test-" + UUID.randomUUID(), base).label("server").start(processes);
 * Service echo = server.serviceEcho("echo@1.0.0");      // a real TCP echo server on an allocated port
 * }</pre>
 *
 * <p>Commands are answered in order; each typed method sends one and waits up to
 * {@link #COMMAND_TIMEOUT} for its answer. Asynchronous results ({@link #get}, {@link #fetch},
 * {@link #watch}) are picked up later by handle. Thread-safe: commands from several threads are
 * serialized.
 */
public final class MemberProcess implements AutoCloseable {
    /** How long a command may take to be answered: generous, for a loaded 2-core machine. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** How long a member JVM may take to start and join. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String label;
    private final JavaProcess process;
    private final String member;
    private int unanswered;

    private MemberProcess(String label, JavaProcess process, String member) {
        this.label = label;
        this.process = process;
        this.member = member;
    }

    /**
     * Returns a launcher for a member of {@code cluster} whose transport binds to
     * {@code basePort} (or the next free of the 10 above it) on 127.0.0.1 and discovers its peers
     * at {@code 127.0.0.1:basePort}.
     *
     * @param cluster the cluster's name, unique to the test
     * @param basePort the block from {@link TestPorts#clusterBasePort()}
     * @return a new launcher
     */
    public static Launcher launcher(String cluster, int basePort) {
        return new Launcher(cluster, basePort);
    }

    /**
     * Returns a launcher for a member of {@code cluster} with the default discovery: no bind port
     * and no peers, so it binds any free port of 127.0.0.1 and finds the members of this host
     * through the discovery directory.
     *
     * @param cluster the cluster's name, unique to the test (it names its discovery subdirectory)
     * @return a new launcher
     */
    public static Launcher defaultDiscovery(String cluster) {
        return new Launcher(cluster, 0);
    }

    /**
     * Returns the label given at launch (e.g. {@code a}), used in messages.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * Returns the member's name in the cluster, as in {@link Service#member()}.
     *
     * @return the name it printed when ready
     */
    public String member() {
        return member;
    }

    /**
     * Returns the underlying process, for kill, freeze and raw output.
     *
     * @return the process
     */
    public JavaProcess process() {
        return process;
    }

    /**
     * Returns the service registered by {@code service(role, port -> httpServer)} in the member,
     * whose HTTP server answers {@code body} to every request ({@code {port}} in it is replaced by
     * the port).
     *
     * @param role the role
     * @param body the response body
     * @return the published service
     */
    public Service serviceHttp(String role, String body) {
        return MemberProtocol.decodeService(request("service", role, "http", body).get(2));
    }

    /**
     * Returns the service registered by {@code service(role, port -> server)} in the member,
     * where the server writes {@code tag} and a newline to each connection, then echoes.
     *
     * @param role the role
     * @param tag the first line of every connection
     * @return the published service
     */
    public Service serviceTagged(String role, String tag) {
        return MemberProtocol.decodeService(request("service", role, "tagged", tag).get(2));
    }

    /**
     * Returns an HTTP service answering {@code body} whose {@code GET /health} the member checks
     * every {@code interval} ({@link io.seaport.HealthCheck#http}); it answers 200 until
     * {@link #healthEndpoint} turns it down.
     *
     * @param role the role
     * @param body the response body to other paths ({@code {port}} is replaced by the port)
     * @param interval the check's interval
     * @return the published service
     */
    public Service serviceChecked(String role, String body, Duration interval) {
        return MemberProtocol.decodeService(
                request("service-checked", role, body, Long.toString(interval.toMillis())).get(2));
    }

    /**
     * Makes the {@code /health} endpoint of service {@code id} answer 200 ({@code up}) or 503.
     *
     * @param id a service started by {@link #serviceChecked}
     * @param up whether the endpoint passes
     */
    public void healthEndpoint(String id, boolean up) {
        request("health-endpoint", id, up ? "up" : "down");
    }

    /**
     * Sets the health of the member's registration {@code id}.
     *
     * @param id a {@link Service#id()} this member registered
     * @param health the new health
     */
    public void health(String id, io.seaport.Health health) {
        request("health", id, health.name());
    }

    /**
     * Starts {@code Registration.drain(period)} of {@code id} in the member and returns at once;
     * the member prints {@code drained ID} when it is freed.
     *
     * @param id a {@link Service#id()} this member registered
     * @param period the drain period
     */
    public void drain(String id, Duration period) {
        request("drain", id, Long.toString(period.toMillis()));
    }

    /**
     * Returns the service registered by {@code service(role, port -> echoServer)} in the member.
     *
     * @param role the role
     * @return the published service
     */
    public Service serviceEcho(String role) {
        return MemberProtocol.decodeService(request("service", role, "echo").get(2));
    }

    /**
     * Returns {@code count} echo services started by concurrent {@code service()} calls inside
     * the member.
     *
     * @param role the role of each
     * @param count how many
     * @return the published services
     */
    public List<Service> serviceEchoMany(String role, int count) {
        return MemberProtocol.decodeServices(request("service-many", role, Integer.toString(count), "echo"), 2);
    }

    /**
     * Returns {@code count} HTTP services started by concurrent {@code service()} calls inside
     * the member; each answers {@code bodyTemplate} with {@code {port}} replaced by its port.
     *
     * @param role the role of each
     * @param count how many
     * @param bodyTemplate the body, where {@code {port}} stands for the service's port
     * @return the published services
     */
    public List<Service> serviceHttpMany(String role, int count, String bodyTemplate) {
        return MemberProtocol.decodeServices(
                request("service-many", role, Integer.toString(count), "http", bodyTemplate), 2);
    }

    /**
     * Returns the service published by {@code register(role, port, metadata)} in the member.
     *
     * @param role the role
     * @param port a port something listens on (or not: the registry does not check)
     * @param metadata published key/value pairs
     * @return the published service
     */
    public Service register(String role, int port, Map<String, String> metadata) {
        List<String> words = new ArrayList<>(List.of("register", role, Integer.toString(port)));
        metadata.forEach((k, v) -> words.add(k + "=" + v));
        return MemberProtocol.decodeService(request(words).get(2));
    }

    /**
     * Returns the service published by {@code register(role, port)} in the member.
     *
     * @param role the role
     * @param port the port
     * @return the published service
     */
    public Service register(String role, int port) {
        return register(role, port, Map.of());
    }

    /**
     * Closes the member's registration {@code id} (and its server, if the member started one).
     *
     * @param id a {@link Service#id()} this member registered
     */
    public void free(String id) {
        request("free", id);
    }

    /**
     * Returns the member's {@code query(range)}.
     *
     * @param range a range
     * @return the matches, in the member's order
     */
    public List<Service> query(String range) {
        return MemberProtocol.decodeServices(request("query", range), 3);
    }

    /**
     * Returns the member's {@code query(environment, range)}.
     *
     * @param environment the environment
     * @param range a range
     * @return the matches, in the member's order
     */
    public List<Service> query(String environment, String range) {
        return MemberProtocol.decodeServices(request("query-env", environment, range), 3);
    }

    /**
     * Returns the member's {@code services(environment)}: every service of that environment.
     *
     * @param environment the environment
     * @return the services, in the member's order
     */
    public List<Service> services(String environment) {
        return MemberProtocol.decodeServices(request("services", environment), 3);
    }

    /**
     * Returns the member's environment.
     *
     * @return what its {@code environment()} returns
     */
    public String environment() {
        return MemberProtocol.decode(request("environment").get(2));
    }

    /**
     * Returns the member's replica for the {@link Invariants} check: its services in each of
     * {@code environments} (its own environment is always read).
     *
     * @param environments environments to read besides the member's own
     * @return the replica
     */
    public Invariants.Replica replica(Set<String> environments) {
        String own = environment();
        Map<String, List<Service>> services = new LinkedHashMap<>();
        services.put(own, services(own));
        for (String env : environments) {
            services.putIfAbsent(env, services(env));
        }
        return new Invariants.Replica(label, member, own, services, toString());
    }

    /**
     * Calls {@code get(range)} in the member and returns a handle for {@link #awaitGot}.
     *
     * @param range a range
     * @return the handle
     */
    public int get(String range) {
        return Integer.parseInt(request("get", range).get(2));
    }

    /**
     * Returns the list that the member's {@code get} future completed with.
     *
     * @param handle from {@link #get(String)}
     * @param timeout how long to wait
     * @return the services, and when the test JVM read them
     * @throws AssertionError on timeout or if the future failed
     */
    public Timed<List<Service>> awaitGot(int handle, Duration timeout) {
        JavaProcess.Line line = process.awaitOutputLine("the completion of get " + handle,
                l -> l.startsWith("got " + handle + " ") || l.equals("got " + handle)
                        || l.startsWith("get-failed " + handle + " "), timeout);
        List<String> words = MemberProtocol.words(line.text());
        if (words.get(0).equals("get-failed")) {
            throw new AssertionError(label + ": get " + handle + " failed: " + MemberProtocol.decode(words.get(2)));
        }
        return new Timed<>(MemberProtocol.decodeServices(words, 2), line.nanoTime());
    }

    /**
     * Calls {@code get(range)} in the member and, when it completes, an HTTP GET of {@code /} on
     * the first match, from the member's JVM; returns a handle for {@link #awaitFetched}.
     *
     * @param range a range
     * @return the handle
     */
    public int fetch(String range) {
        return Integer.parseInt(request("fetch", range).get(2));
    }

    /**
     * Returns the HTTP answer the member got for {@link #fetch}.
     *
     * @param handle from {@link #fetch(String)}
     * @param timeout how long to wait
     * @return the answer, and when the test JVM read it
     * @throws AssertionError on timeout or if the lookup or request failed
     */
    public Timed<Fetched> awaitFetched(int handle, Duration timeout) {
        JavaProcess.Line line = process.awaitOutputLine("the answer of fetch " + handle,
                l -> l.startsWith("fetched " + handle + " ") || l.startsWith("fetch-failed " + handle + " "), timeout);
        List<String> words = MemberProtocol.words(line.text());
        if (words.get(0).equals("fetch-failed")) {
            throw new AssertionError(label + ": fetch " + handle + " failed: " + MemberProtocol.decode(words.get(2)));
        }
        Fetched fetched = new Fetched(Integer.parseInt(words.get(2)), MemberProtocol.decode(words.get(3)),
                MemberProtocol.decode(words.get(4)));
        return new Timed<>(fetched, line.nanoTime());
    }

    /**
     * Calls {@code watch(range)} in the member and returns the events it prints.
     *
     * @param range a range
     * @return the watch
     */
    public Watch watch(String range) {
        return new Watch(Integer.parseInt(request("watch", range).get(2)), range);
    }

    /**
     * Closes the member's Seaport (its registrations are freed and it leaves); the JVM stays up.
     */
    public void closeSeaport() {
        request("close");
    }

    /** Kills the member's JVM with SIGKILL. */
    public void kill() {
        process.kill();
    }

    /** Stops the member's JVM with SIGSTOP. */
    public void freeze() {
        process.freeze();
    }

    /** Resumes the member's JVM with SIGCONT. */
    public void thaw() {
        process.thaw();
    }

    /**
     * Returns a description for failure messages: the process state and, if it is running and not
     * frozen, its query results for each range (waiting at most 5 s for each).
     *
     * @param ranges the ranges the test uses
     * @return a multi-line text
     */
    public String describe(String... ranges) {
        StringBuilder text = new StringBuilder(label).append(" = ").append(member).append(", ")
                .append(process.describeState()).append('\n');
        if (process.isAlive() && !process.isFrozen()) {
            for (String range : ranges) {
                text.append("  query ").append(range).append(": ");
                try {
                    List<String> words = request(List.of("query", range), Duration.ofSeconds(5));
                    text.append(MemberProtocol.decodeServices(words, 3).stream()
                            .map(MemberProcess::brief).collect(Collectors.joining(", ", "[", "]")));
                } catch (RuntimeException | AssertionError e) {
                    text.append("(no answer: ").append(e.getMessage().lines().findFirst().orElse("")).append(')');
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    /**
     * Returns a short form of a service for messages: {@code role@version host:port (member)}.
     *
     * @param service a service
     * @return the short form
     */
    public static String brief(Service service) {
        return service.roleAtVersion() + " " + service.address() + " (" + service.member() + ", id " + service.id() + ")";
    }

    /**
     * Asks the member to exit (closing its Seaport) and waits up to 30 s, then kills it if it
     * has not exited. Idempotent.
     */
    @Override
    public void close() {
        if (process.isAlive() && !process.isFrozen()) {
            try {
                process.send("exit");
                process.awaitExit(Duration.ofSeconds(30));
            } catch (RuntimeException | AssertionError e) {
                org.slf4j.LoggerFactory.getLogger(MemberProcess.class).warn("{} did not exit cleanly", label, e);
            }
        }
        process.close();
    }

    @Override
    public String toString() {
        return label + " (" + member + ")";
    }

    /**
     * Returns the words of the answer to one command, after {@code ok VERB}.
     *
     * @param words the command's words, the verb first
     * @return every word of the {@code ok} answer
     * @throws IllegalStateException if the member answered {@code error}
     * @throws AssertionError if it did not answer within {@link #COMMAND_TIMEOUT}
     */
    public List<String> request(String... words) {
        return request(Arrays.asList(words), COMMAND_TIMEOUT);
    }

    private List<String> request(List<String> words) {
        return request(words, COMMAND_TIMEOUT);
    }

    private synchronized List<String> request(List<String> words, Duration timeout) {
        process.send(words.stream().map(MemberProtocol::quote).collect(Collectors.joining(" ")));
        // The member answers every command, in order: answers of commands that timed out earlier
        // come first and belong to no one.
        unanswered++;
        String line;
        do {
            line = process.awaitLine(MemberProcess::isAnswer, timeout);
            unanswered--;
        } while (unanswered > 0);
        List<String> answer = MemberProtocol.words(line);
        if (answer.get(0).equals("error")) {
            throw new IllegalStateException(label + ": " + String.join(" ", words) + " failed: "
                    + (answer.size() > 2 ? MemberProtocol.decode(answer.get(2)) : line));
        }
        if (!answer.get(1).equals(words.get(0))) {
            throw new AssertionError(label + ": answer '" + line + "' does not match command " + words);
        }
        return answer;
    }

    private static boolean isAnswer(String line) {
        return line.startsWith("ok ") || line.startsWith("error ");
    }

    /**
     * A value read from a member, with the {@link System#nanoTime()} at which the test JVM read it.
     *
     * @param value the value
     * @param nanoTime when it was read
     * @param <T> the value's type
     */
    public record Timed<T>(T value, long nanoTime) {
    }

    /**
     * An HTTP answer that a member got.
     *
     * @param status the status code
     * @param body the body
     * @param address the {@code host:port} it asked
     */
    public record Fetched(int status, String body, String address) {
    }

    /** The events of one {@code watch} in the member, collected as they are printed. */
    public final class Watch {
        private final int handle;
        private final String range;
        private final List<Timed<ServiceEvent>> events = new ArrayList<>();

        private Watch(int handle, String range) {
            this.handle = handle;
            this.range = range;
        }

        /**
         * Returns the first event (since the watch began) that matches, waiting up to
         * {@code timeout} for it.
         *
         * @param what what is awaited, for the failure message
         * @param condition the event to wait for
         * @param timeout how long to wait
         * @return the event and when the test JVM read it
         * @throws AssertionError on timeout; the message lists every event seen
         */
        public Timed<ServiceEvent> awaitEvent(String what, Predicate<ServiceEvent> condition, Duration timeout) {
            return awaitMatching(what, e -> condition.test(e.value()), timeout);
        }

        /**
         * Returns the first event read after {@code nanoTime} (a {@link System#nanoTime()} of the
         * test JVM) that matches, waiting up to {@code timeout} for it.
         *
         * @param nanoTime only events read after this instant count
         * @param what what is awaited, for the failure message
         * @param condition the event to wait for
         * @param timeout how long to wait
         * @return the event and when the test JVM read it
         * @throws AssertionError on timeout; the message lists every event seen
         */
        public Timed<ServiceEvent> awaitEventAfter(long nanoTime, String what, Predicate<ServiceEvent> condition,
                Duration timeout) {
            return awaitMatching(what, e -> e.nanoTime() - nanoTime > 0 && condition.test(e.value()), timeout);
        }

        private Timed<ServiceEvent> awaitMatching(String what, Predicate<Timed<ServiceEvent>> condition,
                Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            String prefix = "event " + handle + " ";
            synchronized (this) {
                while (true) {
                    process.takeLines(l -> l.startsWith(prefix)).forEach(this::add);
                    for (Timed<ServiceEvent> event : events) {
                        if (condition.test(event)) {
                            return event;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    try {
                        add(process.awaitOutputLine("an event of watch " + handle,
                                l -> l.startsWith(prefix), Duration.ofNanos(Math.max(left, 1))));
                    } catch (AssertionError e) {
                        throw new AssertionError(label + " (" + member + "): timed out after " + timeout.toMillis()
                                + " ms waiting for " + what + " on watch '" + range + "'; events seen:\n"
                                + describeEvents() + "\n" + process.describeState(), e);
                    }
                }
            }
        }

        /**
         * Returns every event printed so far, oldest first.
         *
         * @return a snapshot
         */
        public synchronized List<Timed<ServiceEvent>> events() {
            process.takeLines(l -> l.startsWith("event " + handle + " ")).forEach(this::add);
            return List.copyOf(events);
        }

        /**
         * Returns the events seen so far, one per line, for messages.
         *
         * @return the text
         */
        public synchronized String describeEvents() {
            return events().stream().map(e -> "  " + line(e.value())).collect(Collectors.joining("\n"));
        }

        private void add(JavaProcess.Line line) {
            List<String> words = MemberProtocol.words(line.text());
            ServiceEvent event = switch (words.get(2)) {
                case "registered" -> new ServiceEvent.Registered(MemberProtocol.decodeService(words.get(3)));
                case "health" -> new ServiceEvent.HealthChanged(MemberProtocol.decodeService(words.get(4)),
                        Health.valueOf(words.get(3)));
                default -> new ServiceEvent.Freed(MemberProtocol.decodeService(words.get(4)),
                        ServiceEvent.Reason.valueOf(words.get(3)));
            };
            events.add(new Timed<>(event, line.nanoTime()));
        }

        private String line(ServiceEvent event) {
            String what = event instanceof ServiceEvent.Freed freed ? "Freed(" + freed.reason() + ") "
                    : event instanceof ServiceEvent.HealthChanged changed
                    ? "HealthChanged(" + changed.previous() + " -> " + changed.service().health() + ") "
                    : "Registered ";
            return what + brief(event.service());
        }
    }

    /** The settings of a member JVM; not thread-safe. */
    public static final class Launcher {
        private final String cluster;
        private final int basePort;
        private String label = "member";
        private String environment;
        private String portRange;
        private List<String> peers;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String[]> systemProperties = new ArrayList<>();

        private Launcher(String cluster, int basePort) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            this.basePort = basePort;
        }

        /**
         * Sets the label used in messages and as the process name.
         *
         * @param name a short label such as {@code a}
         * @return this launcher
         */
        public Launcher label(String name) {
            this.label = Objects.requireNonNull(name, "label");
            return this;
        }

        /**
         * Sets the member's environment.
         *
         * @param name the environment
         * @return this launcher
         */
        public Launcher environment(String name) {
            this.environment = name;
            return this;
        }

        /**
         * Sets the ports that the member's {@code service()} calls may hand out.
         *
         * @param from the first port
         * @param to the last port
         * @return this launcher
         */
        public Launcher portRange(int from, int to) {
            this.portRange = from + "-" + to;
            return this;
        }

        /**
         * Replaces the default peer list ({@code 127.0.0.1:basePort}).
         *
         * @param hostPorts the peers
         * @return this launcher
         */
        public Launcher peers(String... hostPorts) {
            this.peers = List.of(hostPorts);
            return this;
        }

        /**
         * Appends JVM options for the member JVM.
         *
         * @param options the options
         * @return this launcher
         */
        public Launcher jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * Sets a system property of the member JVM.
         *
         * @param key the property
         * @param value its value
         * @return this launcher
         */
        public Launcher systemProperty(String key, String value) {
            systemProperties.add(new String[] {key, value});
            return this;
        }

        /**
         * Returns the process settings this launcher would use, to adjust them further.
         *
         * @return a new process builder
         */
        public JavaProcess.Builder processBuilder() {
            List<String> args = new ArrayList<>(List.of("--cluster", cluster));
            if (basePort != 0) {
                args.addAll(List.of("--bind-port", Integer.toString(basePort)));
            }
            if (peers != null || basePort != 0) {
                args.addAll(List.of("--peers", String.join(",", peers != null ? peers : List.of("127.0.0.1:" + basePort))));
            }
            if (environment != null) {
                args.addAll(List.of("--env", environment));
            }
            if (portRange != null) {
                args.addAll(List.of("--port-range", portRange));
            }
            JavaProcess.Builder builder = JavaProcess.builder(MemberMain.class).name(label).args(args)
                    .jvmOptions(jvmOptions.toArray(String[]::new));
            // Log settings of the test JVM (e.g. -Dorg.slf4j.simpleLogger.log.io.seaport=debug in
            // Failsafe's argLine) reach the members too, to debug a failing test.
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("org.slf4j.simpleLogger."))
                    .sorted().forEach(k -> builder.systemProperty(k, System.getProperty(k)));
            systemProperties.forEach(p -> builder.systemProperty(p[0], p[1]));
            return builder;
        }

        /**
         * Returns a started member that has joined the cluster, owned by {@code processes}.
         *
         * @param processes the registry that kills it in teardown
         * @return the joined member
         * @throws AssertionError if it does not print {@code ready} within {@link #START_TIMEOUT}
         */
        public MemberProcess start(JavaProcesses processes) {
            return await(launch(processes));
        }

        /**
         * Returns a started member JVM without waiting for it to join; pass it to
         * {@link #await(JavaProcess)}. Starting several this way lets them boot in parallel.
         *
         * @param processes the registry that kills it in teardown
         * @return the process
         */
        public JavaProcess launch(JavaProcesses processes) {
            return processes.start(processBuilder());
        }

        /**
         * Returns the member once {@code process} has printed {@code ready}.
         *
         * @param process from {@link #launch(JavaProcesses)}
         * @return the joined member
         * @throws AssertionError if it fails to join or does not print {@code ready} within
         *     {@link #START_TIMEOUT}
         */
        public MemberProcess await(JavaProcess process) {
            String line = process.awaitLine(l -> l.startsWith("ready ") || l.startsWith("failed "), START_TIMEOUT);
            if (line.startsWith("failed ")) {
                throw new AssertionError(label + " failed to join: " + MemberProtocol.decode(line.substring(7))
                        + "\n" + process.tail(40));
            }
            return new MemberProcess(label, process, MemberProtocol.decode(line.substring("ready member=".length())));
        }
    }
}
