package io.seaport.jgroups.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The HTTP probe of health checks (TCP probes run on {@link TcpProber}). Stateless and thread-safe. */
final class Probes {
    private static final int MAX_STATUS_LINE = 256;

    private Probes() {
    }

    /**
     * Sends {@code GET path} over HTTP/1.1 to {@code host:port} and returns the status code; a
     * plain socket rather than an HTTP client, because a thousand checks a second should cost
     * one connection each and no client threads.
     */
    static int httpStatus(String host, int port, String path, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            String authority = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: seaport-health\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            while (line.length() < MAX_STATUS_LINE) {
                int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
                socket.setSoTimeout(left);
                int c = in.read();
                if (c < 0 || c == '\n') {
                    break;
                }
                line.append((char) c);
            }
            String status = line.toString().strip();
            // "HTTP/1.1 200 OK"
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP response: '" + status + "'");
            }
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status line: '" + status + "'", e);
            }
        }
    }
}
