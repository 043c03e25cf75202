package dev.tokenledger.invoice;

import dev.tokenledger.money.PlainDecimal;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FOCUS row's quantity in plain units, blocks multiplied out. {@code ConsumedQuantity} is in
 * {@code ConsumedUnit}; a unit that names a block ({@code 1M Tokens}, {@code 1K tokens}, {@code 1000 Tokens},
 * {@code Million Tokens}) multiplies it (2.5 of {@code 1M Tokens} is 2,500,000 tokens). Without a consumed
 * quantity, {@code PricingQuantity} counts pricing blocks: times the block its {@code PricingUnit} names, else
 * {@code x_PricingBlockSize}. The unit is what remains of the unit text ({@code tokens} in lower case).
 */
final class FocusQuantity {

    /** An optional leading block size: a number with an optional K/M, or a word. */
    private static final Pattern BLOCK = Pattern.compile(
            "^\\s*(?:(\\d[\\d,]*)\\s*([KkMm])?\\b|(thousand|million))\\s*(.*)$", Pattern.CASE_INSENSITIVE);

    record Quantity(BigDecimal amount, String unit) {
    }

    private FocusQuantity() {
    }

    /** Null when the row gives no quantity; throws {@link PlainDecimal.Invalid} naming the column otherwise. */
    static Quantity of(String consumedQuantity, String consumedUnit, String pricingQuantity, String pricingUnit,
                       String pricingBlockSize) {
        if (!consumedQuantity.isEmpty()) {
            Block block = block(consumedUnit);
            BigDecimal q = PlainDecimal.parse("ConsumedQuantity", consumedQuantity, true);
            return new Quantity(Usd.quantity("ConsumedQuantity", q.multiply(block.size())), block.unit());
        }
        if (!pricingQuantity.isEmpty()) {
            Block block = block(pricingUnit);
            BigDecimal size = block.size();
            if (size.compareTo(BigDecimal.ONE) == 0 && !pricingBlockSize.isEmpty()) {
                size = PlainDecimal.parse("x_PricingBlockSize", pricingBlockSize, false);
            }
            BigDecimal q = PlainDecimal.parse("PricingQuantity", pricingQuantity, true);
            return new Quantity(Usd.quantity("PricingQuantity", q.multiply(size)), block.unit());
        }
        return null;
    }

    private record Block(BigDecimal size, String unit) {
    }

    private static Block block(String unitText) {
        if (unitText.isEmpty()) {
            return new Block(BigDecimal.ONE, null);
        }
        Matcher m = BLOCK.matcher(unitText);
        if (!m.matches()) {
            return new Block(BigDecimal.ONE, unitName(unitText));
        }
        BigDecimal size;
        if (m.group(3) != null) {
            size = m.group(3).equalsIgnoreCase("thousand") ? BigDecimal.valueOf(1_000) : BigDecimal.valueOf(1_000_000);
        } else {
            size = new BigDecimal(m.group(1).replace(",", ""));
            if (m.group(2) != null) {
                size = size.multiply(m.group(2).equalsIgnoreCase("k") ? BigDecimal.valueOf(1_000) : BigDecimal.valueOf(1_000_000));
            }
        }
        return new Block(size, m.group(4).isBlank() ? null : unitName(m.group(4)));
    }

    private static String unitName(String unit) {
        String u = unit.trim();
        return u.equalsIgnoreCase("tokens") || u.equalsIgnoreCase("token") ? "tokens" : u;
    }
}
