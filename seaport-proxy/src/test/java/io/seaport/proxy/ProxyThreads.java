package io.seaport.proxy;

import java.util.List;
import java.util.stream.Collectors;

/** Finds the proxy's threads, for leak checks in teardown. */
final class ProxyThreads {
    private ProxyThreads() {
    }

    static List<String> alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("seaport-proxy-"))
                .sorted()
                .collect(Collectors.toList());
    }
}
