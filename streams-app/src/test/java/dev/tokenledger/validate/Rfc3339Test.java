package dev.tokenledger.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

    @ParameterizedTest
    @CsvSource({
            "2026-11-02T10:15:30.123Z,      2026-11-02T10:15:30.123Z",
            "2026-11-02T10:15:30Z,          2026-11-02T10:15:30Z",
            "2026-11-02T12:15:30.123+02:00, 2026-11-02T10:15:30.123Z",
            "2026-11-02T05:45:30.5-04:30,   2026-11-02T10:15:30.500Z",
            "2026-11-02t10:15:30.12z,       2026-11-02T10:15:30.120Z",
            "2026-11-02T10:15:30.123999999Z, 2026-11-02T10:15:30.123Z",
            "2024-02-29T00:00:00Z,          2024-02-29T00:00:00Z",
            "2026-01-01T00:30:00+01:00,     2025-12-31T23:30:00Z",
            "1969-12-31T23:59:59.999Z,      1969-12-31T23:59:59.999Z"})
    void shouldParseRfc3339WithAnyOffsetToEpochMillis(String text, String expected) {
        assertThat(Rfc3339.parseEpochMillis(text)).isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026-11-02", "2026-11-02T10:15:30", "2026-11-02 10:15:30Z", "2026-11-02T10:15:30.Z",
            "2026-02-29T10:15:30Z", "2026-04-31T10:15:30Z", "2026-13-02T10:15:30Z", "2026-00-02T10:15:30Z",
            "2026-11-02T24:00:00Z", "2026-11-02T10:60:00Z", "2026-12-31T23:59:60Z", "2026-11-02T10:15:30+2:00",
            "2026-11-02T10:15:30+24:00", "2026-11-02T10:15:30+02:60", "2026-11-02T10:15:30+0200",
            "2026-11-02T10:15:30Zjunk", "2026-11-02T10:15:30.123", "+2026-11-02T10:15:30Z", "2026/11/02T10:15:30Z",
            "1793700930123"})
    void shouldRejectWhatIsNotAnRfc3339DateTime(String text) {
        assertThat(Rfc3339.parseEpochMillis(text)).isEqualTo(Rfc3339.INVALID);
    }

    @Test
    void shouldFormatInUtcWithMilliseconds() {
        assertThat(Rfc3339.format(Instant.parse("2026-11-02T10:15:30Z"))).isEqualTo("2026-11-02T10:15:30.000Z");
        assertThat(Rfc3339.format(Instant.parse("2026-11-02T10:15:30.1Z"))).isEqualTo("2026-11-02T10:15:30.100Z");
    }

    @Property
    void shouldAgreeWithJavaTimeForAnyInstantAndOffset(
            @ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_999L) long epochMillis,
            @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int offsetMinutes) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
        OffsetDateTime local = Instant.ofEpochMilli(epochMillis).atOffset(offset);
        if (local.getYear() < 0 || local.getYear() > 9999) {
            return; // RFC 3339 years have four digits
        }
        String text = local.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        assertThat(Rfc3339.parseEpochMillis(text)).as(text).isEqualTo(epochMillis);
    }

    @Property
    void shouldReadBackWhatItFormats(@ForAll @LongRange(min = 0, max = 253_402_300_799_999L) long epochMillis) {
        assertThat(Rfc3339.parseEpochMillis(Rfc3339.format(Instant.ofEpochMilli(epochMillis)))).isEqualTo(epochMillis);
    }
}
