package tapipeline.bench.handbook;

import tapipeline.handbook.HandbookRenderer;
import tapipeline.handbook.RenderResult;
import tapipeline.handbook.SyntheticAssignment;
import tapipeline.handbook.json.HandbookJson;
import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;

import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Render benchmark (not a test). Renders the sample handbook and a synthetic 1,500-course
 * assignment, prints a markdown table and, given a path, writes it there. Run it the way the goal
 * is stated (one core, a 256 MB heap): {@code bench/run handbook}.
 *
 * <p>"first" is the first render of each case in this JVM (the sample's includes class loading and
 * JIT warm-up); "warm median" is the median of the following renders. Render-thread CPU excludes GC
 * threads and time spent waiting for a core, so on a shared machine compare it with the wall time.
 */
public final class RenderBench {

    public static void main(String[] args) throws Exception {
        int warm = Integer.getInteger("bench.warm", 5);
        int courses = Integer.getInteger("bench.courses", 1500);
        ProgramContent content = HandbookJson.sampleContent();
        TermAssignment sample;
        try (InputStream in = RenderBench.class.getResourceAsStream("/sample/approved-assignment.json")) {
            sample = HandbookJson.assignment(in);
        }
        TermAssignment large = SyntheticAssignment.generate(courses, 42);

        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long t0 = System.nanoTime();
        HandbookRenderer renderer = new HandbookRenderer();
        long fontsMs = (System.nanoTime() - t0) / 1_000_000;

        List<String> rows = new ArrayList<>();
        rows.add(row("sample department (" + sample.courses().size() + " courses)", renderer, content, sample, warm));
        rows.add(row("synthetic " + courses + "-course assignment", renderer, content, large, warm));

        Runtime rt = Runtime.getRuntime();
        StringBuilder md = new StringBuilder();
        md.append("# Handbook render benchmark\n\n");
        md.append(String.format(Locale.ROOT, "Java %s, %d available processor(s), max heap %d MB; renderer construction (font loading and coverage tables) %d ms; %d warm renders per case.%n%n",
                System.getProperty("java.version"), rt.availableProcessors(), rt.maxMemory() / (1024 * 1024), fontsMs, warm));
        md.append(String.format(Locale.ROOT, "System load average during the run: %.1f (before) / %.1f (after) on %d cores; wall times include waiting for the CPU when the machine is shared, render-thread CPU does not.%n%n",
                loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), osCores()));
        md.append("| case | first render ms (wall) | warm median ms (wall) | warm median render-thread CPU ms | warm median GC ms | pages | size KB | peak heap MB |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        System.out.print(md);
        if (args.length > 0) {
            Path out = Path.of(args[0]);
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, md.toString());
            System.out.println("\nwritten to " + out);
        }
    }

    private static String row(String name, HandbookRenderer renderer, ProgramContent content,
                              TermAssignment assignment, int warm) {
        System.gc();
        resetPeaks();
        long start = System.nanoTime();
        RenderResult first = renderer.render(content, Optional.of(assignment));
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        long[] times = new long[warm];
        long[] cpu = new long[warm];
        long[] gc = new long[warm];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warm; i++) {
            long gc0 = gcMillis();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            RenderResult r = renderer.render(content, Optional.of(assignment));
            times[i] = (System.nanoTime() - s) / 1_000_000;
            cpu[i] = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
            gc[i] = gcMillis() - gc0;
            if (!r.sha256().equals(first.sha256())) {
                throw new IllegalStateException("render is not reproducible: " + r.sha256() + " vs " + first.sha256());
            }
        }
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d |", name, firstMs,
                median(times, firstMs), median(cpu, -1), median(gc, -1), first.pages(), first.size() / 1024, peakHeapMb());
    }

    private static long median(long[] values, long ifEmpty) {
        if (values.length == 0) {
            return ifEmpty;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static int osCores() {
        try {
            return (int) Files.lines(Path.of("/proc/cpuinfo")).filter(l -> l.startsWith("processor")).count();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peak usage since the last reset (an upper bound of the live peak). */
    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / (1024 * 1024);
    }
}
