package dev.tokenledger.generator;

import dev.tokenledger.money.Money;
import java.time.LocalDate;
import java.util.Comparator;

/**
 * The true cost of one slice of generated traffic: every call the pipeline would price once (valid, first of its
 * request_id, in the month, on a model the book knows), priced by the cost engine against the book.
 *
 * @param billedModel  the event's billed model (response_model, else request_model)
 * @param bookModel    the price-book model it priced as
 * @param costClass    the cost engine's class: uncached_input, cache_read, cache_write, output, reasoning, fees
 * @param serviceTier  standard, flex or priority (batch calls: null)
 * @param quantity     tokens of the class (web search calls for fees)
 */
public record BillCell(String provider, LocalDate day, String billedModel, String bookModel, String costClass,
                       String serviceTier, boolean batch, Money cost, long quantity) {

    static final Comparator<BillCell> ORDER = Comparator.comparing(BillCell::provider).thenComparing(BillCell::day)
            .thenComparing(BillCell::billedModel).thenComparing(BillCell::costClass)
            .thenComparing(BillCell::serviceTier, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(BillCell::batch);
}
