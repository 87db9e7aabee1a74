package tapipeline.bench.coordinator;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tapipeline.coordinator.imports.Importer;
import tapipeline.schemas.coordinator.Dataset;

/**
 * Import + validation benchmark (not a test): the coordinator's {@link Importer} (commons-csv parsing,
 * cell checks, cross-file checks, the preview's difference) on the four CSVs of a generated
 * 1,500-course / 2,500-applicant university ({@link DepartmentCsv}), in one JVM: the first check (class
 * loading and JIT included), then warm checks of a first import (no current data) and of a re-import
 * against the current dataset with one rating changed (the preview compares every item). Heap: the
 * peak of the heap pools during one check (reset after a GC before it; includes garbage not yet
 * collected), the bytes the checking thread allocated, and what the finished result keeps (used heap
 * after a GC with the result held, minus before). {@code bench/run coordinator-import} runs it with
 * {@code -Xmx256m}, so it also shows that a check fits in that heap.
 */
public final class ImportBench {

    public static void main(String[] args) throws Exception {
        int courses = Integer.getInteger("bench.courses", 1500);
        int applicants = Integer.getInteger("bench.applicants", 2500);
        int warm = Integer.getInteger("bench.warm", 7);
        Map<String, byte[]> files = DepartmentCsv.csv(courses, applicants, 42);
        List<Importer.Upload> uploads = files.entrySet().stream().map(e -> new Importer.Upload(e.getKey(), e.getValue())).toList();
        long bytes = files.values().stream().mapToLong(b -> b.length).sum();
        Importer importer = new Importer(new Importer.Limits(32L << 20, 64L << 20));

        Run cold = run(importer, null, uploads);
        Dataset current = cold.result.draft().toDataset(1);
        int[] sizes = {current.courses().size(), current.applicants().size(), current.preferences().size(),
                current.instructorPreferences().size()};
        List<Run> first = new ArrayList<>();
        List<Run> again = new ArrayList<>();
        byte[] prefs = files.get("preferences.csv");
        String changed = new String(prefs, java.nio.charset.StandardCharsets.UTF_8);
        int lineEnd = changed.indexOf('\n', changed.indexOf('\n') + 1);
        String secondLine = changed.substring(changed.indexOf('\n') + 1, lineEnd);
        String edited = secondLine.substring(0, secondLine.lastIndexOf(',', secondLine.lastIndexOf(',') - 1) + 1)
                + (secondLine.contains(",5,") ? "4" : "5") + secondLine.substring(secondLine.lastIndexOf(','));
        List<Importer.Upload> reimport = uploads.stream().map(u -> u.name().equals("preferences.csv")
                ? new Importer.Upload(u.name(), changed.replaceFirst(java.util.regex.Pattern.quote(secondLine), edited)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)) : u).toList();
        Run last = null;
        for (int i = 0; i < warm; i++) {
            first.add(run(importer, null, uploads).summary());
            last = run(importer, current, reimport);
            again.add(last.summary());
        }
        String preview = tapipeline.coordinator.imports.Imports.summary(last.result);
        last = null;
        cold = cold.summary();
        current = null;

        Runtime rt = Runtime.getRuntime();
        StringBuilder md = new StringBuilder();
        md.append("# Coordinator import benchmark\n\n");
        md.append(String.format(Locale.ROOT, "Java %s, %d available processor(s), max heap %d MB. Data: the solver's generated"
                        + " university (seed 42) as the import's four CSVs: %,d courses, %,d applicants, %,d preferences, %,d instructor"
                        + " requests; %,d bytes in all (%s).%n%n", System.getProperty("java.version"), rt.availableProcessors(),
                rt.maxMemory() >> 20, sizes[0], sizes[1], sizes[2], sizes[3], bytes, sizes(files)));
        md.append("Measured in one JVM by `tapipeline.bench.coordinator.ImportBench` (`bench/run coordinator-import`): each of the first three rows is"
                + " `Importer.check` (decode, commons-csv parse, cell checks, cross-file checks, near-duplicate and skill-spelling"
                + " checks, the preview's difference) on bytes already in memory, without HTTP or Kafka. Wall time by `System.nanoTime`; \"allocated\" is the checking thread's allocation"
                + " (`ThreadMXBean.getThreadAllocatedBytes`); \"peak heap\" the sum of the heap pools' peak usage during the"
                + " check after a GC and a peak reset (it includes garbage not yet collected, so it bounds the need from above);"
                + " \"result kept\" the used heap after a GC with the result held, minus before. The last rows are the same"
                + " four files end to end: an embedded broker in a child JVM, the coordinator service in this JVM (same"
                + " heap limit), a signed-in client posting them as multipart with `?apply=true` (upload, check, preview,"
                + " the dataset's transactional write with its audit entry, and the read-back by the instance's replay),"
                + " each into a new term; wall time at the client.\n\n");
        md.append("| case | wall time | allocated | peak heap | result kept | problems |\n|---|---:|---:|---:|---:|---|\n");
        md.append(row("first check in the JVM (cold: class loading, JIT)", List.of(cold)));
        md.append(row("first import, warm (median of " + warm + ")", first));
        md.append(row("re-import against the current dataset, one rating changed, warm (median of " + warm + ")", again));
        if (!Boolean.getBoolean("bench.noHttp")) {
            ImportEndToEnd.rows(files, 3).forEach(md::append);
        }
        md.append(String.format(Locale.ROOT, "%nThe re-import's preview: %s.%n", preview));
        md.append(String.format(Locale.ROOT, "System load average: %.1f on %d cores.%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), rt.availableProcessors()));
        System.out.print(md);
        if (args.length > 0) {
            Path out = Path.of(args[0]);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md.toString());
            System.out.println("\nwritten to " + out);
        }
    }

    /** One check's figures; the result itself only for the last run of a case (results are large). */
    private record Run(long nanos, long allocated, long peak, long kept, int errors, int warnings, Importer.Result result) {
        Run summary() {
            return new Run(nanos, allocated, peak, kept, errors, warnings, null);
        }
    }

    private static Run run(Importer importer, Dataset current, List<Importer.Upload> uploads) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        long usedBefore = used(heap);
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long alloc0 = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long t0 = System.nanoTime();
        Importer.Result r = importer.check("2027W1", current, uploads);
        long nanos = System.nanoTime() - t0;
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - alloc0;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long kept = used(heap) - usedBefore;
        if (r.hasErrors()) {
            throw new IllegalStateException("the generated data should import: " + r.errors().subList(0, Math.min(5, r.errors().size())));
        }
        return new Run(nanos, allocated, peak, kept, r.errors().size(), r.warnings().size(), r);
    }

    private static long used(List<MemoryPoolMXBean> heap) {
        return heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    private static String row(String label, List<Run> runs) {
        long[] t = runs.stream().mapToLong(Run::nanos).sorted().toArray();
        long[] a = runs.stream().mapToLong(Run::allocated).sorted().toArray();
        long[] p = runs.stream().mapToLong(Run::peak).sorted().toArray();
        long[] k = runs.stream().mapToLong(Run::kept).sorted().toArray();
        Run r = runs.get(0);
        return String.format(Locale.ROOT, "| %s | %.2f s | %d MB | %d MB | %d MB | %d errors, %d warnings |%n", label,
                median(t) / 1e9, median(a) >> 20, median(p) >> 20, median(k) >> 20, r.errors(), r.warnings());
    }

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static String sizes(Map<String, byte[]> files) {
        List<String> parts = new ArrayList<>();
        files.forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, "%,d", v.length)));
        return String.join(", ", parts);
    }

}
