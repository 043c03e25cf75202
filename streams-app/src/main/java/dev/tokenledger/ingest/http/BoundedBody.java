package dev.tokenledger.ingest.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body without ever holding more than the limit: a declared {@code Content-Length}
 * beyond it is refused before reading, a body without one is read until it passes the limit, and a
 * gzip body is bounded after decoding too (a small compressed body can inflate to gigabytes).
 */
final class BoundedBody {

    /** The body passed the limit; {@code prefix} is what was read of it (for the dead letter). */
    static final class TooLarge extends Exception {
        final byte[] prefix;

        TooLarge(String message, byte[] prefix) {
            super(message);
            this.prefix = prefix;
        }
    }

    /** A {@code Content-Encoding} other than gzip or identity, or a gzip body that is not gzip. */
    static final class BadEncoding extends Exception {
        BadEncoding(String message) {
            super(message);
        }
    }

    private static final int PREFIX_BYTES = 1024;

    private BoundedBody() {
    }

    static byte[] read(InputStream raw, String contentLength, String contentEncoding, int limit)
            throws IOException, TooLarge, BadEncoding {
        if (contentLength != null) {
            long declared;
            try {
                declared = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > limit) {
                throw new TooLarge("Content-Length " + declared + " exceeds the limit of " + limit + " bytes", new byte[0]);
            }
        }
        String encoding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        switch (encoding) {
            case "", "identity" -> {
                return upTo(raw, limit, "body");
            }
            case "gzip", "x-gzip" -> {
                byte[] compressed = upTo(raw, limit, "compressed body");
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
                    return upTo(in, limit, "decompressed body");
                } catch (ZipException | EOFException e) {
                    throw new BadEncoding("Content-Encoding gzip but the body is not gzip: " + e.getMessage());
                }
            }
            default -> throw new BadEncoding("Content-Encoding " + contentEncoding + " is not supported; send gzip or none");
        }
    }

    private static byte[] upTo(InputStream in, int limit, String what) throws IOException, TooLarge {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (out.size() + n > limit) {
                out.write(buffer, 0, Math.min(n, PREFIX_BYTES));
                byte[] read = out.toByteArray();
                throw new TooLarge("the " + what + " exceeds the limit of " + limit + " bytes",
                        Arrays.copyOf(read, Math.min(read.length, PREFIX_BYTES)));
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
