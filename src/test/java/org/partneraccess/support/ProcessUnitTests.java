package org.partneraccess.support;

import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;

/**
 * The in-memory engine of process unit tests. Its configuration file is deliberately not named camunda.cfg.xml:
 * Camunda's webapps would otherwise find that file on the test classpath and build a second, unsecured "default"
 * engine from it inside the integration tests' application.
 */
public final class ProcessUnitTests {

    public static final String CONFIGURATION = "process-unit-test.cfg.xml";

    private ProcessUnitTests() {
    }

    public static ProcessEngineExtension engine() {
        return ProcessEngineExtension.builder().configurationResource(CONFIGURATION).build();
    }

    /**
     * The same engine, also reporting the process coverage the test class reaches and failing the class when it falls
     * below {@code classCoverageAtLeast} (0 to 1), so a path left untested shows up. Register it in a static field.
     */
    public static ProcessEngineCoverageExtension engineWithCoverage(double classCoverageAtLeast) {
        return ProcessEngineCoverageExtension.builder(CONFIGURATION)
                .assertClassCoverageAtLeast(classCoverageAtLeast)
                .build();
    }
}
