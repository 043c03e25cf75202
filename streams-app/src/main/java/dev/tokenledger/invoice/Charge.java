package dev.tokenledger.invoice;

import dev.tokenledger.avro.ChargeClass;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One line as a format parser read it, before its model is mapped and its identity assigned.
 *
 * @param billedModel    the model as the source names it (or the line's own description when it names none)
 * @param rule           how the source names models, for the mapper
 * @param serviceTier    null when the source does not say
 * @param sourceLine     CSV line number or JSON item path
 * @param discriminators what else tells this line apart from its neighbours in the source (token type,
 *                       context window, meter, charge period, resource), part of the line identity
 */
record Charge(String provider, LocalDate billingDay, String billedModel, ModelRule rule, ChargeClass chargeClass,
              String serviceTier, boolean batch, Amounts amounts, Scope scope, String sourceLine,
              List<String> discriminators) {

    /** Money at the contract's scale (12), exactly as the source gave it; quantity in {@code unit}, blocks multiplied out. */
    record Amounts(BigDecimal amountUsd, BigDecimal effectiveCostUsd, BigDecimal quantity, String unit) {
        static Amounts of(BigDecimal amountUsd) {
            return new Amounts(amountUsd, null, null, null);
        }
    }

    /** Who was billed: one of them is set, by the format (FOCUS sub-account, OpenAI project, Anthropic workspace). */
    record Scope(String account, String project, String workspace) {
        static final Scope NONE = new Scope(null, null, null);

        static Scope project(String project) {
            return new Scope(null, project, null);
        }

        static Scope workspace(String workspace) {
            return new Scope(null, null, workspace);
        }

        static Scope account(String account) {
            return new Scope(account, null, null);
        }
    }

    Charge {
        // An absent discriminator still holds its place, so the identity's parts stay aligned.
        discriminators = discriminators.stream().map(d -> d == null ? "-" : d).toList();
    }
}
