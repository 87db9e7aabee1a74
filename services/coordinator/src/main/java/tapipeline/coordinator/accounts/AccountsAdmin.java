package tapipeline.coordinator.accounts;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.pages.Views;
import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.web.AccountStore;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PageMeta;
import tapipeline.platform.web.Pages;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.platform.web.Web;
import tapipeline.platform.web.WebUser;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * The accounts of {@code coordinator.accounts}, which the coordinator alone writes (the platform's
 * {@link AccountStore} reads them in every signing-in service): the first account (from configuration,
 * or through a one-time setup link printed at start when there is none), and the admin pages and API
 * where a coordinator adds accounts, sets roles, disables and resets passwords. Every change is audited
 * (subject {@code account:<username>}); hashes never leave this class's writer.
 */
public final class AccountsAdmin {

    public static final Key<String> ADMIN_USER = Key.string("COORDINATOR_ADMIN_USER", "",
            "User name of a coordinator account created at start if it does not exist (with COORDINATOR_ADMIN_PASSWORD). Empty, and no account at all: a one-time setup link is logged instead.");
    public static final Key<String> ADMIN_PASSWORD = Key.string("COORDINATOR_ADMIN_PASSWORD", "",
            "Password of COORDINATOR_ADMIN_USER when it is created (at least 12 characters); not used once the account exists. Prefer the setup link or a secret store over a plain environment variable.");
    public static final int MIN_PASSWORD = 12;
    /** How long the setup link works. */
    public static final Duration SETUP_VALID = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(AccountsAdmin.class);

    private final AccountStore store;
    private final AccountWriter writer;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> setupTokens = new ConcurrentHashMap<>();
    private final Supplier<String> baseUrl;

    public AccountsAdmin(AccountStore store, AccountWriter writer, AuditLog audit, Clock clock, Supplier<String> baseUrl) {
        this.store = store;
        this.writer = writer;
        this.audit = audit;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    public static List<Key<?>> configKeys() {
        return List.of(ADMIN_USER, ADMIN_PASSWORD);
    }

    public static AccountWriter writer(org.apache.kafka.clients.producer.Producer<String, byte[]> producer) {
        return new AccountWriter(producer, new PasswordHasher());
    }

    // ------------------------------------------------------------------ first start

    /**
     * Once the accounts are replayed: creates the configured admin if missing, or, when nothing is
     * configured and no account exists, makes a setup token and returns the link (also logged).
     */
    public Optional<String> bootstrap(Config config, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!store.ready()) {
            if (System.nanoTime() > deadline) {
                log.warn("accounts not replayed within {} s: first-start check skipped", wait.toSeconds());
                return Optional.empty();
            }
            Thread.sleep(50);
        }
        String user = config.get(ADMIN_USER).strip();
        if (!user.isEmpty()) {
            if (store.find(user).isEmpty()) {
                char[] password = config.get(ADMIN_PASSWORD).toCharArray();
                if (password.length < MIN_PASSWORD) {
                    throw new tapipeline.platform.config.ConfigException("configuration key " + ADMIN_PASSWORD.name()
                            + ": needs at least " + MIN_PASSWORD + " characters to create " + ADMIN_USER.name() + " " + user);
                }
                writer.write(user, user, List.of(Role.COORDINATOR), password, false);
                audit.record("account:" + user, "coordinator", "account.add", "first start (COORDINATOR_ADMIN_USER)",
                        "roles [COORDINATOR]");
                log.info("created the coordinator account {} from configuration", user);
            }
            return Optional.empty();
        }
        if (store.size() > 0) {
            return Optional.empty();
        }
        String link = baseUrl.get() + "/setup?token=" + newSetupToken();
        log.warn("no account exists yet: open {} within {} minutes to create the first coordinator (the link works once)",
                link, SETUP_VALID.toMinutes());
        return Optional.of(link);
    }

    /** A new single-use setup token, valid for {@link #SETUP_VALID}. */
    public String newSetupToken() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        setupTokens.put(token, clock.instant().plus(SETUP_VALID));
        return token;
    }

    private boolean tokenValid(String token) {
        Instant until = token == null ? null : setupTokens.get(token);
        return until != null && clock.instant().isBefore(until);
    }

    public void setupPage(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String token = Optional.ofNullable(ctx.queryParam("token")).orElse("");
        if (store.size() > 0) {
            ctx.status(410);
            renderSetup(ctx, "", null, true);
        } else if (!tokenValid(token)) {
            ctx.status(403);
            Web.error(ctx, 403, "forbidden", "This setup link is unknown, used or expired. Restart the coordinator to get a new one.");
        } else {
            renderSetup(ctx, token, null, false);
        }
    }

    public void setupPost(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String token = Optional.ofNullable(ctx.formParam("token")).orElse("");
        if (store.size() > 0) {
            ctx.status(410);
            renderSetup(ctx, "", null, true);
            return;
        }
        if (!tokenValid(token)) {
            Web.error(ctx, 403, "forbidden", "This setup link is unknown, used or expired. Restart the coordinator to get a new one.");
            return;
        }
        try {
            String username = required(ctx.formParam("username"), "user name");
            String display = required(ctx.formParam("displayName"), "name");
            char[] password = password(ctx.formParam("password"));
            if (setupTokens.remove(token) == null) { // single use, even for two requests at once
                Web.error(ctx, 403, "forbidden", "This setup link was just used.");
                return;
            }
            writer.write(username, display, List.of(Role.COORDINATOR), password, false);
            audit.record("account:" + username, username, "account.add", "first start (setup link)", "roles [COORDINATOR]");
            ctx.redirect("/signin", HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            ctx.status(422);
            renderSetup(ctx, token, e.getMessage(), false);
        }
    }

    private void renderSetup(Context ctx, String token, String error, boolean done) {
        Pages.render(ctx, PageMeta.of("Set up"), "coordinator/data/setup.jte", Map.of("view", new Views.Setup(token, error, done)));
    }

    // ------------------------------------------------------------------ admin

    /** The accounts, without hashes, sorted by user name. */
    public List<Account> accounts() {
        List<Account> out = new ArrayList<>();
        for (String u : usernames()) {
            store.find(u).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(Account::username));
        return out;
    }

    private Set<String> usernames() {
        return store.usernames();
    }

    public Account add(String actor, String username, String displayName, List<Role> roles, char[] password, String reason) {
        if (store.find(username).isPresent()) {
            throw new Conflict("an account named " + username + " exists already");
        }
        Account a = writer.write(username, displayName, roles, password, false);
        audit.record("account:" + username, actor, "account.add", reason, "roles " + roles);
        return a;
    }

    public Account update(String actor, String username, List<Role> roles, boolean disabled, String reason) {
        Account a = store.find(username).orElseThrow(() -> new NotFound("no account named " + username));
        if (actor.equals(username) && (disabled || !roles.contains(Role.COORDINATOR))) {
            throw new IllegalArgumentException("you cannot take away your own coordinator role or disable your own account");
        }
        Account b = writer.update(a, roles, disabled);
        audit.record("account:" + username, actor, disabled != a.disabled() ? (disabled ? "account.disable" : "account.enable")
                : "account.roles", reason, "roles " + a.roles() + " → " + roles + (disabled ? ", disabled" : ""));
        return b;
    }

    public void resetPassword(String actor, String username, char[] password, String reason) {
        Account a = store.find(username).orElseThrow(() -> new NotFound("no account named " + username));
        writer.write(a.username(), a.displayName(), a.roles(), password, a.disabled());
        audit.record("account:" + username, actor, "account.password", reason, "password reset");
    }

    /** The account exists already. */
    public static final class Conflict extends RuntimeException {
        public Conflict(String m) {
            super(m);
        }
    }

    /** No such account. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String m) {
            super(m);
        }
    }

    // ------------------------------------------------------------------ pages

    public void accountsPage(Context ctx) {
        renderAccounts(ctx, 200, ctx.queryParam("added") != null ? "Account added." : null, null);
    }

    private void renderAccounts(Context ctx, int status, String message, String error) {
        ctx.status(status).header("Cache-Control", "no-store");
        Pages.render(ctx, PageMeta.of("Accounts"), "coordinator/data/accounts.jte",
                Map.of("view", new Views.Accounts(accounts(), actor(ctx), message, error)));
    }

    public void addPost(Context ctx) {
        try {
            add(actor(ctx), username(ctx.formParam("username")), required(ctx.formParam("displayName"), "name"),
                    roles(ctx.formParams("roles")), password(ctx.formParam("password")), Optional.ofNullable(ctx.formParam("reason")).orElse(""));
            ctx.redirect("/accounts?added=1", HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            renderAccounts(ctx, 422, null, e.getMessage());
        } catch (Conflict e) {
            renderAccounts(ctx, 409, null, e.getMessage());
        }
    }

    public void accountPage(Context ctx) {
        String u = ctx.pathParam("username");
        Optional<Account> a = store.find(u);
        if (a.isEmpty()) {
            Web.error(ctx, 404, "not_found", "There is no account named " + u + ".");
            return;
        }
        renderAccount(ctx, 200, a.get(), ctx.queryParam("saved") != null ? "Saved." : null, null);
    }

    private void renderAccount(Context ctx, int status, Account a, String message, String error) {
        ctx.status(status).header("Cache-Control", "no-store");
        Pages.render(ctx, PageMeta.of("Account " + a.username()), "coordinator/data/account.jte",
                Map.of("view", new Views.AccountPage(a, a.username().equals(actor(ctx)), message, error)));
    }

    public void updatePost(Context ctx) {
        String u = ctx.pathParam("username");
        try {
            update(actor(ctx), u, roles(ctx.formParams("roles")), "true".equals(ctx.formParam("disabled")),
                    Optional.ofNullable(ctx.formParam("reason")).orElse(""));
            ctx.redirect("/accounts/" + Views.enc(u) + "?saved=1", HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            store.find(u).ifPresentOrElse(a -> renderAccount(ctx, 422, a, null, e.getMessage()),
                    () -> Web.error(ctx, 404, "not_found", "There is no account named " + u + "."));
        } catch (NotFound e) {
            Web.error(ctx, 404, "not_found", e.getMessage());
        }
    }

    public void passwordPost(Context ctx) {
        String u = ctx.pathParam("username");
        try {
            resetPassword(actor(ctx), u, password(ctx.formParam("password")), Optional.ofNullable(ctx.formParam("reason")).orElse(""));
            ctx.redirect("/accounts/" + Views.enc(u) + "?saved=1", HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            store.find(u).ifPresentOrElse(a -> renderAccount(ctx, 422, a, null, e.getMessage()),
                    () -> Web.error(ctx, 404, "not_found", "There is no account named " + u + "."));
        } catch (NotFound e) {
            Web.error(ctx, 404, "not_found", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ JSON API

    public void listJson(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Account a : accounts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("username", a.username());
            m.put("displayName", a.displayName());
            m.put("roles", a.roles());
            m.put("disabled", a.disabled());
            out.add(m);
        }
        ctx.header("Cache-Control", "no-store").json(out);
    }

    public void addJson(Context ctx) {
        JsonNode b = body(ctx);
        try {
            Account a = add(actor(ctx), username(b.path("username").asText(null)), required(b.path("displayName").asText(null), "displayName"),
                    roles(texts(b.path("roles"))), password(b.path("password").asText(null)), b.path("reason").asText(""));
            ctx.status(201).json(Map.of("username", a.username(), "roles", a.roles()));
        } catch (IllegalArgumentException e) {
            Web.error(ctx, 422, "invalid", e.getMessage());
        } catch (Conflict e) {
            Web.error(ctx, 409, "conflict", e.getMessage());
        }
    }

    public void updateJson(Context ctx) {
        JsonNode b = body(ctx);
        try {
            Account a = update(actor(ctx), ctx.pathParam("username"), roles(texts(b.path("roles"))), b.path("disabled").asBoolean(false),
                    b.path("reason").asText(""));
            ctx.json(Map.of("username", a.username(), "roles", a.roles(), "disabled", a.disabled()));
        } catch (IllegalArgumentException e) {
            Web.error(ctx, 422, "invalid", e.getMessage());
        } catch (NotFound e) {
            Web.error(ctx, 404, "not_found", e.getMessage());
        }
    }

    public void passwordJson(Context ctx) {
        JsonNode b = body(ctx);
        try {
            resetPassword(actor(ctx), ctx.pathParam("username"), password(b.path("password").asText(null)), b.path("reason").asText(""));
            ctx.json(Map.of("username", ctx.pathParam("username"), "reset", true));
        } catch (IllegalArgumentException e) {
            Web.error(ctx, 422, "invalid", e.getMessage());
        } catch (NotFound e) {
            Web.error(ctx, 404, "not_found", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String actor(Context ctx) {
        return Web.user(ctx).map(WebUser::username).orElse("anonymous");
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode n = EventCodec.objectMapper().readTree(ctx.bodyAsBytes());
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String required(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        if (v.length() > 500) {
            throw new IllegalArgumentException("the " + what + " is over 500 characters");
        }
        return v.strip();
    }

    static String username(String v) {
        String u = required(v, "user name");
        if (!u.matches("\\S{1,128}")) {
            throw new IllegalArgumentException("a user name has 1 to 128 characters and no spaces");
        }
        return u;
    }

    static char[] password(String v) {
        if (v == null || v.length() < MIN_PASSWORD) {
            throw new IllegalArgumentException("a password needs at least " + MIN_PASSWORD + " characters");
        }
        if (v.length() > PasswordHasher.MAX_PASSWORD_CHARS) {
            throw new IllegalArgumentException("a password has at most " + PasswordHasher.MAX_PASSWORD_CHARS + " characters");
        }
        return v.toCharArray();
    }

    static List<Role> roles(List<String> names) {
        EnumSet<Role> out = EnumSet.noneOf(Role.class);
        for (String n : names == null ? List.<String>of() : names) {
            try {
                out.add(Role.valueOf(n.strip().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown role \"" + n + "\" (coordinator, operator, viewer)");
            }
        }
        return List.copyOf(out);
    }
}
