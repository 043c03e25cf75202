package dev.tokenledger.cli;

import dev.tokenledger.ingest.AdaptedEvent;
import dev.tokenledger.ingest.AdapterResult;
import dev.tokenledger.ingest.InputFormat;
import dev.tokenledger.validate.UsageEventJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code demo --events FILE --input-format FORMAT}: the file through its adapter, played as our own JSON
 * lines. Rejects are listed on the error output with their locators and counted, not played: they
 * never reach a topic, so they are not part of the summary's "events read".
 */
final class DemoInput {

    private DemoInput() {
    }

    static List<String> nativeLines(Path file, String formatName, Path attributionKeys, PrintWriter err)
            throws IOException, AdaptedInput.BadOption {
        InputFormat format = AdaptedInput.format(formatName);
        AdapterResult adapted = AdaptedInput.read(format, file.toString(), AdaptedInput.keys(attributionKeys));
        AdaptedInput.printRejects(adapted, format, err);
        return adapted.events().stream().map(AdaptedEvent::event).map(UsageEventJson::toJson).toList();
    }
}
