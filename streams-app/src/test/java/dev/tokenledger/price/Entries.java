package dev.tokenledger.price;

import dev.tokenledger.avro.PriceEntry;
import dev.tokenledger.avro.PriceRates;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;

/** Hand-made price entries for tests; prices in USD per million tokens, as providers publish them. */
final class Entries {

    private Entries() {
    }

    /** A global entry in force from the beginning of time with standard input and output prices. */
    static PriceEntry.Builder entry(String provider, String model, String inputPerMtok, String outputPerMtok) {
        return PriceEntry.newBuilder()
                .setProvider(provider)
                .setModel(model)
                .setRegion(null)
                .setEffectiveFrom(Instant.EPOCH)
                .setSource("native")
                .setAliases(new ArrayList<>())
                .setStandard(rates(inputPerMtok, outputPerMtok))
                .setBatch(null)
                .setFlex(null)
                .setPriority(null)
                .setLongContextTiers(new ArrayList<>())
                .setPerCallFees(new HashMap<>());
    }

    static PriceRates rates(String inputPerMtok, String outputPerMtok) {
        return PriceRates.newBuilder().setInput(perMtok(inputPerMtok)).setOutput(perMtok(outputPerMtok))
                .setCacheRead(null).setCacheWrite5m(null).setCacheWrite1h(null).setReasoning(null).build();
    }

    static BigDecimal perMtok(String usd) {
        return usd == null ? null : new BigDecimal(usd).movePointLeft(6).setScale(18);
    }
}
