package dev.tokenledger.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test fixture: a real PostgreSQL ({@link EmbeddedWarehouse}, migrated by Flyway) holding {@link WarehouseSample},
 * started once before a test class and stopped after it, in a temporary directory of its own. Register it with
 * {@code @RegisterExtension static final SampleWarehouse WAREHOUSE = new SampleWarehouse();} and read
 * {@link #dataSource()} from the class's {@code @BeforeAll} or its tests.
 */
final class SampleWarehouse implements BeforeAllCallback, AfterAllCallback {

    private Path root;
    private EmbeddedWarehouse warehouse;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        root = Files.createTempDirectory("sample-warehouse");
        warehouse = EmbeddedWarehouse.start(root);
        WarehouseSample.load(warehouse.dataSource());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (warehouse != null) {
            warehouse.close();
        }
        if (root != null) {
            deleteRecursively(root);
        }
    }

    DataSource dataSource() {
        return warehouse.dataSource();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
