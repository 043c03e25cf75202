package dev.tokenledger.price;

/** How a price-book lookup found its entry. */
public enum MatchKind {
    /** The model name (and, for a global entry, no region) matched as given. */
    EXACT,
    /** A regional entry matched: the event's region, or the region in a Bedrock cross-region id such as {@code us.}. */
    REGIONAL,
    /** The name is an alias listed on the entry. */
    ALIAS,
    /** The name matched after normalising: provider prefix stripped ({@code gemini/}), provider spelled the LiteLLM way, or a Bedrock region prefix stripped with no regional entry. */
    NORMALISED
}
