package dev.tokenledger.cli;

import dev.tokenledger.ingest.AdapterResult;
import dev.tokenledger.ingest.AttributionKeys;
import dev.tokenledger.ingest.InputFormat;
import dev.tokenledger.ingest.Reject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --input-format} / {@code --attribution-keys} options shared by price, ingest and demo, and reading a file through its adapter. */
final class AdaptedInput {

    private AdaptedInput() {
    }

    /** A usage error (exit 2) in an input option: the message says which. */
    static final class BadOption extends Exception {
        BadOption(String message) {
            super(message);
        }
    }

    static InputFormat format(String name) throws BadOption {
        try {
            return name == null ? InputFormat.NATIVE : InputFormat.named(name);
        } catch (IllegalArgumentException e) {
            throw new BadOption("--input-format: " + e.getMessage());
        }
    }

    static AttributionKeys keys(Path file) throws BadOption {
        if (file == null) {
            return AttributionKeys.defaults();
        }
        try {
            return AttributionKeys.load(file);
        } catch (IOException e) {
            throw new BadOption("cannot read --attribution-keys " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadOption("--attribution-keys " + file + ": " + e.getMessage());
        }
    }

    /** The file ({@code -} or null: standard input) through the format's adapter. */
    static AdapterResult read(InputFormat format, String file, AttributionKeys keys) throws IOException {
        byte[] body = file == null || file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        return format.adapter().parse(body, keys);
    }

    /** One {@code error: LOCATOR: field 'F': REASON: DETAIL} line per reject, and the counts. */
    static void printRejects(AdapterResult result, InputFormat format, PrintWriter err) {
        for (Reject r : result.rejects()) {
            err.println("error: " + r.describe());
        }
        if (result.ignored() > 0) {
            err.println(result.ignored() + (result.ignored() == 1 ? " span" : " spans") + " ignored (not GenAI client calls)");
        }
        if (!result.rejects().isEmpty()) {
            err.println(result.rejects().size() + " of " + (result.events().size() + result.rejects().size()) + " " + format.cliName()
                    + " records rejected");
        }
        err.flush();
    }
}
