package io.hookline.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production packages form layers (docs/architecture.md): no cycle between them, and each
 * depends only on the layers below it.
 */
class PackageLayersTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.hookline");
  }

  @Test
  void noPackageCycles() {
    assertHolds(slices().matching("io.hookline.(*)..").should().beFreeOfCycles());
  }

  @Test
  void noCyclesBetweenSubpackagesEither() {
    // The slice rule above sees verify.. as one package; the provider registry once sat below its own list.
    assertHolds(slices().matching("io.hookline.(**)").should().beFreeOfCycles());
  }

  @Test
  void theSchemesSitBelowTheProviderRegistry() {
    assertHolds(noClasses().that().resideInAPackage("io.hookline.verify")
        .should().dependOnClassesThat().resideInAPackage("io.hookline.verify.provider.."));
  }

  @Test
  void configDependsOnNoOtherHooklinePackage() {
    assertHolds(onlyHooklineDependencies("config", "config"));
  }

  @Test
  void verifyDependsOnlyOnConfig() {
    // Signature schemes are pure functions of bytes, headers and secrets: no I/O packages.
    assertHolds(onlyHooklineDependencies("verify", "verify", "config"));
  }

  @Test
  void storageAndDeliveryNeverReachUpToThePorts() {
    for (String lower : new String[] {"dedup", "store", "delivery"}) {
      assertHolds(noClasses().that().resideInAPackage("io.hookline." + lower + "..")
          .should().dependOnClassesThat().resideInAnyPackage("io.hookline.ingest..", "io.hookline.management..",
              "io.hookline.node..",
              "io.hookline.metrics..", "io.hookline.cli.."));
    }
  }

  @Test
  void theStoreSitsBelowDelivery() {
    // delivery calls the store's tables; the store knows nothing of workers, destinations or retries.
    assertHolds(noClasses().that().resideInAPackage("io.hookline.store..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hookline.delivery..", "io.hookline.retention.."));
  }

  @Test
  void onlyTheStoreRunsSql() {
    // One persistence home: every statement is in store, one class per table or aggregate (issue 20).
    // The readiness probe's SELECT 1 and the warm-up's scratch schema are about the server, not a table.
    assertHolds(noClasses().that().resideOutsideOfPackage("io.hookline.store..")
        .and().doNotHaveFullyQualifiedName("io.hookline.node.ReadinessCheck")
        .and().doNotHaveFullyQualifiedName("io.hookline.Warmup")
        .should().callMethodWhere(target(name("query").or(name("preparedQuery")))
            .and(target(owner(assignableTo("io.vertx.sqlclient.SqlClient"))))));
  }

  @Test
  void theRecordersSitOnTheStoreOnly() {
    // The requests log and the overview's tally are called from ingest and delivery: nothing above them.
    assertHolds(onlyHooklineDependencies("requests", "requests", "config", "store"));
    assertHolds(onlyHooklineDependencies("overview", "overview", "config", "store"));
    assertHolds(noClasses().that().resideInAnyPackage("io.hookline.store..", "io.hookline.dedup..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hookline.requests..", "io.hookline.overview.."));
  }

  @Test
  void thePublicPortKnowsNothingOfManagementOrMeterImplementations() {
    assertHolds(noClasses().that().resideInAPackage("io.hookline.ingest..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hookline.management..", "io.hookline.metrics..",
            "io.hookline.cli.."));
  }

  @Test
  void nodeStateSitsBelowBothPorts() {
    // Drain state, readiness checks and request ids are the node's: both ports read them, neither owns them.
    assertHolds(onlyHooklineDependencies("node", "node", "config", "dedup"));
  }

  @Test
  void managementKnowsNothingOfThePublicPort() {
    assertHolds(noClasses().that().resideInAPackage("io.hookline.management..")
        .should().dependOnClassesThat().resideInAPackage("io.hookline.ingest.."));
  }

  @Test
  void expressionsDependOnlyOnConfig() {
    // CEL filters and transforms are pure functions of one event: delivery, brokers and admin build on them.
    assertHolds(onlyHooklineDependencies("expression", "expression", "config"));
  }

  @Test
  void tracingDependsOnlyOnConfig() {
    assertHolds(onlyHooklineDependencies("tracing", "tracing", "config"));
  }

  @Test
  void onlyTheOpenTelemetryImplementationImportsOpenTelemetry() {
    // With tracing off no OpenTelemetry code may run on the hot path: ingest and delivery see only the interface.
    assertHolds(noClasses().that().resideOutsideOfPackage("io.hookline.tracing.otel..")
        .should().dependOnClassesThat().resideInAPackage("io.opentelemetry.."));
  }

  @Test
  void onlyTheNodeWiringBuildsTheOpenTelemetryImplementation() {
    assertHolds(noClasses().that().resideInAPackage("io.hookline.*..").and().resideOutsideOfPackage("io.hookline.tracing.otel..")
        .should().dependOnClassesThat().resideInAPackage("io.hookline.tracing.otel.."));
  }

  @Test
  void onlyTheNodeWiringDependsOnTheRootPackage() {
    assertHolds(noClasses().that().resideInAPackage("io.hookline.*..")
        .should().dependOnClassesThat().resideInAPackage("io.hookline"));
  }

  /** The rule holds on the production classes; the violations are the failure message. */
  private static void assertHolds(com.tngtech.archunit.lang.ArchRule rule) {
    com.tngtech.archunit.lang.EvaluationResult result = rule.evaluate(production);
    org.assertj.core.api.Assertions.assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
  }

  private static com.tngtech.archunit.lang.ArchRule onlyHooklineDependencies(String pkg, String... allowed) {
    String[] packages = new String[allowed.length];
    for (int i = 0; i < allowed.length; i++) {
      packages[i] = "io.hookline." + allowed[i] + "..";
    }
    return noClasses().that().resideInAPackage("io.hookline." + pkg + "..")
        .should().dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe("are Hookline classes outside " + String.join(", ", allowed),
                (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().startsWith("io.hookline")
                    && java.util.Arrays.stream(packages).noneMatch(p -> c.getPackageName().equals(p.substring(0, p.length() - 2))
                        || c.getPackageName().startsWith(p.substring(0, p.length() - 1)))));
  }
}
