package io.seaport.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Client-side helpers for proxy tests: loopback sockets with generous read timeouts. */
final class Clients {
    /** How long a test read may block before the test fails instead of hanging. */
    static final int READ_TIMEOUT_MILLIS = 30_000;

    private Clients() {
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Reads one line ending in {@code \n}, byte by byte so that nothing after it is consumed. */
    static String readLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    static byte[] readExactly(Socket socket, int size) throws IOException {
        return socket.getInputStream().readNBytes(size);
    }

    /** Sends {@code data}, shuts down output, and returns everything read until end of stream. */
    static byte[] echoWithHalfClose(Socket socket, byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        socket.shutdownOutput();
        return socket.getInputStream().readAllBytes();
    }

    /** Returns a loopback port that nothing listens on right now. */
    static int unusedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Returns whether {@code port} can be listened on, that is nothing holds it. */
    static boolean portIsFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Describes where two arrays first differ, for assertion messages about large payloads. */
    static String mismatch(byte[] expected, byte[] actual) {
        int at = Arrays.mismatch(expected, actual);
        return at < 0 ? "equal" : "expected " + expected.length + " bytes, got " + actual.length
                + ", first difference at byte " + at;
    }
}
