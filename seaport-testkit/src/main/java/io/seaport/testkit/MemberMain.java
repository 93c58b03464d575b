package io.seaport.testkit;

import io.seaport.Health;
import io.seaport.HealthCheck;
import io.seaport.Registration;
import io.seaport.Seaport;
import io.seaport.Service;
import io.seaport.ServiceEvent;
import io.seaport.Subscription;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Seaport member in a JVM of its own, driven by line commands on stdin and answering on stdout;
 * logs go to stderr. Launch it with {@link MemberProcess}, or directly with {@link JavaProcess}.
 *
 * <p>Arguments: {@code --cluster NAME} (required), {@code --bind-port PORT}, {@code --peers
 * HOST:PORT[,HOST:PORT...]}, {@code --env NAME}, {@code --port-range FROM-TO}, {@code --bind
 * ADDRESS}, {@code --host ADDRESS}, {@code --config STACK}. After joining it prints
 * {@code ready member=NAME}; a failed join prints {@code failed MESSAGE} and exits with 1.
 *
 * <p>Commands, one per line (words as in {@link MemberProtocol}; SVC is a service word; N is a
 * number this member hands out). Each command gets exactly one answer, {@code ok VERB ...} or
 * {@code error VERB MESSAGE}, in the order the commands were sent:
 * <table>
 * <caption>Commands</caption>
 * <tr><th>command</th><th>answer, then later lines</th></tr>
 * <tr><td>{@code ping}</td><td>{@code ok ping}</td></tr>
 * <tr><td>{@code service ROLE http BODY}</td><td>{@code ok service SVC}: an HTTP server answering BODY
 *     on the allocated port ({@code {port}} in BODY is replaced by the port)</td></tr>
 * <tr><td>{@code service ROLE echo}</td><td>{@code ok service SVC}: a TCP echo server</td></tr>
 * <tr><td>{@code service-many ROLE COUNT echo|http [BODY]}</td><td>{@code ok service-many SVC...}:
 *     COUNT services started by concurrent {@code service()} calls (8 threads at most)</td></tr>
 * <tr><td>{@code service ROLE tagged TAG}</td><td>{@code ok service SVC}: a TCP server that writes
 *     TAG and a newline, then echoes</td></tr>
 * <tr><td>{@code service-checked ROLE BODY MILLIS}</td><td>{@code ok service-checked SVC}: an HTTP
 *     service whose {@code /health} answers 200 or 503 as its switch says (on at first), with
 *     {@code HealthCheck.http("/health", MILLIS)}</td></tr>
 * <tr><td>{@code health-endpoint ID up|down}</td><td>{@code ok health-endpoint ID}: flips the switch</td></tr>
 * <tr><td>{@code health ID PASSING|FAILING|DRAINING}</td><td>{@code ok health ID}: {@code Registration.health}</td></tr>
 * <tr><td>{@code drain ID MILLIS}</td><td>{@code ok drain ID} at once, then {@code drained ID}
 *     when {@code Registration.drain} returned</td></tr>
 * <tr><td>{@code register ROLE PORT [KEY=VALUE...]}</td><td>{@code ok register SVC}</td></tr>
 * <tr><td>{@code free ID}</td><td>{@code ok free ID}: closes the registration (and its server)</td></tr>
 * <tr><td>{@code query RANGE}</td><td>{@code ok query COUNT SVC...}</td></tr>
 * <tr><td>{@code query-env ENV RANGE}</td><td>{@code ok query-env COUNT SVC...}</td></tr>
 * <tr><td>{@code services [ENV]}</td><td>{@code ok services COUNT SVC...}: every service of the
 *     member's environment (or of ENV), whatever its role</td></tr>
 * <tr><td>{@code environment}</td><td>{@code ok environment ENV}: the member's environment</td></tr>
 * <tr><td>{@code get RANGE}</td><td>{@code ok get N}, then {@code got N SVC...} when the future
 *     completes ({@code get-failed N MESSAGE} if it fails)</td></tr>
 * <tr><td>{@code fetch RANGE [PATH]}</td><td>{@code ok fetch N}, then, once {@code get(RANGE)}
 *     completes and an HTTP GET to the first match returns, {@code fetched N STATUS BODY ADDRESS}
 *     (body URL-encoded), or {@code fetch-failed N MESSAGE}</td></tr>
 * <tr><td>{@code watch RANGE}</td><td>{@code ok watch N}, then {@code event N registered SVC} and
 *     {@code event N freed FREED|MEMBER_LEFT SVC} for each event</td></tr>
 * <tr><td>{@code unwatch N}</td><td>{@code ok unwatch N}</td></tr>
 * <tr><td>{@code close}</td><td>{@code ok close}: closes the Seaport (and the servers); the JVM
 *     stays up</td></tr>
 * <tr><td>{@code exit}</td><td>{@code ok exit}, then the JVM closes everything and exits with 0;
 *     end of stdin does the same</td></tr>
 * </table>
 */
public final class MemberMain {
    private static final Logger LOG = LoggerFactory.getLogger(MemberMain.class);

    private final PrintStream out;
    private final Seaport seaport;
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> healthSwitches = new ConcurrentHashMap<>();
    private final Map<String, Closeable> servers = new ConcurrentHashMap<>();
    private final Map<Integer, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger handles = new AtomicInteger();
    private final ExecutorService fetchers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "member-fetch");
        thread.setDaemon(true);
        return thread;
    });

    private MemberMain(PrintStream out, Seaport seaport) {
        this.out = out;
        this.seaport = seaport;
    }

    /**
     * Runs the member until {@code exit} or the end of stdin.
     *
     * @param args the options described in the class comment
     * @throws IOException if stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Seaport seaport;
        try {
            seaport = builder(args).join();
        } catch (RuntimeException e) {
            LOG.error("join failed", e);
            out.println("failed " + MemberProtocol.encode(String.valueOf(e)));
            System.exit(1);
            return;
        }
        MemberMain member = new MemberMain(out, seaport);
        out.println("ready member=" + MemberProtocol.encode(seaport.member()));
        member.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        System.exit(0);
    }

    static Seaport.Builder builder(String[] args) {
        Seaport.Builder builder = Seaport.builder();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--cluster" -> builder.cluster(value);
                case "--bind-port" -> builder.bindPort(Integer.parseInt(value));
                case "--peers" -> builder.peers(value.split(","));
                case "--env" -> builder.environment(value);
                case "--bind" -> builder.bindAddress(value);
                case "--host" -> builder.host(value);
                case "--config" -> builder.config(value);
                case "--port-range" -> {
                    String[] bounds = value.split("-");
                    if (bounds.length != 2) {
                        throw new IllegalArgumentException("--port-range must be FROM-TO, was '" + value + "'");
                    }
                    builder.portRange(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
                }
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return builder;
    }

    private void run(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            List<String> words;
            try {
                words = MemberProtocol.words(line);
            } catch (IllegalArgumentException e) {
                out.println("error parse " + MemberProtocol.encode(e.getMessage()));
                continue;
            }
            if (words.isEmpty()) {
                continue;
            }
            String verb = words.get(0);
            try {
                if (verb.equals("exit")) {
                    out.println("ok exit");
                    break;
                }
                out.println("ok " + verb + execute(verb, words.subList(1, words.size())));
            } catch (Exception e) {
                LOG.warn("command failed: {}", line, e);
                out.println("error " + verb + " " + MemberProtocol.encode(String.valueOf(e)));
            }
        }
        closeAll();
    }

    /** Returns the rest of the answer line, starting with a blank when not empty. */
    private String execute(String verb, List<String> args) throws Exception {
        switch (verb) {
            case "ping":
                return "";
            case "service":
                return " " + MemberProtocol.encode(service(arg(args, 0), arg(args, 1), args.size() > 2 ? args.get(2) : ""));
            case "service-many":
                return serviceMany(arg(args, 0), Integer.parseInt(arg(args, 1)), arg(args, 2),
                        args.size() > 3 ? args.get(3) : "");
            case "register":
                return " " + MemberProtocol.encode(register(args));
            case "free":
                free(arg(args, 0));
                return " " + arg(args, 0);
            case "query":
                return services(seaport.query(arg(args, 0)));
            case "query-env":
                return services(seaport.query(arg(args, 0), arg(args, 1)));
            case "services":
                return services(args.isEmpty() ? seaport.services() : seaport.services(arg(args, 0)));
            case "environment":
                return " " + MemberProtocol.encode(seaport.environment());
            case "get":
                return " " + get(arg(args, 0));
            case "fetch":
                return " " + fetch(arg(args, 0), args.size() > 1 ? args.get(1) : "/");
            case "watch":
                return " " + watch(arg(args, 0));
            case "unwatch":
                Subscription subscription = subscriptions.remove(Integer.parseInt(arg(args, 0)));
                if (subscription == null) {
                    throw new IllegalArgumentException("no watch " + arg(args, 0));
                }
                subscription.close();
                return " " + arg(args, 0);
            case "service-checked":
                return " " + MemberProtocol.encode(serviceChecked(arg(args, 0), arg(args, 1),
                        Duration.ofMillis(Long.parseLong(arg(args, 2)))));
            case "health-endpoint":
                healthEndpoint(arg(args, 0)).set(arg(args, 1).equals("up"));
                return " " + arg(args, 0);
            case "health":
                registration(arg(args, 0)).health(Health.valueOf(arg(args, 1)));
                return " " + arg(args, 0);
            case "drain":
                drain(arg(args, 0), Duration.ofMillis(Long.parseLong(arg(args, 1))));
                return " " + arg(args, 0);
            case "close":
                closeSeaport();
                return "";
            default:
                throw new IllegalArgumentException("unknown command '" + verb + "'");
        }
    }

    private static String arg(List<String> args, int index) {
        if (index >= args.size()) {
            throw new IllegalArgumentException("missing argument " + (index + 1) + " in " + args);
        }
        return args.get(index);
    }

    private Service service(String role, String kind, String body) {
        Closeable[] server = new Closeable[1];
        Registration registration = switch (kind) {
            case "http" -> seaport.service(role,
                    port -> server[0] = MemberServers.http(port, body.replace("{port}", Integer.toString(port))));
            case "echo" -> seaport.service(role, port -> server[0] = MemberServers.echo(port));
            case "tagged" -> seaport.service(role, port -> server[0] = MemberServers.tagged(port, body));
            default -> throw new IllegalArgumentException("service kind must be http, echo or tagged, was '"
                    + kind + "'");
        };
        Service service = registration.service();
        registrations.put(service.id(), registration);
        servers.put(service.id(), server[0]);
        return service;
    }

    /** Starts an HTTP service whose {@code /health} answers as its switch says, checked over HTTP. */
    private Service serviceChecked(String role, String body, Duration interval) {
        AtomicBoolean healthy = new AtomicBoolean(true);
        Closeable[] server = new Closeable[1];
        Registration registration = seaport.service(role, port -> server[0] = MemberServers.httpWithHealth(port,
                body.replace("{port}", Integer.toString(port)), healthy));
        registration.check(HealthCheck.http("/health", interval));
        Service service = registration.service();
        registrations.put(service.id(), registration);
        servers.put(service.id(), server[0]);
        healthSwitches.put(service.id(), healthy);
        return service;
    }

    private AtomicBoolean healthEndpoint(String id) {
        AtomicBoolean healthy = healthSwitches.get(id);
        if (healthy == null) {
            throw new IllegalArgumentException("no checked service with id '" + id + "' on this member");
        }
        return healthy;
    }

    private Registration registration(String id) {
        Registration registration = registrations.get(id);
        if (registration == null) {
            throw new IllegalArgumentException("no registration with id '" + id + "' on this member");
        }
        return registration;
    }

    /** Drains a registration on a thread of its own: the command answers at once, the free comes later. */
    private void drain(String id, Duration period) {
        Registration registration = registration(id);
        Thread drainer = new Thread(() -> {
            registration.drain(period);
            out.println("drained " + id);
        }, "drain-" + id);
        drainer.setDaemon(true);
        drainer.start();
    }

    private String serviceMany(String role, int count, String kind, String body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(count, 8)));
        try {
            List<Future<Service>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> service(role, kind, body)));
            }
            List<Service> started = new ArrayList<>();
            for (Future<Service> future : futures) {
                started.add(future.get());
            }
            return serviceWords(started);
        } finally {
            pool.shutdown();
        }
    }

    private Service register(List<String> args) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String pair : args.subList(Math.min(2, args.size()), args.size())) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("metadata must be KEY=VALUE, was '" + pair + "'");
            }
            metadata.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Registration registration = seaport.register(arg(args, 0), Integer.parseInt(arg(args, 1)), metadata);
        registrations.put(registration.service().id(), registration);
        return registration.service();
    }

    private void free(String id) throws IOException {
        Registration registration = registrations.remove(id);
        if (registration == null) {
            throw new IllegalArgumentException("no registration with id '" + id + "' on this member");
        }
        registration.close();
        Closeable server = servers.remove(id);
        if (server != null) {
            server.close();
        }
    }

    private int get(String range) {
        int handle = handles.incrementAndGet();
        seaport.get(range).whenComplete((services, failure) -> {
            if (failure != null) {
                out.println("get-failed " + handle + " " + MemberProtocol.encode(String.valueOf(failure)));
            } else {
                out.println("got " + handle + serviceWords(services));
            }
        });
        return handle;
    }

    private int fetch(String range, String path) {
        int handle = handles.incrementAndGet();
        seaport.get(range).thenApplyAsync(services -> httpGet(services.get(0), path), fetchers)
                .whenComplete((answer, failure) -> {
                    if (failure != null) {
                        LOG.warn("fetch {} failed", range, failure);
                        out.println("fetch-failed " + handle + " " + MemberProtocol.encode(String.valueOf(failure)));
                    } else {
                        out.println("fetched " + handle + " " + answer);
                    }
                });
        return handle;
    }

    private static String httpGet(Service service, String path) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create("http://" + service.address() + path).toURL().openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(10_000);
            try {
                int status = connection.getResponseCode();
                byte[] body = (status < 400 ? connection.getInputStream() : connection.getErrorStream()).readAllBytes();
                return status + " " + MemberProtocol.encode(new String(body, StandardCharsets.UTF_8)) + " "
                        + MemberProtocol.encode(service.address());
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new CompletionFailure("HTTP GET " + service.address() + path + " failed", e);
        }
    }

    private int watch(String range) {
        int handle = handles.incrementAndGet();
        Subscription subscription = seaport.watch(range, event -> out.println("event " + handle + " " + event(event)));
        subscriptions.put(handle, subscription);
        return handle;
    }

    private static String event(ServiceEvent event) {
        if (event instanceof ServiceEvent.Freed freed) {
            return "freed " + freed.reason() + " " + MemberProtocol.encode(freed.service());
        }
        if (event instanceof ServiceEvent.HealthChanged changed) {
            return "health " + changed.previous() + " " + MemberProtocol.encode(changed.service());
        }
        return "registered " + MemberProtocol.encode(event.service());
    }

    private static String services(List<Service> services) {
        return " " + services.size() + serviceWords(services);
    }

    private static String serviceWords(List<Service> services) {
        StringBuilder text = new StringBuilder();
        services.forEach(s -> text.append(' ').append(MemberProtocol.encode(s)));
        return text.toString();
    }

    private void closeSeaport() {
        seaport.close();
        closeServers();
    }

    private void closeServers() {
        for (Map.Entry<String, Closeable> server : servers.entrySet()) {
            try {
                server.getValue().close();
            } catch (IOException e) {
                LOG.warn("closing the server of {} failed", server.getKey(), e);
            }
        }
        servers.clear();
    }

    private void closeAll() {
        seaport.close();
        closeServers();
        fetchers.shutdownNow();
    }

    /** An HTTP failure inside a future chain, with its cause kept. */
    private static final class CompletionFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CompletionFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
