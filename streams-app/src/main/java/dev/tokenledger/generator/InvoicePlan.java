package dev.tokenledger.generator;

import dev.tokenledger.generator.PlantedCause.AliasRerouting;
import dev.tokenledger.generator.PlantedCause.CacheMisclassification;
import dev.tokenledger.generator.PlantedCause.MissingEvents;
import dev.tokenledger.generator.PlantedCause.StalePrice;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which causes {@link InvoiceSynthesizer} plants in the invoices, at most one of each kind. Without any, the invoices
 * bill exactly the derived cost, rounded per line as each provider rounds.
 */
public record InvoicePlan(List<PlantedCause> causes) {

    public InvoicePlan {
        causes = List.copyOf(causes);
        Set<String> kinds = new LinkedHashSet<>();
        for (PlantedCause c : causes) {
            if (!kinds.add(c.cause())) {
                throw new IllegalArgumentException("at most one " + c.cause() + " per plan");
            }
        }
    }

    public static InvoicePlan none() {
        return new InvoicePlan(List.of());
    }

    /** The demo month's causes: see {@link #defaults(LocalDate, LocalDate)}. */
    public static InvoicePlan defaults(YearMonth month) {
        return defaults(month.atDay(1), month.atEndOfMonth());
    }

    /**
     * The four demo causes, placed across the days {@code first}..{@code last} as they fall in a 31-day month (all on
     * the one day for a one-day span, as the demo plays):
     * <ul>
     *   <li>{@code stale_price}: from day 15, OpenAI bills gpt-4o's uncached input 20% above the book;</li>
     *   <li>{@code missing_events}: claude-sonnet-4-5's events of day 9, 06:00 to 12:00 UTC, never reach the pipeline;</li>
     *   <li>{@code cache_misclassification}: on days 20 to 22, Anthropic bills 30% of claude-haiku-4-5's cache reads
     *       as uncached input;</li>
     *   <li>{@code alias_rerouting}: from day 25 on, the gpt-5-mini calls are billed as gpt-5-nano-2025-08-07.</li>
     * </ul>
     */
    public static InvoicePlan defaults(LocalDate first, LocalDate last) {
        long days = ChronoUnit.DAYS.between(first, last) + 1;
        if (days < 1) {
            throw new IllegalArgumentException("last day " + last + " is before the first " + first);
        }
        LocalDate gapDay = first.plusDays(days * 8 / 31);
        LocalDate misclassified = first.plusDays(days * 19 / 31);
        return new InvoicePlan(List.of(
                new StalePrice("openai", "gpt-4o", first.plusDays(days * 14 / 31), new BigDecimal("0.20")),
                new MissingEvents("anthropic", "claude-sonnet-4-5",
                        gapDay.atTime(6, 0).toInstant(ZoneOffset.UTC), gapDay.atTime(12, 0).toInstant(ZoneOffset.UTC)),
                new CacheMisclassification("anthropic", "claude-haiku-4-5", misclassified,
                        min(misclassified.plusDays(Math.max(1, days * 3 / 31) - 1), last), new BigDecimal("0.30")),
                new AliasRerouting("openai", "gpt-5-mini", "gpt-5-nano-2025-08-07", first.plusDays(days * 24 / 31), last)));
    }

    /**
     * The causes a {@code --plant} value names: {@code none}, {@code all}, or a comma-separated list of cause names,
     * taken from {@code all}.
     */
    public static InvoicePlan select(String spec, InvoicePlan all) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("none")) {
            return none();
        }
        if (s.equals("all")) {
            return all;
        }
        List<PlantedCause> chosen = new ArrayList<>();
        for (String name : s.split(",")) {
            String n = name.trim();
            if (!PlantedCause.NAMES.contains(n)) {
                throw new IllegalArgumentException("unknown cause '" + n + "': use none, all or some of "
                        + String.join(",", PlantedCause.NAMES));
            }
            all.find(n).filter(c -> !chosen.contains(c)).ifPresent(chosen::add);
        }
        return new InvoicePlan(chosen);
    }

    /** The planted cause of that name, if the plan has one. */
    public Optional<PlantedCause> find(String cause) {
        return causes.stream().filter(c -> c.cause().equals(cause)).findFirst();
    }

    <T extends PlantedCause> Optional<T> find(Class<T> kind) {
        return causes.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
