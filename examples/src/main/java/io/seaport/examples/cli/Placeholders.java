package io.seaport.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Puts the allocated port into a command: {@code {port}} in its arguments and its environment. */
final class Placeholders {
    static final String PORT = "{port}";

    private Placeholders() {
    }

    /** Returns {@code command} with every {@code {port}} replaced by the port. */
    static List<String> command(List<String> command, int port) {
        List<String> out = new ArrayList<>(command.size());
        for (String arg : command) {
            out.add(arg.replace(PORT, Integer.toString(port)));
        }
        return out;
    }

    /** Adds {@code PORT}, {@code SEAPORT_PORT} and {@code SEAPORT_ROLE} to a child's environment. */
    static void environment(Map<String, String> environment, int port, String role) {
        environment.put("PORT", Integer.toString(port));
        environment.put("SEAPORT_PORT", Integer.toString(port));
        environment.put("SEAPORT_ROLE", role);
    }
}
