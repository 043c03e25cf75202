package dev.tokenledger.ingest;

/**
 * A pure function from the bytes a source emits to usage events in our contract (the Avro
 * {@link dev.tokenledger.avro.UsageEvent}, inclusive token convention) or rejects with a reason.
 * Never throws for bad input, never keeps state: one instance serves every caller (CLI, HTTP ingest).
 */
public interface InputAdapter {

    InputFormat format();

    /**
     * @param body the whole payload: a file, or one HTTP request body
     * @param keys which source field is the team, feature, customer, environment, ... for this format
     */
    AdapterResult parse(byte[] body, AttributionKeys keys);
}
