package tapipeline.solver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of an assignment ({@code constraints}) stand on their own; how the search looks for a
 * solution ({@code search}) builds on them, never the other way round. More generally, the solver's
 * packages form no cycle, so each can be read (and split off) from the ones below it.
 */
class PackageDependenciesTest {

    private static final JavaClasses SOLVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("tapipeline.solver");

    @Test
    void constraintsDoNotDependOnSearch() {
        noClasses().that().resideInAPackage("tapipeline.solver.constraints..")
                .should().dependOnClassesThat().resideInAPackage("tapipeline.solver.search..")
                .check(SOLVER);
    }

    @Test
    void solverPackagesFormNoCycle() {
        slices().matching("tapipeline.solver.(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .check(SOLVER);
    }
}
