package tapipeline.app.site;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;

import tapipeline.coordinator.sample.CoordinatorSampleData;
import tapipeline.handbook.service.HandbookService;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.publisher.PublisherService;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * The real handbook service and publisher on the test run's broker, fed the launcher's sample
 * program content and an approval built from the sample department (the coordinator's sample dataset,
 * whose applicants have ratings, unavailable times and conflicts of interest), with that dataset on
 * {@code coordinator.datasets}: what a student sees once the coordinator has approved a term.
 */
final class PublicSite implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(180);
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    final String program;
    final Dataset dataset = CoordinatorSampleData.sampleDataset();
    final AssignmentApproved approval;
    final HandbookContent content;
    final RunningService handbook;
    final RunningService publisher;
    final EventWatcher watcher;
    final String site;
    HandbookRendered rendered;
    String termPath;

    PublicSite(String program) throws Exception {
        this.program = program;
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        HandbookContent sample;
        try (InputStream in = HandbookService.class.getResourceAsStream("/sample/program-content.json")) {
            sample = Events.codec().decodePayload(in.readAllBytes(), EventTypes.HANDBOOK_CONTENT);
        }
        content = new HandbookContent(program, sample.name(), sample.degree(), sample.campus(), sample.edition(),
                sample.totalUnits(), sample.semesters(), sample.overview(), sample.outcomes(), sample.curriculum(),
                sample.policies(), sample.contacts(), sample.links(), Instant.now());
        approval = approvalFrom(dataset);
        watcher = new EventWatcher(bootstrap, Topics.HANDBOOK_RENDERED.name(), Topics.SITE_LINKS.name());
        handbook = ServiceHarness.start(new HandbookService(), Map.of("HANDBOOK_QUIET_MS", "300",
                "INSTANCE_ID", "site-" + program));
        Map<String, String> s = new HashMap<>();
        s.put("SITE_PROGRAM", program);
        s.put("INSTANCE_ID", "site-" + program);
        s.put("PUBLISHER_ARTIFACT_DIR", java.nio.file.Files.createTempDirectory("site-artifacts").toString());
        publisher = ServiceHarness.start(new PublisherService(), s);
        site = publisher.urls().get("public site").replaceAll("/$", "");
        try (KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrap).producer("public-site-test")) {
            producer.send(Events.record(EventTypes.COORDINATOR_DATASETS, dataset.term(), dataset)).get(30, TimeUnit.SECONDS);
            producer.send(Events.record(EventTypes.HANDBOOK_CONTENT, program, content)).get(30, TimeUnit.SECONDS);
            producer.send(Events.record(EventTypes.ASSIGNMENT_APPROVED, approval.term(), approval)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until the handbook link points at an edition with this approval and the TA link at its term. */
    PublicSite awaitPublished() throws Exception {
        rendered = watcher.await(HandbookRendered.class, r -> r.programId().equals(program)
                && approval.runId().equals(r.renderedFrom().approvalRunId()), WAIT);
        watcher.await(SiteLink.class, l -> l.linkId().equals("handbook") && l.target().contains(rendered.sha256()), WAIT);
        // this approval's term page: other tests' publishers on the shared broker move the same link id
        // to their own terms, so match the target, not just the link
        SiteLink ta = watcher.await(SiteLink.class, l -> l.linkId().equals("ta-assignments")
                && l.target().equals(SiteLink.termPath(approval.term())), WAIT);
        termPath = ta.target();
        // this instance serves both (its replay follows the registry)
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (get("/handbook/latest.pdf").statusCode() != 200 || get(termPath + ".json").statusCode() != 200
                || !new String(get("/handbook/latest.pdf").body(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith("%PDF")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the site did not serve the published handbook and term within " + WAIT);
            }
            Thread.sleep(200);
        }
        return this;
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(site + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Two TAs per course for the first ten courses: applicants without a conflict on the course, in id order. */
    static AssignmentApproved approvalFrom(Dataset p) {
        List<AssignmentApproved.ApprovedCourse> courses = new ArrayList<>();
        Set<String> used = new java.util.HashSet<>();
        for (Course c : p.courses().subList(0, Math.min(10, p.courses().size()))) {
            List<AssignmentApproved.ApprovedTa> tas = new ArrayList<>();
            for (Applicant a : p.applicants()) {
                if (tas.size() == 2) {
                    break;
                }
                boolean conflicted = a.conflicts().stream().anyMatch(x -> x.courseId().equals(c.id()));
                if (!conflicted && used.add(a.id())) {
                    tas.add(new AssignmentApproved.ApprovedTa(a.id(), a.name(), Math.min(c.hoursPerSlot(), 20)));
                }
            }
            courses.add(new AssignmentApproved.ApprovedCourse(c.id(), c.code(), c.title(), c.section(), c.instructor(), tas));
        }
        return new AssignmentApproved(p.term(), "site-test-" + p.term() + "-" + p.version(), "coordinator", Instant.now(), courses);
    }

    /** Applicants on the approval, with their private data from the dataset. */
    List<Applicant> approvedApplicants() {
        Set<String> ids = new java.util.HashSet<>();
        approval.courses().forEach(c -> c.tas().forEach(t -> ids.add(t.applicantId())));
        return dataset.applicants().stream().filter(a -> ids.contains(a.id())).toList();
    }

    @Override
    public void close() throws Exception {
        watcher.close();
        publisher.close();
        handbook.close();
    }
}
