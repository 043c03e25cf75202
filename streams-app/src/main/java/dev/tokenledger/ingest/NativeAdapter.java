package dev.tokenledger.ingest;

import dev.tokenledger.validate.ParseResult;
import dev.tokenledger.validate.UsageEventJson;

/** Our own JSON events (one object, JSON Lines, or an array of them), read exactly as the validate stage reads them. */
final class NativeAdapter implements InputAdapter {

    @Override
    public InputFormat format() {
        return InputFormat.NATIVE;
    }

    @Override
    public AdapterResult parse(byte[] body, AttributionKeys keys) {
        AdapterRun run = new AdapterRun();
        JsonInput.split(body, true, item -> {
            ParseResult parsed = UsageEventJson.parse(item.raw());
            if (parsed.isValid()) {
                run.event(parsed.event(), item.locator(), item.raw());
            } else {
                run.reject(parsed.violations(), item.locator(), item.raw());
            }
        }, run::reject);
        return run.result();
    }
}
