package tapipeline.coordinator.runs.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the coordinator is and who signs in: {@code --url} (else {@code COORDINATOR_URL}, else
 * http://localhost:8080), {@code --user} (else {@code COORDINATOR_USER}) and the password from
 * {@code COORDINATOR_PASSWORD} or the first line of {@code --password-file} (never an argument: it would
 * show in the process list).
 */
public final class Connection {

    @Option(names = "--url", description = "Coordinator base URL (default: COORDINATOR_URL or http://localhost:8080).")
    String url;

    @Option(names = "--user", description = "Account to sign in with (default: COORDINATOR_USER).")
    String user;

    @Option(names = "--password-file", description = "File whose first line is the password (default: COORDINATOR_PASSWORD).")
    Path passwordFile;

    public ApiClient client() {
        String base = url != null ? url : System.getenv().getOrDefault("COORDINATOR_URL", "http://localhost:8080");
        String who = user != null ? user : System.getenv("COORDINATOR_USER");
        if (who == null || who.isBlank()) {
            throw new ApiClient.ApiException(0, "name the account: --user or COORDINATOR_USER");
        }
        String password;
        if (passwordFile != null) {
            try {
                password = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw new ApiClient.ApiException(0, "cannot read " + passwordFile + ": " + e.getMessage());
            }
        } else {
            password = System.getenv("COORDINATOR_PASSWORD");
        }
        if (password == null || password.isEmpty()) {
            throw new ApiClient.ApiException(0, "give the password in COORDINATOR_PASSWORD or --password-file");
        }
        return new ApiClient(URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base))
                .signIn(who, password);
    }
}
