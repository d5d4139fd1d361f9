package org.bwledger.bwctl.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package edges that module edges (each pom's enforcer rule) are too coarse to keep: checked on
 * the compiled classes of every module, which bwctl's tests have on their class path.
 */
class PackageBoundariesTest {

  private static final JavaClasses BWLEDGER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.bwledger");

  @Test
  void theOfflineCommandsReadTheLogAndKubernetesShapesButNoServiceInternals() {
    noClasses().that().resideInAnyPackage("org.bwledger.bwctl.replay..", "org.bwledger.bwctl.record..",
            "org.bwledger.bwctl.export..", "org.bwledger.bwctl.get..", "org.bwledger.bwctl.output..",
            "org.bwledger.bwctl.compare..", "org.bwledger.bwctl.trace..")
        .should().dependOnClassesThat().resideInAnyPackage("org.bwledger.projector..", "org.bwledger.ingest..")
        .check(BWLEDGER);
  }

  @Test
  void replayPlacesPodsWithTheExtendersPlacementCodeAndNothingElseOfTheProjector() {
    noClasses().that().resideInAPackage("org.bwledger.bwctl.schedule..")
        .should().dependOnClassesThat().resideInAnyPackage("org.bwledger.ingest..")
        .orShould().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.bwledger.projector..")
            .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("org.bwledger.projector.extender"))))
        .check(BWLEDGER);
  }

  @Test
  void theAccountingRulesAndTheFoldStagesAreFreeOfKafkaAndKubernetesClients() {
    noClasses().that().resideInAnyPackage("org.bwledger.ledger.rules..", "org.bwledger.ledger.fold..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.fabric8.kubernetes.client..",
            "org.bwledger.runtime..")
        .check(BWLEDGER);
  }

  @Test
  void noServiceReachesIntoAnother() {
    noClasses().that().resideInAPackage("org.bwledger.ingest..")
        .should().dependOnClassesThat().resideInAnyPackage("org.bwledger.ledger..", "org.bwledger.projector..")
        .check(BWLEDGER);
    noClasses().that().resideInAPackage("org.bwledger.projector..")
        .should().dependOnClassesThat().resideInAPackage("org.bwledger.ingest..")
        .check(BWLEDGER);
  }
}
