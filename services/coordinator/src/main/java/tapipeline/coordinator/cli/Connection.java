package tapipeline.coordinator.cli;

import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * Where the coordinator is and who signs in. The password is never an option (it would show in the
 * process list and the shell history): it comes from {@code COORDINATOR_PASSWORD}, a file
 * ({@code --password-file}, first line), or a prompt on the terminal.
 */
public final class Connection {

    @Option(names = "--url", description = "Coordinator base URL (env COORDINATOR_URL; default http://localhost:8080)")
    String url;

    @Option(names = {"-u", "--user"}, description = "User name (env COORDINATOR_USER)")
    String user;

    @Option(names = "--password-file", description = "File whose first line is the password (else env COORDINATOR_PASSWORD, else a prompt)")
    Path passwordFile;

    /** A signed-in client. */
    public ApiClient connect() throws Exception {
        String base = url != null ? url : env("COORDINATOR_URL", "http://localhost:8080");
        String name = user != null ? user : env("COORDINATOR_USER", null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("who signs in? give --user or set COORDINATOR_USER");
        }
        ApiClient client = new ApiClient(base);
        client.signIn(name, password(name));
        return client;
    }

    private char[] password(String name) throws Exception {
        if (passwordFile != null) {
            String first = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            return first.toCharArray();
        }
        String env = System.getenv("COORDINATOR_PASSWORD");
        if (env != null) {
            return env.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no password: set COORDINATOR_PASSWORD or give --password-file (no terminal to ask on)");
        }
        return console.readPassword("Password for %s: ", name);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
