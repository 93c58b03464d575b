package io.seaport.proxy.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one selector thread, taken only while bytes are in flight so that an idle
 * connection holds none. Used by its own thread only, hence no locking. Keeps at most
 * {@code maxIdle} buffers; more are allocated when needed and left to the collector.
 */
final class BufferPool {
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private final int size;
    private final int maxIdle;

    BufferPool(int size, int maxIdle) {
        this.size = size;
        this.maxIdle = maxIdle;
    }

    ByteBuffer take() {
        ByteBuffer buffer = idle.pollFirst();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(size);
    }

    void release(ByteBuffer buffer) {
        if (idle.size() < maxIdle) {
            buffer.clear();
            idle.addFirst(buffer); // most recently used first: likely still in cache
        }
    }
}
