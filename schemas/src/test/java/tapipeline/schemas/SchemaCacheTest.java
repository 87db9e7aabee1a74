package tapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Guards the cause of slow decoding without timing anything: a schema is compiled once and reused
 * for every record. (The decode rate itself is measured by bench/run kafka, not by a test.)
 */
class SchemaCacheTest {

    @Test
    void each_schema_is_compiled_once_and_reused() {
        SchemaCatalog catalog = SchemaCatalog.shared();
        String resource = EventTypes.RUN_PROGRESS.schemaResource(1);
        assertThat(catalog.find(resource)).isPresent();
        assertThat(catalog.find(resource).get()).isSameAs(catalog.find(resource).get());
        assertThat(catalog.require(resource)).isSameAs(catalog.find(resource).get());
    }

    @Test
    void an_unknown_schema_resource_is_absent_not_an_error() {
        assertThat(SchemaCatalog.shared().find("schemas/no.such.type/v1.schema.json")).isEmpty();
    }
}
