package dev.tokenledger.validate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 timestamps, the form of {@code timestamp} in JSON usage events, to and from epoch
 * milliseconds. Parsing is by hand, without exceptions or regular expressions, because it runs for
 * every JSON event and a malformed one is ordinary bad input, not an error.
 */
public final class Rfc3339 {

    /** Returned by {@link #parseEpochMillis} for text that is not an RFC 3339 date-time. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int SHORTEST = "2026-11-02T10:15:30Z".length();

    private Rfc3339() {
    }

    /**
     * Epoch milliseconds of {@code 2026-11-02T10:15:30.123Z} or {@code 2026-11-02T12:15:30.123+02:00};
     * digits below the millisecond are truncated. Returns {@link #INVALID} for anything else,
     * including impossible dates (February 30) and leap seconds, which Java time cannot represent.
     */
    public static long parseEpochMillis(CharSequence s) {
        if (s == null || s.length() < SHORTEST) {
            return INVALID;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':' || s.charAt(16) != ':'
                || year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59
                || day > Month.of(month).length(Year.isLeap(year))) {
            return INVALID;
        }
        int i = 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int fractionDigits = i - start;
            if (fractionDigits == 0) {
                return INVALID;
            }
            for (int d = fractionDigits; d < 3; d++) {
                millis *= 10;
            }
        }
        int offsetSeconds = offsetSeconds(s, i);
        if (offsetSeconds == Integer.MIN_VALUE) {
            return INVALID;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * 86_400L + hour * 3_600L + minute * 60L + second - offsetSeconds;
        return epochSecond * 1_000L + millis;
    }

    /** {@code 2026-11-02T10:15:30.123Z}: UTC, always three fraction digits. */
    public static String format(Instant instant) {
        return UTC_MILLIS.format(instant);
    }

    /** Seconds east of UTC for {@code Z} or {@code ±hh:mm} filling the rest of the text; MIN_VALUE when malformed. */
    private static int offsetSeconds(CharSequence s, int i) {
        if (i >= s.length()) {
            return Integer.MIN_VALUE;
        }
        char c = s.charAt(i);
        if (c == 'Z' || c == 'z') {
            return i + 1 == s.length() ? 0 : Integer.MIN_VALUE;
        }
        if ((c != '+' && c != '-') || i + 6 != s.length() || s.charAt(i + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        int hours = digits(s, i + 1, 2);
        int minutes = digits(s, i + 4, 2);
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        int seconds = hours * 3_600 + minutes * 60;
        return c == '+' ? seconds : -seconds;
    }

    /** The number written by {@code count} digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(CharSequence s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
