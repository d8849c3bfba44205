package org.partneraccess.dev;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Tells the operator in Spring Boot's "APPLICATION FAILED TO START" report why and what to set. */
class DevServicesNotAllowedFailureAnalyzer extends AbstractFailureAnalyzer<DevServicesNotAllowedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DevServicesNotAllowedException cause) {
        return new FailureAnalysis("Partner Access refuses to start: " + String.join(", and ", cause.missing())
                + ". Without the '" + DevServicesEnvironmentPostProcessor.DEV_PROFILE + "' profile no development "
                + "service is started in their place.", DevServicesNotAllowedException.ACTION, cause);
    }
}
