package org.partneraccess.support;

import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;

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
}
