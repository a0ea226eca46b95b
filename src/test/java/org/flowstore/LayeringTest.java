package org.flowstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers hold, one way: app -> store -> serializers -> api. Read from the compiled main
 * classes (tests may reach anything).
 */
class LayeringTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.flowstore");
    }

    @Test
    void theContractReachesNothingOfOursAndOnlyTheJdkGuavaAndOsgiAnnotations() {
        classes().that().resideInAPackage("org.flowstore.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.flowstore.api..", "java..",
                        "com.google.common..", "org.osgi.annotation..")
                .check(classes);
    }

    @Test
    void theWireFormatNeverReachesTheStoreOrTheApp() {
        noClasses().that().resideInAPackage("org.flowstore.serializers..")
                .should().dependOnClassesThat().resideInAnyPackage("org.flowstore.store..", "org.flowstore.app..")
                .check(classes);
    }

    @Test
    void theStoreNeverReachesTheApp() {
        noClasses().that().resideInAPackage("org.flowstore.store..")
                .should().dependOnClassesThat().resideInAPackage("org.flowstore.app..")
                .check(classes);
    }

    @Test
    void restUsesOnlyTheContractOfOursAndTheWayComponentsReadProperties() {
        noClasses().that().resideInAPackage("org.flowstore.app.rest..")
                .should().dependOnClassesThat().resideInAnyPackage("org.flowstore.store.cluster..",
                        "org.flowstore.store.flow..", "org.flowstore.store", "org.flowstore.serializers..")
                .check(classes);
    }

    @Test
    void deviceProvidersUseOnlyTheContractOfOursAndTheWayComponentsReadProperties() {
        noClasses().that().resideInAnyPackage("org.flowstore.app.openflow..", "org.flowstore.app.device..")
                .should().dependOnClassesThat().resideInAnyPackage("org.flowstore.store.cluster..",
                        "org.flowstore.store.flow..", "org.flowstore.store", "org.flowstore.serializers..",
                        "org.flowstore.app.manager..", "org.flowstore.app.cli..", "org.flowstore.app.rest..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.flowstore.(**)").should().beFreeOfCycles().check(classes);
    }
}
