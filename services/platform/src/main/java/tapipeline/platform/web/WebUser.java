package tapipeline.platform.web;

import java.util.Set;

import tapipeline.schemas.coordinator.Account.Role;

/** The signed-in caller of this request, with roles read from the account store on this request. */
public record WebUser(String username, String displayName, Set<Role> roles) {

    public WebUser {
        roles = Set.copyOf(roles);
    }

    public boolean has(Access access) {
        return access.allows(roles);
    }
}
