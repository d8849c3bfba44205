package org.partneraccess;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.junit.jupiter.api.Test;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.data.repository.Repository;
import org.springframework.modulith.core.ApplicationModules;

/** Package by feature, kept honest: no cycles between features, no reaching into another feature's internals. */
class StructureTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(PartnerAccessApplication.class);
    private static final JavaClasses APPLICATION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(PartnerAccessApplication.class.getPackageName());
    private static final String BASE_PACKAGE = PartnerAccessApplication.class.getPackageName();
    private static final Path MODULE_MAP = Path.of("docs/modules.md");
    private static final Set<String> STATE_MOVES = Set.of("moveTo", "approve", "provisioned", "revoke");
    /**
     * The one class that starts each process or correlates its messages, with one behaviour for a process that does
     * not wait, a conflict, and the user it runs as: the partnership's and the identities' starters, and the single
     * place that starts each of the others.
     */
    private static final Set<String> PROCESS_STARTERS = Set.of(
            "org.partneraccess.partnership.PartnershipProcesses",
            "org.partneraccess.inventory.IdentityProcesses",
            "org.partneraccess.human.HumanAccessController",
            "org.partneraccess.machine.MachineController",
            "org.partneraccess.trust.WorkloadTrustController",
            "org.partneraccess.continuity.OwnerContinuity",
            "org.partneraccess.modelchange.ModelChanges",
            "org.partneraccess.drift.DriftReconciliation");
    private static final List<String> START_OR_CORRELATE = List.of("startProcessInstance", "createProcessInstanceBy",
            "createMessageCorrelation", "correlateMessage", "messageEventReceived");

    /** Also holds each module to the dependencies its package-info declares. */
    @Test
    void featuresDependOnEachOtherOnlyThroughTheirPublicApi() {
        MODULES.verify();
    }

    /** A new module cannot leave its dependencies open: each one names what it may use, none included. */
    @Test
    void everyModuleDeclaresTheModulesItMayUse() {
        assertThat(MODULES.stream()).allSatisfy(module -> {
            org.springframework.modulith.ApplicationModule declaration = declarationOf(module);
            assertThat(declaration).as(module.getName() + " has no @ApplicationModule in its package-info").isNotNull();
            assertThat(declaration.allowedDependencies()).as(module.getName() + "'s allowed dependencies")
                    .doesNotContain(org.springframework.modulith.ApplicationModule.OPEN_TOKEN);
        });
    }

    private static org.springframework.modulith.ApplicationModule declarationOf(ApplicationModule module) {
        try {
            return Class.forName(module.getBasePackage().getName() + ".package-info")
                    .getAnnotation(org.springframework.modulith.ApplicationModule.class);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * An identity's state moves only through the guarded step of {@code inventory} (IdentityStates): no code elsewhere
     * calls a method of the entity that moves it, which would skip the transition table and the conditional update.
     */
    @Test
    void anIdentitysStateMovesOnlyThroughTheGuardedStep() {
        noClasses().that().resideOutsideOfPackage(PartnerIdentity.class.getPackageName())
                .should().callMethodWhere(DescribedPredicate.describe("a method of PartnerIdentity that moves its state "
                        + STATE_MOVES, (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(PartnerIdentity.class)
                        && STATE_MOVES.contains(call.getName())))
                .check(APPLICATION);
    }

    /**
     * The engine finds delegates and listeners by bean name from the models, so no code needs their types: kept
     * package-private, a feature's process steps cannot be called around its services from another feature.
     */
    @Test
    void delegatesAndListenersAreNotPublic() {
        classes().that().implement(JavaDelegate.class).or().implement(ExecutionListener.class)
                .or().implement(TaskListener.class)
                .should().notBePublic()
                .check(APPLICATION);
    }

    /**
     * A module's rows are read and written through its own services, which hold its rules (the partnership's through
     * {@code Partnerships} and {@code PartnershipService}, the identities' through {@code IdentityRegistry} and the
     * guarded step): no class outside a module uses one of its Spring Data repositories.
     */
    @Test
    void repositoriesAreUsedOnlyInsideTheirModule() {
        ArchRule rule = classes().should(useOnlyTheRepositoriesOfTheirModule());
        assertThat(List.of(PartnershipRepository.class, PartnerIdentityRepository.class))
                .allSatisfy(repository -> assertThat(isRepository(APPLICATION.get(repository))).as(repository.getName()).isTrue());
        assertThatThrownBy(() -> rule.check(new ClassFileImporter().importClasses(OutsideUse.class)))
                .as("the rule refuses a use from outside").isInstanceOf(AssertionError.class);
        rule.check(APPLICATION);
    }

    private static ArchCondition<JavaClass> useOnlyTheRepositoriesOfTheirModule() {
        return new ArchCondition<>("use only the Spring Data repositories of their own module") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                type.getDirectDependenciesFromSelf().stream()
                        .filter(dependency -> isRepository(dependency.getTargetClass()))
                        .filter(dependency -> !moduleOf(dependency.getTargetClass()).equals(moduleOf(type)))
                        .forEach(dependency -> events.add(SimpleConditionEvent.violated(dependency,
                                dependency.getDescription())));
            }
        };
    }

    private static boolean isRepository(JavaClass type) {
        return type.getPackageName().startsWith(BASE_PACKAGE + ".") && type.isAssignableTo(Repository.class);
    }

    /** The feature a class belongs to: the package below the base one (empty for the base package itself). */
    private static String moduleOf(JavaClass type) {
        String name = type.getPackageName();
        return name.startsWith(BASE_PACKAGE + ".") ? name.substring(BASE_PACKAGE.length() + 1).split("\\.")[0] : "";
    }

    /** What the repository rule must refuse: a class of another package reaching for the partnership's rows. */
    @SuppressWarnings("unused")
    private static final class OutsideUse {
        private PartnershipRepository partnerships;
    }

    /** Each process is started and told its messages from one place, so that it has one retry and refusal behaviour. */
    @Test
    void processesAreStartedAndCorrelatedOnlyByTheirStarters() {
        assertThat(PROCESS_STARTERS).allSatisfy(starter -> assertThat(APPLICATION.contain(starter)).as(starter).isTrue());
        noClasses().that(DescribedPredicate.describe("are not one of " + PROCESS_STARTERS,
                        (JavaClass type) -> !PROCESS_STARTERS.contains(type.getName().replaceFirst("\\$.*", ""))))
                .should().callMethodWhere(DescribedPredicate.describe("a RuntimeService method that starts a process or "
                        + "correlates a message " + START_OR_CORRELATE, (JavaMethodCall call) ->
                        call.getTargetOwner().isAssignableTo(RuntimeService.class)
                                && START_OR_CORRELATE.stream().anyMatch(call.getName()::startsWith)))
                .check(APPLICATION);
    }

    /**
     * A process's variable names live beside it (e.g. {@code partnership/PartnershipVariables}), the names several
     * processes share in {@link Variables}. The compiler copies such constants into the classes that use them, so the
     * module check cannot see those uses: read from the sources, a feature names another feature's variables only when
     * its package-info declares that feature.
     */
    @Test
    void aFeaturesVariableNamesAreUsedOnlyByTheFeaturesThatMayUseIt() throws IOException {
        String base = PartnerAccessApplication.class.getPackageName();
        List<JavaClass> variableClasses = APPLICATION.stream()
                .filter(type -> type.getSimpleName().endsWith("Variables") && !type.getPackageName().equals(base))
                .toList();
        assertThat(variableClasses).extracting(JavaClass::getSimpleName)
                .contains("PartnershipVariables", "HumanAccessVariables", "MachineAccessVariables");
        Path sources = Path.of("src/main/java").resolve(base.replace('.', '/'));
        List<String> wrong = new ArrayList<>();
        try (var files = Files.walk(sources)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Path relative = sources.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the base package is shared by all features
                }
                String feature = relative.getName(0).toString();
                String text = Files.readString(file);
                for (JavaClass variables : variableClasses) {
                    String owner = variables.getPackageName().substring(base.length() + 1).split("\\.")[0];
                    if (!owner.equals(feature) && text.contains(variables.getName())
                            && !List.of(allowedDependencies(base + "." + feature)).contains(owner)) {
                        wrong.add(relative + " uses " + variables.getSimpleName());
                    }
                }
            }
        }
        assertThat(wrong).as("uses of another feature's variable names its package-info does not declare").isEmpty();
    }

    private static String[] allowedDependencies(String modulePackage) {
        try {
            return Class.forName(modulePackage + ".package-info")
                    .getAnnotation(org.springframework.modulith.ApplicationModule.class).allowedDependencies();
        } catch (ClassNotFoundException e) {
            return new String[0];
        }
    }

    /**
     * The module map in the docs is the code's: written anew here when it differs, and then the test fails until the
     * new map is committed, so the map in the repository never describes an older structure.
     */
    @Test
    void theModuleMapInTheDocsIsTheOneOfTheCode() throws IOException {
        String map = moduleMap();
        String committed = Files.exists(MODULE_MAP) ? Files.readString(MODULE_MAP) : "";
        if (!committed.equals(map)) {
            Files.writeString(MODULE_MAP, map);
        }
        assertThat(committed).as(MODULE_MAP + " was out of date and has been written anew: commit it").isEqualTo(map);
    }

    private static String moduleMap() {
        List<ApplicationModule> modules = MODULES.stream().sorted(Comparator.comparing(ApplicationModule::getName)).toList();
        StringBuilder map = new StringBuilder("""
                # Modules

                Generated by `StructureTest` from the code (Spring Modulith); do not edit. Each module is a package of
                `org.partneraccess`; an arrow points to a module whose public API the other uses. Each module declares
                the modules it may use (`allowedDependencies` in its `package-info.java`). The structure test fails
                on a cycle, on a use of another module's internals and on a use its module did not declare.

                ```mermaid
                graph LR
                """);
        for (ApplicationModule module : modules) {
            dependencies(module).forEach(target -> map.append("  ").append(module.getName()).append(" --> ")
                    .append(target).append('\n'));
        }
        map.append("```\n\n| module | uses | used by |\n| --- | --- | --- |\n");
        for (ApplicationModule module : modules) {
            List<String> usedBy = modules.stream().filter(other -> dependencies(other).contains(module.getName()))
                    .map(ApplicationModule::getName).toList();
            map.append("| `").append(module.getName()).append("` | ").append(names(dependencies(module))).append(" | ")
                    .append(names(usedBy)).append(" |\n");
        }
        return map.toString();
    }

    private static List<String> dependencies(ApplicationModule module) {
        return module.getDirectDependencies(MODULES).uniqueModules().map(ApplicationModule::getName)
                .filter(name -> !name.equals(module.getName())).distinct().sorted().toList();
    }

    private static String names(List<String> modules) {
        return modules.isEmpty() ? "–" : modules.stream().map(name -> "`" + name + "`").collect(Collectors.joining(", "));
    }
}
