/**
 * Invoice ingest, the first half of reconciliation: provider invoices and cost exports read into normalised
 * {@code InvoiceLine}s (rules: docs/reconciliation.md).
 *
 * <ul>
 *   <li>{@link dev.tokenledger.invoice.InvoiceReader}: detects the {@link dev.tokenledger.invoice.InvoiceFormat}
 *       (OpenAI Costs API, Anthropic cost report, FOCUS 1.2 CSV) and reads a file, all or nothing, with errors
 *       placed by line or item ({@link dev.tokenledger.invoice.InvalidInvoiceException}).</li>
 *   <li>{@link dev.tokenledger.invoice.ModelMapper}: billed model names onto the price book's, by documented
 *       rules and an override file ({@link dev.tokenledger.invoice.ModelOverrides}).</li>
 * </ul>
 *
 * <p>A stage-level package: it reads the price book (price) and the contract, and nothing above the stages.
 */
package dev.tokenledger.invoice;
