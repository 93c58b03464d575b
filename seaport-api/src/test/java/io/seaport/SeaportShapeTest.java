package io.seaport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two starter shapes of API.md compile as lambdas, reach the right overload, and may throw checked exceptions. */
final class SeaportShapeTest {
    private final List<Object> starters = new ArrayList<>();

    /** A Seaport that only records the starter it is given: this test is about the Java shapes. */
    private final Seaport seaport = (Seaport) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Seaport.class}, (proxy, method, args) -> {
                if (method.getName().equals("service")) {
                    starters.add(args[1]);
                }
                return null;
            });

    @Test
    void service_oneArgumentLambda_isAPortStarterThatMayThrowCheckedExceptions() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            seaport.service("http@1.0", port -> server.bind(new InetSocketAddress("127.0.0.1", port), 0));

            assertThat(starters).singleElement().isInstanceOf(PortStarter.class);
            ((PortStarter) starters.get(0)).start(0);
            assertThat(server.isBound()).isTrue();
        }
    }

    @Test
    void service_twoArgumentLambda_isAReadyStarter() throws Exception {
        List<Integer> readyPorts = new ArrayList<>();

        seaport.service("http@1.0", (port, ready) -> {
            readyPorts.add(port);
            ready.run();
        });

        assertThat(starters).singleElement().isInstanceOf(ReadyStarter.class);
        ((ReadyStarter) starters.get(0)).start(4242, () -> readyPorts.add(-1));
        assertThat(readyPorts).containsExactly(4242, -1);
    }

    @Test
    void portStarter_checkedException_propagatesToTheCaller() {
        PortStarter failing = port -> {
            throw new IOException("port " + port + " in use");
        };

        assertThatThrownBy(() -> failing.start(80)).isInstanceOf(IOException.class).hasMessage("port 80 in use");
    }
}
