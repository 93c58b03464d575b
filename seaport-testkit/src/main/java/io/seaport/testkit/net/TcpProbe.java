package io.seaport.testkit.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A tiny TCP client and server run on a {@link TestHost} to check what reaches what.
 *
 * <ul>
 *   <li>{@code serve ADDRESS PORT}: answers every connection with one line {@code hello from
 *       ADDRESS}; prints {@code serving} once bound; runs until stdin ends or it is killed.</li>
 *   <li>{@code connect ADDRESS PORT TIMEOUT_MS}: prints {@code received LINE} with the first line
 *       the server sent, or {@code unreachable REASON}, then exits with 0.</li>
 * </ul>
 */
public final class TcpProbe {
    private TcpProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args {@code serve ADDRESS PORT} or {@code connect ADDRESS PORT TIMEOUT_MS}
     * @throws IOException if the server cannot bind or stdin cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("serve")) {
            serve(args[1], Integer.parseInt(args[2]));
        } else if (args.length == 4 && args[0].equals("connect")) {
            connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            throw new IllegalArgumentException("expected 'serve ADDRESS PORT' or 'connect ADDRESS PORT TIMEOUT_MS', was "
                    + String.join(" ", args));
        }
    }

    private static void serve(String address, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(address, port));
        Thread acceptor = new Thread(() -> answer(server, address), "probe-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("serving");
        System.out.flush();
        // Stays up until the test closes our stdin (or kills us).
        while (System.in.read() >= 0) {
            continue;
        }
        server.close();
    }

    private static void answer(ServerSocket server, String address) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                OutputStream out = socket.getOutputStream();
                out.write(("hello from " + address + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                System.err.println("probe server: " + e);
            }
        }
    }

    private static void connect(String address, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            System.out.println("received " + in.readLine());
        } catch (IOException e) {
            System.out.println("unreachable " + e);
        }
    }
}
