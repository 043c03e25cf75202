package dev.tokenledger.invoice;

import dev.tokenledger.avro.ChargeClass;
import dev.tokenledger.csv.CsvLineError;
import dev.tokenledger.csv.CsvTable;
import dev.tokenledger.money.PlainDecimal;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * FOCUS 1.2 CSV as the clouds export it. {@code BilledCost} is the amount (it ties out to the invoice),
 * {@code EffectiveCost} is kept beside it; the UTC day is {@code ChargePeriodStart}'s. Rows of services
 * that are not an LLM service tokenledger reads (EC2 in the same export) are skipped and counted, never
 * read as LLM cost. Every other row becomes a line: credits are negative rows and, like tax, adjustments and
 * purchases, class {@code other} (they are not token usage); commitment-covered rows bill 0 and are kept.
 */
final class FocusCsv {

    static final List<String> REQUIRED = List.of("BilledCost", "BillingCurrency", "ChargePeriodStart", "ChargeCategory",
            "ServiceName");
    static final List<String> OPTIONAL = List.of("EffectiveCost", "ProviderName", "SkuMeter", "x_SkuMeterName",
            "x_UsageType", "ConsumedQuantity", "ConsumedUnit", "PricingQuantity", "PricingUnit", "x_PricingBlockSize",
            "SubAccountId", "ResourceId");
    private static final Set<String> CATEGORIES = Set.of("Usage", "Purchase", "Tax", "Credit", "Adjustment");

    /** The lines, and the rows of other services left out, counted by ServiceName. */
    record Result(List<Charge> charges, SortedMap<String, Integer> skippedServices) {
    }

    private FocusCsv() {
    }

    /** Whether a text's first line is a FOCUS header. */
    static boolean looksLike(String text) {
        int end = text.indexOf('\n');
        String header = (end < 0 ? text : text.substring(0, end)).toLowerCase(Locale.ROOT);
        return header.contains("billedcost") && header.contains("chargeperiodstart");
    }

    static Result read(String text, Problems problems) {
        CsvTable.Rows table = CsvTable.readWithHeader(text, REQUIRED, OPTIONAL);
        for (CsvLineError e : table.errors()) {
            problems.atLine(e.line(), e.detail());
        }
        List<Charge> charges = new ArrayList<>();
        SortedMap<String, Integer> skipped = new TreeMap<>();
        for (CsvTable.Row row : table.rows()) {
            String provider = FocusServices.providerOf(row.get("ServiceName"), row.get("ProviderName"));
            if (provider == null) {
                skipped.merge(row.get("ServiceName").isEmpty() ? "(no ServiceName)" : row.get("ServiceName"), 1, Integer::sum);
                continue;
            }
            Charge charge = readRow(row, provider, problems);
            if (charge != null) {
                charges.add(charge);
            }
        }
        return new Result(charges, skipped);
    }

    private static Charge readRow(CsvTable.Row row, String provider, Problems problems) {
        int line = row.line();
        int before = problems.count();
        BigDecimal billed = money(row, "BilledCost", true, problems);
        BigDecimal effective = money(row, "EffectiveCost", false, problems);
        Instant start = FocusTimes.parse(row.get("ChargePeriodStart"));
        if (row.get("ChargePeriodStart").isEmpty()) {
            problems.atLine(line, "ChargePeriodStart missing");
        } else if (start == null) {
            problems.atLine(line, "ChargePeriodStart \"" + row.get("ChargePeriodStart") + "\" is not a UTC date-time");
        }
        String currency = row.get("BillingCurrency");
        if (!currency.equalsIgnoreCase("USD")) {
            problems.atLine(line, currency.isEmpty() ? "BillingCurrency missing"
                    : "BillingCurrency \"" + currency + "\": only USD invoices are read");
        }
        String category = row.get("ChargeCategory");
        if (!CATEGORIES.contains(category)) {
            problems.atLine(line, "ChargeCategory \"" + category + "\" is not one of Usage, Purchase, Tax, Credit, Adjustment");
        }
        FocusQuantity.Quantity quantity = null;
        try {
            quantity = FocusQuantity.of(row.get("ConsumedQuantity"), row.get("ConsumedUnit"), row.get("PricingQuantity"),
                    row.get("PricingUnit"), row.get("x_PricingBlockSize"));
        } catch (PlainDecimal.Invalid e) {
            problems.atLine(line, e.getMessage());
        }
        if (problems.count() > before) {
            return null;
        }
        String meterText = Stream.of(row.get("SkuMeter"), row.get("x_SkuMeterName"), row.get("x_UsageType"))
                .filter(part -> !part.isEmpty()).collect(Collectors.joining(" "));
        FocusMeter meter = FocusMeter.read(meterText);
        FocusServices.Billed model = FocusServices.billedModel(provider, row);
        ChargeClass chargeClass = category.equals("Usage") ? meter.chargeClass() : ChargeClass.other;
        Charge.Amounts amounts = new Charge.Amounts(billed, effective,
                quantity == null ? null : quantity.amount(), quantity == null ? null : quantity.unit());
        return new Charge(provider, LocalDate.ofInstant(start, ZoneOffset.UTC), model.name(), model.rule(), chargeClass,
                meter.serviceTier(), meter.batch(), amounts, Charge.Scope.account(row.optional("SubAccountId")),
                Integer.toString(line), List.of(category, start.toString(), row.get("ServiceName"), meterText,
                        row.get("ResourceId")));
    }

    private static BigDecimal money(CsvTable.Row row, String column, boolean required, Problems problems) {
        String text = row.get(column);
        if (text.isEmpty()) {
            if (required) {
                problems.atLine(row.line(), column + " missing");
            }
            return null;
        }
        try {
            return Usd.parse(column, text);
        } catch (PlainDecimal.Invalid e) {
            problems.atLine(row.line(), e.getMessage());
            return null;
        }
    }
}
