package tapipeline.platform.web;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.coordinator.Account;

/**
 * Every account of {@code coordinator.accounts}, materialized by a {@link ReplayLoop} in each service that
 * signs people in. The newest record per username wins; a tombstone (null value) deletes the account.
 * Lookups are case-sensitive, as usernames are keys. Until the loop has caught up the store is not
 * {@link #ready()} and sign-in answers "try again shortly".
 */
public final class AccountStore {

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private volatile ReplayLoop<?> loop;

    /** Starts the replay loop on the runtime (registered for health and closing). */
    public static AccountStore start(ServiceRuntime runtime) {
        AccountStore store = new AccountStore();
        store.loop = runtime.startReplayLoop("accounts", new TombstoneDecoder(),
                (value, record) -> store.apply(record.key(), value.orElse(null)), () -> { }, Topics.ACCOUNTS.name());
        return store;
    }

    /** A store filled by hand (unit tests only; services use {@link #start}). */
    public static AccountStore inMemory() {
        return new AccountStore();
    }

    public boolean ready() {
        return loop == null || loop.caughtUp();
    }

    public void apply(String username, Account account) {
        if (account == null) {
            if (username != null) {
                accounts.remove(username);
            }
        } else {
            accounts.put(account.username(), account);
        }
    }

    public Optional<Account> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(accounts.get(username));
    }

    /** Every user name in the store (a snapshot), e.g. for an accounts admin page. */
    public java.util.Set<String> usernames() {
        return java.util.Set.copyOf(accounts.keySet());
    }

    public int size() {
        return accounts.size();
    }

    /** Decodes account events and passes tombstones through as empty (deletions). */
    private static final class TombstoneDecoder implements tapipeline.platform.kafka.RecordDecoder<Optional<Account>> {
        private final tapipeline.platform.kafka.RecordDecoder<Envelope<Account>> inner =
                Events.decoder(EventTypes.COORDINATOR_ACCOUNTS);

        @Override
        public Optional<Account> decode(ConsumerRecord<String, byte[]> record) {
            return record.value() == null ? Optional.empty() : Optional.of(inner.decode(record).payload());
        }

        @Override
        public String correlationId(Optional<Account> value, ConsumerRecord<String, byte[]> record) {
            return record.key();
        }
    }
}
