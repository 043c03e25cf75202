package dev.tokenledger.generator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A reason the provider's invoice differs from the cost tokenledger derives, planted on purpose in the invoices
 * {@link InvoiceSynthesizer} writes, so the reconcile stage has something known to find. Models are named as the
 * price book names them, with or without their date ({@code gpt-4o} matches {@code gpt-4o-2024-08-06}); providers
 * as {@code gen_ai.provider.name}. Days are UTC.
 */
public sealed interface PlantedCause {

    /** The reconcile stage's name for the cause: {@code stale_price}, {@code missing_events}, ... */
    String cause();

    String provider();

    /** A price change missing from the book: from {@code from} on, the model's uncached input costs {@code increase} more. */
    record StalePrice(String provider, String model, LocalDate from, BigDecimal increase) implements PlantedCause {
        public static final String NAME = "stale_price";

        public StalePrice {
            Objects.requireNonNull(from, "from");
            if (increase.signum() == 0) {
                throw new IllegalArgumentException("a stale price needs a non-zero increase");
            }
        }

        @Override
        public String cause() {
            return NAME;
        }
    }

    /**
     * An ingestion gap: every event of the model in [{@code from}, {@code until}) is withheld from the event output,
     * yet billed.
     */
    record MissingEvents(String provider, String model, Instant from, Instant until) implements PlantedCause {
        public static final String NAME = "missing_events";

        public MissingEvents {
            if (!from.isBefore(until)) {
                throw new IllegalArgumentException("the gap must end after it starts: " + from + " .. " + until);
            }
        }

        @Override
        public String cause() {
            return NAME;
        }
    }

    /**
     * The provider meters {@code share} of the model's cache-read tokens on the days {@code from}..{@code to}
     * (inclusive) as uncached input, at the uncached price; the model's token total is unchanged.
     */
    record CacheMisclassification(String provider, String model, LocalDate from, LocalDate to, BigDecimal share)
            implements PlantedCause {
        public static final String NAME = "cache_misclassification";

        public CacheMisclassification {
            if (to.isBefore(from) || share.signum() <= 0 || share.compareTo(BigDecimal.ONE) > 0) {
                throw new IllegalArgumentException("days " + from + ".." + to + " and share " + share + " in (0, 1] expected");
            }
        }

        @Override
        public String cause() {
            return NAME;
        }
    }

    /**
     * On the days {@code from}..{@code to} (inclusive), calls the gateway logs as {@code loggedModel} are billed as
     * {@code billedModel} (a model of the same provider the book holds), at its price.
     */
    record AliasRerouting(String provider, String loggedModel, String billedModel, LocalDate from, LocalDate to)
            implements PlantedCause {
        public static final String NAME = "alias_rerouting";

        public AliasRerouting {
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("days " + from + ".." + to + " are in the wrong order");
            }
        }

        @Override
        public String cause() {
            return NAME;
        }
    }

    /** Every cause's name, in the order {@code --plant} lists them. */
    List<String> NAMES = List.of(StalePrice.NAME, MissingEvents.NAME, CacheMisclassification.NAME, AliasRerouting.NAME);
}
