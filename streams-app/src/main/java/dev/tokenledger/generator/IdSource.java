package dev.tokenledger.generator;

/**
 * Deterministic unique ids: a counter, offset by a seed-derived salt, through a bijective 64-bit
 * mixer. Distinct counter values can never collide, and the ids look random like real gateway ids.
 */
final class IdSource {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long salt;
    private long counter;

    IdSource(long seed, long stream) {
        this.salt = mix(seed ^ mix(stream));
    }

    String next(String prefix) {
        return format(prefix, mix(salt + counter++));
    }

    /** The splitmix64 finalizer: xor-shifts and odd multipliers, each invertible, so the whole is a bijection. */
    static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static String format(String prefix, long value) {
        int length = prefix.length();
        char[] chars = new char[length + 16];
        prefix.getChars(0, length, chars, 0);
        for (int i = chars.length - 1; i >= length; i--) {
            chars[i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        return new String(chars);
    }
}
