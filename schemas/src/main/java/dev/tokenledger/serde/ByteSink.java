package dev.tokenledger.serde;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable, unsynchronized byte buffer that starts after a reserved header, so one record is
 * encoded without copying through a {@code ByteArrayOutputStream}. Reused per thread.
 */
final class ByteSink extends OutputStream {

    private byte[] buffer = new byte[512];
    private int size;

    /** Empties the buffer, keeping {@code reserved} leading bytes for the header. */
    void reset(int reserved) {
        size = reserved;
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
