package io.seaport.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A tiny child main for the launcher's own tests: prints {@code started ARGS} and the system
 * property {@code kit.greeting}, then answers each stdin line with {@code echo LINE-IN-UPPER-CASE};
 * {@code err TEXT} goes to stderr; {@code exit CODE} exits with that code.
 */
final class LinesMain {
    private LinesMain() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println("started " + String.join(" ", args) + " greeting=" + System.getProperty("kit.greeting"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("exit ")) {
                System.exit(Integer.parseInt(line.substring(5)));
            } else if (line.startsWith("err ")) {
                System.err.println(line.substring(4));
            } else {
                System.out.println("echo " + line.toUpperCase(Locale.ROOT));
            }
        }
    }
}
