package dev.tokenledger.price;

/** The shipped default book (the LiteLLM map), parsed once for all tests: it does not change. */
final class DefaultBook {

    static final PriceBook BOOK = PriceBooks.loadDefault();

    private DefaultBook() {
    }
}
