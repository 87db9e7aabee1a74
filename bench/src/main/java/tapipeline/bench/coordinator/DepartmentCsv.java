package tapipeline.bench.coordinator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import tapipeline.coordinator.datasets.CsvExport;
import tapipeline.coordinator.imports.ImportKind;
import tapipeline.coordinator.imports.Importer;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * A generated department (the solver's {@link DepartmentGenerator}) as the coordinator's four import
 * CSVs. {@code main DIR [courses applicants seed]} writes them to a directory: this is how the sample
 * CSVs the coordinator ships were made ({@code bench/run tapipeline.bench.coordinator.DepartmentCsv
 * services/coordinator/src/main/resources/tapipeline/coordinator/sample 60 180 2027}).
 */
public final class DepartmentCsv {

    private DepartmentCsv() {
    }

    public static Map<String, byte[]> csv(int courses, int applicants, long seed) {
        AssignmentProblem p = DepartmentGenerator.generate(courses, applicants, seed);
        Dataset d = new Dataset(p.term(), 1, p.courses(), p.applicants(), p.preferences(), p.instructorPreferences(), java.util.List.of());
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (ImportKind k : ImportKind.values()) {
            out.put(k.fileStem() + ".csv", CsvExport.csv(d, k).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int courses = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int applicants = args.length > 2 ? Integer.parseInt(args[2]) : 180;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 2027;
        Files.createDirectories(dir);
        Map<String, byte[]> files = csv(courses, applicants, seed);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        Importer.Result r = new Importer(Importer.Limits.DEFAULT).check("check", null,
                files.entrySet().stream().map(e -> new Importer.Upload(e.getKey(), e.getValue())).toList());
        System.out.println("wrote " + files.keySet() + " to " + dir + "; " + r.errors().size() + " errors, "
                + r.warnings().size() + " warnings");
        r.problems().stream().limit(20).forEach(System.out::println);
    }
}
