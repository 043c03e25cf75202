package dev.tokenledger.invoice;

import dev.tokenledger.avro.InvoiceLine;
import dev.tokenledger.money.Money;
import java.math.BigDecimal;
import java.util.List;
import java.util.SortedMap;

/**
 * The lines of one valid invoice file, in file order.
 *
 * @param skippedServices FOCUS rows of services that are not LLM services, counted by ServiceName (empty otherwise)
 */
public record InvoiceFile(String fileName, InvoiceFormat format, List<InvoiceLine> lines,
                          SortedMap<String, Integer> skippedServices) {

    public InvoiceFile {
        lines = List.copyOf(lines);
    }

    /** The sum of the lines' amounts, exact: what the file bills for the services it was read for. */
    public BigDecimal totalUsd() {
        Money total = Money.ZERO;
        for (InvoiceLine line : lines) {
            total = total.plus(Money.of(line.getAmountUsd()));
        }
        return total.toBigDecimal();
    }
}
