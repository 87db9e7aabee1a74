package tapipeline.coordinator.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.imports.ImportKind;
import tapipeline.coordinator.imports.Importer;
import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.service.SampleData;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;

/**
 * The one-command demo's department: the sample CSVs (the solver's generated 60-course / 180-applicant
 * department, seed 2027, term {@value #TERM}) checked by the real importer and published as the term's
 * version 1, with its audit entry, when {@code coordinator.datasets} is empty, so the coordinator opens
 * with a department ready to run and a restart never overwrites a coordinator's edits. The same files
 * are what a browser test uploads through the import page ({@link #csv}).
 */
public final class CoordinatorSampleData implements SampleData {

    public static final String TERM = "2027W1";
    /** The sample instructor's user name; courses.csv names it as the instructor of C0001, C0002 and C0013. */
    public static final String SAMPLE_INSTRUCTOR = "instructor";

    /** A sample account: one per role, with a fixed password printed by the launcher (demo only). */
    public record SampleAccount(String username, String displayName, Account.Role role, String password) {
    }

    /** The sample accounts, created when {@code coordinator.accounts} is empty. */
    public static final List<SampleAccount> ACCOUNTS = List.of(
            new SampleAccount("coordinator", "Sample Coordinator", Account.Role.COORDINATOR, "sample-coordinator"),
            new SampleAccount("operator", "Sample Operator", Account.Role.OPERATOR, "sample-operator"),
            new SampleAccount("viewer", "Sample Viewer", Account.Role.VIEWER, "sample-viewer"),
            new SampleAccount(SAMPLE_INSTRUCTOR, "Sample Instructor", Account.Role.INSTRUCTOR, "sample-instructor"));
    private static final Logger log = LoggerFactory.getLogger(CoordinatorSampleData.class);

    @Override
    public void load(Config config, KafkaClients clients) throws Exception {
        boolean noAccounts;
        try (org.apache.kafka.clients.admin.Admin admin = clients.admin()) {
            noAccounts = new tapipeline.platform.kafka.TopicAdmin(admin, 1, (short) 1)
                    .recordCount(EventTypes.COORDINATOR_ACCOUNTS.topic()) == 0;
        }
        if (noAccounts) {
            try (KafkaProducer<String, byte[]> producer = clients.producer("coordinator-sample-accounts")) {
                AccountWriter writer = new AccountWriter(producer, new PasswordHasher());
                for (SampleAccount a : ACCOUNTS) {
                    writer.write(a.username(), a.displayName(), List.of(a.role()), a.password().toCharArray(), false);
                }
            }
            log.info("sample accounts created: {}", ACCOUNTS.stream().map(SampleAccount::username).toList());
        }
        Dataset d = sampleDataset();
        if (SampleData.publishIfEmpty(clients, EventTypes.COORDINATOR_DATASETS, d)) {
            AuditEntry e = new AuditEntry(TERM, "sample-data", "import", AuditLog.WHY + "the demo's sample department"
                    + "\nimport of the sample CSVs as version 1", Instant.now());
            try (KafkaProducer<String, byte[]> producer = clients.producer("coordinator-sample-data")) {
                Events.send(producer, EventTypes.AUDIT, TERM, e).get(30, TimeUnit.SECONDS);
            }
            log.info("sample dataset {}: {} courses, {} applicants, ready to run", TERM, d.courses().size(), d.applicants().size());
        }
    }

    /** The launcher prints the sample sign-ins (as created on first start; changed passwords are not known here). */
    @Override
    public java.util.Map<String, String> banner() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (SampleAccount a : ACCOUNTS) {
            m.put("sample sign-in (" + a.role().name().toLowerCase(java.util.Locale.ROOT) + ")",
                    a.username() + " / " + a.password());
        }
        return m;
    }

    /** The sample department as the importer reads it from the shipped CSVs. */
    public static Dataset sampleDataset() {
        List<Importer.Upload> uploads = new ArrayList<>();
        for (ImportKind k : ImportKind.values()) {
            uploads.add(new Importer.Upload(k.fileStem() + ".csv", csv(k)));
        }
        Importer.Result r = new Importer(Importer.Limits.DEFAULT).check(TERM, null, uploads);
        if (r.hasErrors()) {
            throw new IllegalStateException("the shipped sample CSVs do not import: " + r.errors());
        }
        return r.draft().toDataset(1);
    }

    /** One of the shipped sample CSVs ({@code tapipeline/coordinator/sample/<kind>.csv}). */
    public static byte[] csv(ImportKind kind) {
        String path = "/tapipeline/coordinator/sample/" + kind.fileStem() + ".csv";
        try (InputStream in = CoordinatorSampleData.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
