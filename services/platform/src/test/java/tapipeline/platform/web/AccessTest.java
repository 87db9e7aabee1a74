package tapipeline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import tapipeline.schemas.coordinator.Account.Role;

class AccessTest {

    @Test
    void operator_and_coordinator_imply_viewer_but_not_each_other() {
        assertThat(Access.VIEWER.allows(Set.of(Role.OPERATOR))).isTrue();
        assertThat(Access.VIEWER.allows(Set.of(Role.COORDINATOR))).isTrue();
        assertThat(Access.VIEWER.allows(Set.of(Role.VIEWER))).isTrue();
        assertThat(Access.VIEWER.allows(Set.of())).isFalse();
        assertThat(Access.OPERATOR.allows(Set.of(Role.COORDINATOR))).isFalse();
        assertThat(Access.COORDINATOR.allows(Set.of(Role.OPERATOR, Role.VIEWER))).isFalse();
        assertThat(Access.PUBLIC.allows(Set.of())).isTrue();
        assertThat(Access.VIEWER.allows(Set.of(Role.INSTRUCTOR))).as("an instructor is not a viewer of the staff pages").isFalse();
        assertThat(Access.INSTRUCTOR.allows(Set.of(Role.INSTRUCTOR))).isTrue();
        assertThat(Access.INSTRUCTOR.allows(Set.of(Role.COORDINATOR))).isFalse();
        assertThat(Access.VIEWER.allows(Set.of(Role.INSTRUCTOR, Role.VIEWER))).isTrue();
    }

    @Test
    void a_route_must_declare_its_access_and_cannot_be_declared_twice() {
        Site site = new Site("x");
        site.get("/a", Access.PUBLIC, ctx -> { });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> site.get("/a", Access.VIEWER, ctx -> { }))
                .hasMessageContaining("declared twice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> site.get("/b", null, ctx -> { }))
                .isInstanceOf(NullPointerException.class);
        assertThat(site.needsSignIn()).isFalse();
        site.post("/b", Access.OPERATOR, ctx -> { });
        assertThat(site.needsSignIn()).isTrue();
        assertThat(site.routes()).extracting(Route::mutating).containsExactly(false, true);
    }
}
