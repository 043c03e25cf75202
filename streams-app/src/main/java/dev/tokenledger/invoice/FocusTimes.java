package dev.tokenledger.invoice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * FOCUS date-times: UTC by the specification. Read as exported: with an offset ({@code 2026-10-01T00:00:00Z}),
 * without one ({@code 2026-10-01T00:00:00}, {@code 2026-10-01 00:00:00}, taken as UTC), or a bare date.
 */
final class FocusTimes {

    private FocusTimes() {
    }

    /** The instant, or null when the text is none of those forms. */
    static Instant parse(String text) {
        String t = text.trim().replace(' ', 'T');
        if (t.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }
}
