package tapipeline.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;

/** COORDINATOR_OFFERS_URL: the navigation's link to the offers service's staff pages. */
class CoordinatorServiceTest {

    private static String page(String configured) {
        return CoordinatorService.offersPage(Config.of(Map.of("COORDINATOR_OFFERS_URL", configured))
                .get(CoordinatorService.OFFERS_URL));
    }

    @Test
    void the_offers_link_is_the_base_url_with_offers_and_empty_means_no_link() {
        assertThat(CoordinatorService.offersPage(Config.of(Map.of()).get(CoordinatorService.OFFERS_URL)))
                .isEqualTo("http://localhost:8085/offers");
        assertThat(page("https://offers.example.edu/")).isEqualTo("https://offers.example.edu/offers");
        assertThat(page(" http://localhost:8085 ")).isEqualTo("http://localhost:8085/offers");
        assertThat(page("https://example.edu/ta")).isEqualTo("https://example.edu/ta/offers");
        assertThat(page("  ")).isNull();
    }

    @Test
    void a_value_that_is_not_an_http_url_names_the_key() {
        for (String bad : new String[] {"offers.example.edu", "javascript:alert(1)", "ftp://x.example.edu", "http://"}) {
            assertThatThrownBy(() -> page(bad)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("COORDINATOR_OFFERS_URL").hasMessageContaining("http(s) URL");
        }
    }
}
