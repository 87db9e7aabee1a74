package tapipeline.platform.web;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.Producer;

import tapipeline.platform.kafka.Events;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * Builds and sends {@code coordinator.accounts} records. In production only the coordinator writes
 * accounts; tests and the launcher's sample data use this too. Hashes the password here, so a clear
 * password never leaves the caller.
 */
public final class AccountWriter {

    private final Producer<String, byte[]> producer;
    private final PasswordHasher hasher;

    public AccountWriter(Producer<String, byte[]> producer, PasswordHasher hasher) {
        this.producer = producer;
        this.hasher = hasher;
    }

    /** Creates or replaces an account with a new password; waits for the broker's acknowledgement. */
    public Account write(String username, String displayName, List<Role> roles, char[] password, boolean disabled) {
        return send(new Account(username, displayName, roles, hasher.hash(password), disabled));
    }

    /** Changes roles or the disabled flag, keeping the password hash. */
    public Account update(Account current, List<Role> roles, boolean disabled) {
        return send(new Account(current.username(), current.displayName(), roles, current.passwordHash(), disabled));
    }

    public Account send(Account account) {
        try {
            Events.send(producer, EventTypes.COORDINATOR_ACCOUNTS, "account-" + account.username(), account)
                    .get(30, TimeUnit.SECONDS);
            return account;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing account " + account.username(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write account " + account.username() + " to coordinator.accounts: "
                    + e.getMessage(), e);
        }
    }
}
