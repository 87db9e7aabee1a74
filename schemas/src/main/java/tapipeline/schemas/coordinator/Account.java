package tapipeline.schemas.coordinator;

import java.util.List;
import tapipeline.schemas.support.Checks;

/**
 * A user of the coordinator and monitor UIs (payload of {@code coordinator.accounts}, keyed by
 * username, compacted).
 *
 * <p>{@link #toString()} masks the password hash so it never reaches a log.
 *
 * @param passwordHash an encoded hash (algorithm prefix included), never a clear password
 */
public record Account(
        String username,
        String displayName,
        List<Role> roles,
        String passwordHash,
        boolean disabled) {

    /**
     * What an account may do. VIEWER reads the signed-in pages (monitor dashboards, runs and reviews)
     * and changes nothing; OPERATOR and COORDINATOR each imply VIEWER. INSTRUCTOR sees and ranks the
     * applicants of the courses whose details name the account, and nothing else: it does not imply
     * VIEWER. Added VIEWER and INSTRUCTOR in v1 without a new version: a new enum value is backward
     * compatible for readers of this topic (old records stay valid).
     */
    public enum Role {
        COORDINATOR, OPERATOR, VIEWER, INSTRUCTOR
    }

    public Account {
        Checks.id(username, "Account.username");
        Checks.text(displayName, "Account.displayName");
        roles = List.copyOf(Checks.list(roles, "Account.roles").stream().distinct().toList());
        Checks.text(passwordHash, "Account.passwordHash");
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    @Override
    public String toString() {
        return "Account[username=" + username + ", displayName=" + displayName + ", roles=" + roles
                + ", passwordHash=****, disabled=" + disabled + "]";
    }
}
