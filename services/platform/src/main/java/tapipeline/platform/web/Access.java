package tapipeline.platform.web;

import java.util.EnumSet;
import java.util.Set;

import tapipeline.schemas.coordinator.Account.Role;

/**
 * Who may call a route: anyone ({@link #PUBLIC}) or a signed-in account holding one of some roles.
 * OPERATOR and COORDINATOR imply VIEWER: a route open to {@link #VIEWER} is open to every signed-in
 * staff account. INSTRUCTOR implies nothing: an instructor sees only routes open to
 * {@link #INSTRUCTOR}, and those check which courses are theirs. An account with no role at all is
 * signed in but may open no protected route.
 */
public record Access(Set<Role> roles) {

    public static final Access PUBLIC = new Access(Set.of());
    /** Read-only pages: VIEWER, OPERATOR or COORDINATOR. */
    public static final Access VIEWER = anyOf(Role.VIEWER);
    public static final Access OPERATOR = anyOf(Role.OPERATOR);
    public static final Access COORDINATOR = anyOf(Role.COORDINATOR);
    /** An instructor's own courses (the handler checks which courses the account teaches). */
    public static final Access INSTRUCTOR = anyOf(Role.INSTRUCTOR);

    public Access {
        roles = Set.copyOf(roles);
    }

    public static Access anyOf(Role first, Role... more) {
        return new Access(EnumSet.of(first, more));
    }

    public boolean isPublic() {
        return roles.isEmpty();
    }

    /** Whether an account holding {@code held} may call the route. */
    public boolean allows(Set<Role> held) {
        if (isPublic()) {
            return true;
        }
        return effective(held).stream().anyMatch(roles::contains);
    }

    /** The roles held plus the ones they imply (COORDINATOR and OPERATOR imply VIEWER; INSTRUCTOR nothing). */
    public static Set<Role> effective(Set<Role> held) {
        EnumSet<Role> out = held.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(held);
        if (out.contains(Role.COORDINATOR) || out.contains(Role.OPERATOR)) {
            out.add(Role.VIEWER);
        }
        return out;
    }

    @Override
    public String toString() {
        return isPublic() ? "PUBLIC" : roles.toString();
    }
}
