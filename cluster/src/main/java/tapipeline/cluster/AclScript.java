package tapipeline.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import tapipeline.platform.kafka.access.AclPlan;
import tapipeline.platform.kafka.access.KafkaAccess;

/**
 * Writes the operators' ACL script, {@code deploy/kafka-acls.sh}: one SCRAM user per service (and per
 * command-line tool that uses Kafka) with exactly the ACLs its {@link KafkaAccess} declares, found on
 * the class path ({@link AclPlan#discover()}). The file is committed; {@code AclScriptTest} fails
 * when it differs from what the declarations generate.
 *
 * <pre>bin/kafka-acls-script [output]     (default deploy/kafka-acls.sh, relative to the repository)</pre>
 */
public final class AclScript {

    /** Where the script is committed, relative to the repository root. */
    public static final Path COMMITTED = Path.of("deploy", "kafka-acls.sh");

    /** The command that writes it again (said in the script's header and in the test's failure). */
    public static final String REGENERATE = "bin/kafka-acls-script";

    private AclScript() {
    }

    /** The script the declarations on the class path make. */
    public static String generate() {
        return AclPlan.script(AclPlan.discover(), REGENERATE);
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            System.err.println("usage: AclScript [output file]   (default " + COMMITTED + ")");
            System.exit(2);
        }
        Path out = args.length == 1 ? Path.of(args[0]) : COMMITTED;
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, generate(), StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: run it with bash
        }
        for (KafkaAccess a : AclPlan.discover()) {
            System.out.printf("User:%-12s %3d bindings  %s%n", a.principal(), a.aclBindings().size(), a.purpose());
        }
        System.out.println("wrote " + out);
    }
}
