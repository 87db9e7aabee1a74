package tapipeline.coordinator.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;
import tapipeline.platform.web.AccountStore;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.coordinator.Account;

/** First start (unit test of one class; the writer's producer is a MockProducer, the audit is not reached). */
class AccountsAdminTest {

    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    private AccountsAdmin admin(AccountStore store) {
        return new AccountsAdmin(store, new AccountWriter(producer, new PasswordHasher()), null, Clock.systemUTC(),
                () -> "http://127.0.0.1:8080");
    }

    @Test
    void no_account_and_no_configured_admin_gives_a_one_time_setup_link() throws Exception {
        Optional<String> link = admin(AccountStore.inMemory()).bootstrap(Config.of(Map.of()), Duration.ofSeconds(1));
        assertThat(link).hasValueSatisfying(l -> assertThat(l).matches("http://127\\.0\\.0\\.1:8080/setup\\?token=[A-Za-z0-9_-]{32}"));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void an_existing_account_means_no_link() throws Exception {
        AccountStore store = AccountStore.inMemory();
        store.apply("x", new Account("x", "X", List.of(Account.Role.VIEWER), "$argon2id$v=19$m=1,t=1,p=1$a$b", false));
        assertThat(admin(store).bootstrap(Config.of(Map.of()), Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void a_configured_admin_with_a_short_password_stops_the_start_naming_the_key() {
        assertThatThrownBy(() -> admin(AccountStore.inMemory()).bootstrap(Config.of(Map.of("COORDINATOR_ADMIN_USER", "boss",
                "COORDINATOR_ADMIN_PASSWORD", "short")), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("COORDINATOR_ADMIN_PASSWORD");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void setup_tokens_are_distinct() {
        AccountsAdmin a = admin(AccountStore.inMemory());
        assertThat(a.newSetupToken()).isNotEqualTo(a.newSetupToken());
    }

    @SuppressWarnings("unused")
    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
