package dev.tokenledger.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tokenledger.avro.Ownership;
import dev.tokenledger.csv.CsvLineError;
import dev.tokenledger.csv.CsvParseResult;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OwnershipCsvTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("basedir", ".")).resolve("../examples").normalize();
    private static final String HEADER = "key_type,key,feature,team,cost_center,product_line,owner\n";

    @Test
    void shouldReadTheExampleRegistryWithoutErrors() throws IOException {
        CsvParseResult<Ownership> result = OwnershipCsv.read(EXAMPLES.resolve("ownership.csv"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.rows()).hasSizeGreaterThanOrEqualTo(14);
        assertThat(result.rows().stream().map(Ownership::getTeam).distinct().count()).isGreaterThanOrEqualTo(6);
        assertThat(result.rows()).filteredOn(o -> o.getKeyType().equals("api_key")).hasSizeGreaterThanOrEqualTo(3);
        Ownership unallocated = result.rows().stream()
                .filter(o -> OwnershipCsv.recordKey(o).equals("feature:unallocated")).findFirst().orElseThrow();
        assertThat(unallocated.getOwner()).isNotBlank();
    }

    @Test
    void shouldBuildTheOwnershipRecordAndItsKey() {
        CsvParseResult<Ownership> result = OwnershipCsv.parse(HEADER
                + "feature,search,search,search-team,CC-4200,\"Core Product, Search\",\"Okafor, Chidi\"\n"
                + "api_key,k-123,search,search-team,,,\n");

        assertThat(result.errors()).isEmpty();
        Ownership feature = result.rows().get(0);
        assertThat(feature.getProductLine()).isEqualTo("Core Product, Search");
        assertThat(feature.getOwner()).isEqualTo("Okafor, Chidi");
        assertThat(OwnershipCsv.recordKey(feature)).isEqualTo("feature:search");
        Ownership apiKey = result.rows().get(1);
        assertThat(OwnershipCsv.recordKey(apiKey)).isEqualTo("api_key:k-123");
        assertThat(apiKey.getFeature()).isEqualTo("search");
        assertThat(apiKey.getCostCenter()).isNull();
        assertThat(apiKey.getOwner()).isNull();
    }

    @Test
    void shouldReportEachBadLineAndKeepTheGoodOnes() {
        CsvParseResult<Ownership> result = OwnershipCsv.parse(HEADER
                + "feature,search,search,search-team,CC-4200,Core,Chidi\n"      // 2 ok
                + "team,growth,growth,growth,CC-4300,Marketing,Lena\n"          // 3 bad key_type
                + "feature,ads,ad-copy,growth,CC-4300,Marketing,Lena\n"         // 4 feature differs from key
                + "api_key,k-9,,growth,,,\n"                                    // 5 feature missing
                + ",k-10,search,,,,\n"                                          // 6 key_type and team missing
                + "feature,search,search,other-team,,,\n"                       // 7 duplicate
                + "api_key,k-1,search,search-team\n");                          // 8 column count

        assertThat(result.rows()).extracting(OwnershipCsv::recordKey).containsExactly("feature:search");
        assertThat(result.errors()).extracting(CsvLineError::line, CsvLineError::field, CsvLineError::reason)
                .containsExactly(
                        tuple(3, "key_type", CsvLineError.INVALID_VALUE),
                        tuple(4, "feature", CsvLineError.INVALID_VALUE),
                        tuple(5, "feature", CsvLineError.MISSING_FIELD),
                        tuple(6, "key_type", CsvLineError.MISSING_FIELD),
                        tuple(6, "team", CsvLineError.MISSING_FIELD),
                        tuple(7, "key", CsvLineError.DUPLICATE_KEY),
                        tuple(8, null, CsvLineError.WRONG_COLUMN_COUNT));
        assertThat(result.errors().get(5).detail()).contains("line 2");
    }

    @Test
    void shouldAllowTheSameKeyAsFeatureAndAsApiKey() {
        CsvParseResult<Ownership> result = OwnershipCsv.parse(HEADER
                + "feature,search,search,t,,,\napi_key,search,search,t,,,\n");
        assertThat(result.errors()).isEmpty();
        assertThat(result.rows()).hasSize(2);
    }
}
